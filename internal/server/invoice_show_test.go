package server_test

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// invoiceOfOrderType finds an invoice of C-1001 with a line invoiced from an order of that
// document type, and that order's id.
func invoiceOfOrderType(t *testing.T, env *testenv.Env, orderType string) (invoiceID, orderID string, lines int) {
	t.Helper()
	var rows struct {
		Value []struct {
			Invoice struct {
				ID string `json:"@odata.id"`
			} `json:"Invoice"`
			SalesOrder struct {
				ID string `json:"@odata.id"`
			} `json:"SalesOrder"`
		} `json:"value"`
	}
	filter := "Invoice/Customer/Number eq 'C-1001' and Invoice/DocumentDate ge " + invoiceDate(-100) + "Z and SalesOrder/DocumentType/Code eq '" + orderType + "'"
	env.API(t, "Crm_Invoicing_InvoiceLines?$top=1&$select=Invoice,SalesOrder&$filter="+url.QueryEscape(filter), &rows)
	if len(rows.Value) == 0 {
		t.Fatalf("no invoice line from a %s order", orderType)
	}
	key := func(odataID string) string { return odataID[strings.IndexByte(odataID, '(')+1 : len(odataID)-1] }
	invoiceID, orderID = key(rows.Value[0].Invoice.ID), key(rows.Value[0].SalesOrder.ID)
	var all struct {
		Value []struct{} `json:"value"`
	}
	env.API(t, "Crm_Invoicing_InvoiceLines?$select=LineNo&$filter="+url.QueryEscape("Invoice eq 'Crm_Invoicing_Invoices("+invoiceID+")'"), &all)
	return invoiceID, orderID, len(all.Value)
}

func TestInvoicePageLinesAndOrderLinks(t *testing.T) {
	soOnly := testenv.Instance("cc")
	soOnly.OrderDocumentTypes = []string{"SOX"}
	noOrders := testenv.Instance("cc")
	noOrders.IsOrdersEnabled = false
	hidden := testenv.Instance("cc")
	hidden.HideLines = true
	for _, tc := range []struct {
		name      string
		instance  config.Instance
		lines     bool
		orderLink bool
	}{
		{"default", testenv.Instance("cc"), true, true},
		{"order of a type not listed", soOnly, true, false},
		{"orders pages off", noOrders, true, false},
		{"hide lines", hidden, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newInvoiceEnv(t, tc.instance)
			invoiceID, orderID, lines := invoiceOfOrderType(t, env, "SO")
			b, _ := env.SignIn(t, "cc", "billing@orbis.example")
			page := b.Get("/cc/invoices/" + invoiceID)
			if page.Status != 200 || !strings.HasPrefix(page.Text("h1"), "Invoice ") || page.Text("[data-amount]") == "" {
				t.Fatalf("invoice page: %s %q amount %q", page, page.Text("h1"), page.Text("[data-amount]"))
			}
			rows := page.Doc.Find("table[data-lines] tbody tr")
			if got := rows.Length(); (got == lines) != tc.lines || (got == 0) == tc.lines {
				t.Errorf("%d lines shown, the invoice has %d, want them shown: %v", got, lines, tc.lines)
			}
			links := page.Doc.Find("a[data-order]")
			if (links.Length() > 0) != tc.orderLink {
				t.Fatalf("order links: %d, want some: %v", links.Length(), tc.orderLink)
			}
			if !tc.orderLink {
				return
			}
			want := "/cc/orders/" + orderID
			found := false
			links.Each(func(_ int, a *goquery.Selection) { found = found || a.AttrOr("href", "") == want })
			if !found {
				t.Errorf("no line links to %s", want)
			}
			if p := b.Get(want); p.Status != 200 || !strings.Contains(p.Text("h1"), links.First().Text()) {
				t.Errorf("the linked order: %s %q", p, p.Text("h1"))
			}
		})
	}
}

func TestInvoiceDocumentTypesLimitEveryRoute(t *testing.T) {
	creditNotes := testenv.Instance("cc")
	creditNotes.InvoiceDocumentTypes = []string{"CN"} // the seed has one credit note, dated five days ago
	env := newInvoiceEnv(t, creditNotes)
	inv := findInvoices(t, env, "Customer/Number eq 'C-1001' and DocumentType/Code eq 'INV'")[0]
	b, _ := env.SignIn(t, "cc", "admin@orbis.example")
	if p := b.Get("/cc/invoices"); p.Status != 200 || len(invoiceNumbers(p)) != 1 || !strings.HasPrefix(invoiceNumbers(p)[0], "CN-") {
		t.Errorf("list with only credit notes listed: %s %v", p, invoiceNumbers(p))
	}
	for _, path := range []string{"/cc/invoices/" + inv.ID, "/cc/invoices/" + inv.ID + "/pdf"} {
		if p := b.Get(path); p.Status != 404 {
			t.Errorf("%s of a type not listed: %s, want 404", path, p)
		}
	}
	if p := b.Get("/cc/invoices.zip?from=" + invoiceDate(-60) + "&to=" + invoiceDate(-10)); p.Header.Get("Content-Type") == "application/zip" {
		t.Errorf("ZIP of a type not listed: %s", p)
	}
}

func TestInvoiceStatuses(t *testing.T) {
	env := newInvoiceEnv(t)
	// A voided invoice is Cancelled, whatever its balance says.
	voided := findInvoices(t, env, "Customer/Number eq 'C-1001' and DocumentDate ge "+invoiceDate(-20)+"Z")[0]
	if status, body := env.APIDo(t, http.MethodPost, "Crm_Invoicing_Invoices("+voided.ID+")/MakeVoid",
		map[string]string{"reason": "Issued twice", "voidType": "VoidDocument"}); status != http.StatusNoContent {
		t.Fatalf("MakeVoid: %d %s", status, body)
	}
	var overdue struct {
		Value []struct {
			No string `json:"RefInvoiceDocumentNo"`
		} `json:"value"`
	}
	env.API(t, "Finance_Payments_PaymentBalances?$top=1&$select=RefInvoiceDocumentNo&$filter="+
		url.QueryEscape("Party eq 'General_Contacts_Parties("+partyOf(t, env, "C-1001")+")' and DueStatus eq 'Overdue'"), &overdue)
	if len(overdue.Value) == 0 {
		t.Fatal("the seed has no overdue balance")
	}
	b, _ := env.SignIn(t, "cc", "admin@orbis.example")

	// The page's statuses cost one payment-balances query, not one per row.
	env.Sim.ResetCalls()
	all := b.Get("/cc/invoices?size=100")
	if got := env.Sim.Calls("Finance_Payments_PaymentBalances"); got != 1 {
		t.Errorf("%d payment-balances queries for a page of 100 invoices, want 1", got)
	}
	total, _ := strconv.Atoi(all.Doc.Find("[data-total]").AttrOr("data-total", ""))

	sum := 0
	for _, status := range []string{"Due", "Overdue", "Paid", "Cancelled"} {
		p := b.Get("/cc/invoices?size=250&status=" + status)
		n, _ := strconv.Atoi(p.Doc.Find("[data-total]").AttrOr("data-total", ""))
		sum += n
		got := invoiceStatuses(p)
		if n == 0 || len(got) == 0 {
			t.Errorf("no %s invoices", status)
		}
		for i, s := range got {
			if s != status {
				t.Errorf("filter %s, row %d is %s", status, i, s)
			}
		}
	}
	if sum != total {
		t.Errorf("Due + Overdue + Paid + Cancelled = %d invoices, all = %d", sum, total)
	}

	for _, tc := range []struct{ number, status string }{{overdue.Value[0].No, "Overdue"}, {voided.DocumentNo, "Cancelled"}} {
		p := b.Get("/cc/invoices?q=" + url.QueryEscape(tc.number))
		if got := invoiceStatuses(p); len(got) != 1 || got[0] != tc.status {
			t.Errorf("%s in the list: %v, want %s", tc.number, got, tc.status)
		}
	}
	page := b.Get("/cc/invoices/" + voided.ID)
	if page.Text("[data-status]") != "Cancelled" || page.Doc.Find("[data-outstanding]").Length() != 0 {
		t.Errorf("voided invoice page: status %q, still to pay %q", page.Text("[data-status]"), page.Text("[data-outstanding]"))
	}
}

func TestInvoicesStatusFilterIsBounded(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return invoiceDay }, Quiet: true, Scale: 3})
	b, _ := env.SignIn(t, "cc", "admin@orbis.example")
	p := b.Get("/cc/invoices?status=Paid")
	if got := p.Doc.Find("[data-total]").AttrOr("data-total", ""); got != "500" || !strings.Contains(p.Text("[data-notice]"), "Narrow the dates") {
		t.Errorf("paid invoices of a long history: %s in all, notice %q; want the newest 500 and a notice", got, p.Text("[data-notice]"))
	}
	// Narrowed dates need no cut: no notice.
	p = b.Get("/cc/invoices?status=Paid&from=" + invoiceDate(-400) + "&to=" + invoiceDate(-200))
	if n := p.Doc.Find("[data-total]").AttrOr("data-total", ""); n == "0" || p.Doc.Find("[data-notice]").Length() != 0 {
		t.Errorf("paid invoices of 200 days: %s in all, notice %q", n, p.Text("[data-notice]"))
	}
	// A ZIP of that long history is refused, not cut short.
	if z := b.Get("/cc/invoices.zip?status=Paid&from=" + invoiceDate(-3*365) + "&to=" + invoiceDate(0)); z.Status != 400 {
		t.Errorf("ZIP of a cut status list: %s, want 400", z)
	}
}

// An invoice adds up as Stripe's does: subtotal and VAT make the amount to pay; what was paid
// and what is left make it too; the payments applied, each linked, make what was paid.
func TestInvoiceAddsUp(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	var balances struct {
		Value []struct {
			RefInvoiceDocument erpnet.Ref `json:"RefInvoiceDocument"`
		} `json:"value"`
	}
	env.API(t, "Finance_Payments_PaymentBalances?$filter="+url.QueryEscape("PaymentStatus eq 'PartiallyPaid' and Direction eq 'Incoming'")+
		"&$select=RefInvoiceDocument&$top=20", &balances)
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	checked := 0
	for _, bal := range balances.Value {
		page := b.Get("/cc/invoices/" + bal.RefInvoiceDocument.ID)
		if page.Status != 200 {
			continue // another customer's
		}
		amount := func(sel string) float64 {
			v, _, ok := parseMoney(page.Text(sel))
			if !ok {
				t.Fatalf("%s: %q is not an amount", sel, page.Text(sel))
			}
			return v
		}
		total, sub, tax, paid, left := amount("[data-amount]"), amount("[data-subtotal]"), amount("[data-tax]"), amount("[data-paid]"), amount("[data-outstanding]")
		if math.Abs(sub+tax-total) > 0.005 || math.Abs(paid+left-total) > 0.005 || paid <= 0 {
			t.Errorf("%s: subtotal %.2f + VAT %.2f, paid %.2f + left %.2f, total %.2f: does not add up", page.Text("h1"), sub, tax, paid, left, total)
		}
		// The figures are Erp.Net's, not made to fit: the total is the invoice's AmountToPay, the
		// subtotal its lines' amounts as the page lists them.
		var inv struct {
			AmountToPay struct {
				Value float64 `json:"Value"`
			} `json:"AmountToPay"`
		}
		env.API(t, "Crm_Invoicing_Invoices("+bal.RefInvoiceDocument.ID+")?$select=AmountToPay", &inv)
		lines := 0.0
		page.Doc.Find(`table[data-lines] tbody td[data-label="Amount"]`).Each(func(_ int, s *goquery.Selection) {
			v, _, _ := parseMoney(strings.TrimSpace(s.Text()))
			lines += v
		})
		if math.Abs(total-inv.AmountToPay.Value) > 0.005 || math.Abs(lines-sub) > 0.005 || tax <= 0 {
			t.Errorf("%s: total %.2f (Erp.Net %.2f), subtotal %.2f (lines %.2f), VAT %.2f", page.Text("h1"), total, inv.AmountToPay.Value, sub, lines, tax)
		}
		sum := 0.0
		page.Doc.Find("[data-payment]").Each(func(_ int, s *goquery.Selection) {
			v, _, _ := parseMoney(strings.TrimSpace(s.Contents().Last().Text()))
			sum += v
			if href := s.Find("a").AttrOr("href", ""); !strings.HasPrefix(href, "/cc/payments?q=") {
				t.Errorf("payment %q links to %q", s.Text(), href)
			}
		})
		if math.Abs(sum-paid) > 0.005 {
			t.Errorf("%s: payments applied sum to %.2f, paid is %.2f", page.Text("h1"), sum, paid)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no partly paid invoice of the customer in the seed; the test would prove nothing")
	}
}
