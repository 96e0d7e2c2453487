package server_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/epc"
	"github.com/clientcenter/clientcenter/internal/epc/epcread"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// openIn are the main customer's open items in one currency, by the simulator.
func openIn(t *testing.T, env *testenv.Env, currency string) []simBalance {
	t.Helper()
	var out []simBalance
	for _, b := range openItems(t, env, erpnetsim.MainCustomerNumber, financeToday().AddDate(0, 0, -365)) {
		if b.RemainingAmount.Currency == currency && b.RefInvoiceDocumentNo != "" {
			out = append(out, b)
		}
	}
	if len(out) < 2 {
		t.Fatalf("the seed has %d open %s items, want at least 2", len(out), currency)
	}
	return out
}

func idOf(odataID string) string { return odataID[strings.IndexByte(odataID, '(')+1 : len(odataID)-1] }

// qrText decodes the QR code of a transfer card, as a banking app would scan it.
func qrText(t *testing.T, card *goquery.Selection) string {
	t.Helper()
	svg, err := goquery.OuterHtml(card.Find("[data-qr] svg"))
	if err != nil || svg == "" {
		t.Fatalf("no QR code in the card: %v", err)
	}
	text, err := epcread.Decode(svg)
	if err != nil {
		t.Fatalf("the QR code does not decode: %v", err)
	}
	return text
}

func TestInvoiceShowsHowToPayWithAnEPCCode(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")

	eur := openIn(t, env, "EUR")[0]
	p := b.Get("/cc/invoices/" + idOf(eur.RefInvoiceDocument.ODataID))
	card := p.Doc.Find("[data-transfer=EUR]")
	if p.Status != 200 || card.Length() != 1 {
		t.Fatalf("%s: %d EUR transfer cards", p, card.Length())
	}
	if got := card.Find("[data-pay=iban]").Text(); got != epc.Grouped(erpnetsim.BankIBANEUR) {
		t.Errorf("IBAN %q, want %q", got, epc.Grouped(erpnetsim.BankIBANEUR))
	}
	if got := card.Find("[data-pay=reference]").Text(); got != eur.RefInvoiceDocumentNo {
		t.Errorf("reference %q, want the invoice number %s", got, eur.RefInvoiceDocumentNo)
	}
	want := fmt.Sprintf("BCD\n002\n1\nSCT\n%s\n%s\n%s\nEUR%.2f\n\n\n%s", erpnetsim.BankBICEUR, erpnetsim.EnterpriseCompanyName,
		erpnetsim.BankIBANEUR, eur.RemainingAmount.Value, eur.RefInvoiceDocumentNo)
	if got := qrText(t, card); got != want {
		t.Errorf("the QR code reads\n%q\nwant\n%q", got, want)
	}

	// In levs: the lev account, the details only.
	bgn := openIn(t, env, "BGN")[0]
	p = b.Get("/cc/invoices/" + idOf(bgn.RefInvoiceDocument.ODataID))
	card = p.Doc.Find("[data-transfer=BGN]")
	if card.Length() != 1 || card.Find("[data-pay=iban]").Text() != epc.Grouped(erpnetsim.BankIBANBGN) {
		t.Fatalf("%s: the BGN card %q", p, card.Text())
	}
	if card.Find("[data-qr]").Length() != 0 || card.Find("[data-no-qr]").Length() != 1 {
		t.Errorf("a BGN transfer has a QR code, or does not say why not")
	}
}

func TestPaySeveralDueItemsTogether(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	items := openIn(t, env, "EUR")[:2]
	var total int64
	var refs []string
	q := url.Values{}
	for _, it := range items {
		total += cents(it.RemainingAmount.Value)
		refs = append(refs, it.RefInvoiceDocumentNo)
		q.Add("d", it.RefInvoiceDocumentNo)
	}
	slices.Sort(refs)
	// Another customer's document number adds nothing.
	other := openItems(t, env, erpnetsim.SecondCustomerNumber, time.Time{})
	q.Add("d", other[0].RefInvoiceDocumentNo)

	p := b.Get("/cc/due-payments/pay?" + q.Encode())
	cards := p.Doc.Find("[data-transfer]")
	if p.Status != 200 || cards.Length() != 1 || cards.AttrOr("data-transfer", "") != "EUR" {
		t.Fatalf("%s: %d transfers: %q", p, cards.Length(), cards.Text())
	}
	if got := cards.Find("[data-pay=reference]").Text(); got != strings.Join(refs, " ") {
		t.Errorf("reference %q, want %q", got, strings.Join(refs, " "))
	}
	want := fmt.Sprintf("BCD\n002\n1\nSCT\n%s\n%s\n%s\nEUR%.2f\n\n\n%s", erpnetsim.BankBICEUR, erpnetsim.EnterpriseCompanyName,
		erpnetsim.BankIBANEUR, float64(total)/100, strings.Join(refs, " "))
	if got := qrText(t, cards); got != want {
		t.Errorf("the QR code reads\n%q\nwant\n%q", got, want)
	}
	if got := p.Doc.Find("input[name=d]:checked").Length(); got != 2 {
		t.Errorf("%d items stay chosen, want 2", got)
	}
	// (The page's own address, which the language switcher carries back, holds what was asked.)
	if shown := p.Doc.Find("main").Text(); strings.Contains(shown, other[0].RefInvoiceDocumentNo) {
		t.Errorf("the page shows another customer's document %s", other[0].RefInvoiceDocumentNo)
	}
}

func TestNamedBankAccountMustBeInTheCurrency(t *testing.T) {
	t.Parallel()
	in := testenv.Instance("cc")
	in.BankAccounts = map[string]string{"eur": "BANK-BGN"} // a lev account named for euros: not used
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true, Instances: []config.Instance{in}})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	eur := openIn(t, env, "EUR")[0]
	p := b.Get("/cc/invoices/" + idOf(eur.RefInvoiceDocument.ODataID))
	if card := p.Doc.Find("[data-transfer=EUR]"); card.Find("[data-no-account]").Length() != 1 || card.Find("[data-qr]").Length() != 0 {
		t.Errorf("%s: an account of another currency is offered: %q", p, card.Text())
	}
}
