package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// listTotal is the count of rows a list says match.
func listTotal(t *testing.T, p *testenv.Page) int {
	t.Helper()
	n, err := strconv.Atoi(p.Doc.Find("[data-total]").AttrOr("data-total", ""))
	if err != nil {
		t.Fatalf("no total on %s: %q", p, p.Text("[role=alert]"))
	}
	return n
}

// columnCells are the texts of column label's cells on the page.
func columnCells(p *testenv.Page, label string) []string {
	var out []string
	p.Doc.Find(`tbody td[data-label="` + label + `"]`).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// A column filter narrows a list by what Erp.Net can filter in that column: a number or PO number
// it contains, a range of days of delivery or due; a column Erp.Net cannot filter (an amount)
// takes no filter; a date that does not read is said and kept as typed; a text with quotes is
// only a text; and the CSV is the list as filtered.
func TestListColumnFilters(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	b.Post("/cc/orders/columns", url.Values{"col": {"date", "number", "po", "delivery", "amount"}, "return": {"/cc/orders"}})
	all := b.Get("/cc/orders?size=250")
	total := listTotal(t, all)
	if all.Doc.Find(`[data-column-filter="number"] input[name="c.number"]`).Length() != 1 ||
		all.Doc.Find(`[data-column-filter="delivery"] input[name="c.delivery.from"]`).Length() != 1 ||
		all.Doc.Find(`[data-column-filter="amount"], [data-column-filter="notes"]`).Length() != 0 {
		t.Errorf("column filter fields: %q", all.Text("[data-column-filters]"))
	}
	number := columnCells(all, "Number")[3]
	part := number[len(number)-4:]
	got := b.Get("/cc/orders?size=250&c.number=" + url.QueryEscape(part))
	if n := listTotal(t, got); n == 0 || n >= total {
		t.Errorf("number contains %q: %d of %d rows", part, n, total)
	}
	for _, c := range columnCells(got, "Number") {
		if !strings.Contains(c, part) {
			t.Errorf("number contains %q lists %s", part, c)
		}
	}
	if v, _ := got.Doc.Find(`input[name="c.number"]`).Attr("value"); v != part || got.Doc.Find("details[data-column-filters][open]").Length() != 1 {
		t.Errorf("the filter shows %q (open: %d), want %q", v, got.Doc.Find("details[data-column-filters][open]").Length(), part)
	}
	var day string
	for _, d := range columnCells(all, "Required delivery") {
		if d != "" {
			day = d
			break
		}
	}
	got = b.Get("/cc/orders?size=250&c.delivery.from=" + url.QueryEscape(day) + "&c.delivery.to=" + url.QueryEscape(day))
	if n := listTotal(t, got); n == 0 || n >= total {
		t.Errorf("delivery on %s: %d of %d rows", day, n, total)
	}
	for _, d := range columnCells(got, "Required delivery") {
		if d != day {
			t.Errorf("delivery on %s lists %s", day, d)
		}
	}
	if n := listTotal(t, b.Get("/cc/orders?size=250&c.amount=5")); n != total {
		t.Errorf("a filter on the amount, which Erp.Net cannot filter, changed the list: %d of %d", n, total)
	}
	bad := b.Get("/cc/orders?c.delivery.from=31.31.2026")
	if !strings.Contains(bad.Text("main"), "Required delivery (from): enter a date") {
		t.Errorf("an unreadable date is not said: %q", bad.Text("[role=alert]"))
	}
	if v, _ := bad.Doc.Find(`input[name="c.delivery.from"]`).Attr("value"); v != "31.31.2026" {
		t.Errorf("the unreadable date shows as %q", v)
	}
	if q := b.Get("/cc/orders?c.po=" + url.QueryEscape(`O'Brien") or 1 eq 1 or ("`)); q.Status != 200 || listTotal(t, q) != 0 {
		t.Errorf("a PO filter with quotes: %d, %d rows", q.Status, listTotal(t, q))
	}
	_, rows := csvRecords(t, b.Get("/cc/orders.csv?c.number="+url.QueryEscape(part)))
	if len(rows) != listTotal(t, b.Get("/cc/orders?c.number="+url.QueryEscape(part))) {
		t.Errorf("the CSV has %d rows, the filtered list more or fewer", len(rows))
	}

	// Payments: by number, in Erp.Net.
	pays := b.Get("/cc/payments?size=250")
	pno := columnCells(pays, "Number")[0]
	got = b.Get("/cc/payments?size=250&c.number=" + url.QueryEscape(pno))
	if n := listTotal(t, got); n != 1 || columnCells(got, "Number")[0] != pno {
		t.Errorf("payments whose number contains %s: %d (%v)", pno, n, columnCells(got, "Number"))
	}

	// Due Payments: by document date, on the open items the portal holds.
	b.Post("/cc/due-payments/columns", url.Values{"col": {"due", "document", "docdate", "remaining"}, "return": {"/cc/due-payments"}})
	due := b.Get("/cc/due-payments?size=250")
	docday := columnCells(due, "Document date")[0]
	got = b.Get("/cc/due-payments?size=250&c.docdate.from=" + url.QueryEscape(docday) + "&c.docdate.to=" + url.QueryEscape(docday))
	if n := listTotal(t, got); n == 0 || n >= listTotal(t, due) {
		t.Errorf("open items of document date %s: %d of %d", docday, n, listTotal(t, due))
	}
	for _, d := range columnCells(got, "Document date") {
		if d != docday {
			t.Errorf("open items of document date %s list one of %s", docday, d)
		}
	}

	// Invoices: by due date.
	inv := b.Get("/cc/invoices?size=250")
	dues := columnCells(inv, "Due date")
	got = b.Get("/cc/invoices?size=250&c.due.from=" + url.QueryEscape(dues[0]) + "&c.due.to=" + url.QueryEscape(dues[0]))
	if n := listTotal(t, got); n == 0 || n >= listTotal(t, inv) {
		t.Errorf("invoices due on %s: %d of %d", dues[0], n, listTotal(t, inv))
	}
	for _, d := range columnCells(got, "Due date") {
		if d != dues[0] {
			t.Errorf("invoices due on %s list one due %s", dues[0], d)
		}
	}
}
