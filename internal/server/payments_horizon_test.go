package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestPaymentsNameNoInvoiceBeyondTheHorizon: a recent payment may have paid an invoice older than
// the viewer's days back; Payment History then shows the payment but does not name the invoice,
// on the page, in the CSV, or as a search hit.
func TestPaymentsNameNoInvoiceBeyondTheHorizon(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	horizon := financeToday().AddDate(0, 0, -365) // billing@ has 365 days back
	var invoices struct {
		Value []struct {
			DocumentNo   string    `json:"DocumentNo"`
			DocumentDate time.Time `json:"DocumentDate"`
		} `json:"value"`
	}
	env.API(t, "Crm_Invoicing_Invoices?$select=DocumentNo,DocumentDate&$top=100000", &invoices)
	dated := map[string]time.Time{}
	for _, inv := range invoices.Value {
		dated[inv.DocumentNo] = inv.DocumentDate
	}
	var hidden []string // invoices paid within the window but older than the horizon
	for _, p := range paymentsSince(t, env, erpnetsim.MainCustomerNumber, horizon) {
		for _, l := range p.Lines {
			if d, ok := dated[l.PaymentOrder.RefDocumentNo]; ok && d.Before(horizon) {
				hidden = append(hidden, l.PaymentOrder.RefDocumentNo)
			}
		}
	}
	if len(hidden) == 0 {
		t.Fatalf("no payment since %s pays an older invoice; the test would prove nothing", horizon.Format("2006-01-02"))
	}
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	page := b.Get("/cc/payments?size=250")
	header, recs := csvRecords(t, b.Get("/cc/payments.csv"))
	covers := column(t, header, "Paid for")
	for _, r := range recs {
		for _, no := range strings.Split(r[covers], ", ") {
			if d, ok := dated[no]; ok && d.Before(horizon) {
				t.Errorf("CSV names %s of %s, before the horizon %s", no, d.Format("2006-01-02"), horizon.Format("2006-01-02"))
			}
		}
	}
	for _, no := range hidden {
		if strings.Contains(page.Body, no) {
			t.Errorf("the page names %s, before the horizon", no)
		}
		if p := b.Get("/cc/payments?q=" + url.QueryEscape(no)); p.Doc.Find("[data-total]").AttrOr("data-total", "") != "0" {
			t.Errorf("searching for %s finds %s payments, want 0", no, p.Doc.Find("[data-total]").AttrOr("data-total", ""))
		}
	}
}
