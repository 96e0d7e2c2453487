package server_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// A list can be sorted from its filter form (a phone shows no headers): the form offers the
// columns the list sorts by, keeps the sort in use, and counts the filters in use for the
// phone's Filter & sort button; the first link of a row is the one a tap on its card opens.
func TestListSortsFromItsForm(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	page := b.Get("/cc/orders")
	var offered []string
	page.Doc.Find(`form.filters select[name=sort] option`).Each(func(_ int, o *goquery.Selection) { offered = append(offered, o.AttrOr("value", "")) })
	if got, want := strings.Join(offered, " "), " date number po"; got != want {
		t.Errorf("sort choices %q, want %q (the default, then each sortable column)", got, want)
	}
	if got := page.Doc.Find(`details[data-filter-sheet]`).AttrOr("data-filter-sheet", ""); got != "0" {
		t.Errorf("no filter in use, yet the sheet counts %q", got)
	}
	sorted := b.Get("/cc/orders?sort=number&dir=asc&q=SO")
	if sorted.Doc.Find(`select[name=sort] option[selected]`).AttrOr("value", "") != "number" ||
		sorted.Doc.Find(`select[name=dir] option[selected]`).AttrOr("value", "") != "asc" {
		t.Errorf("the form does not keep the sort in use")
	}
	if got := sorted.Doc.Find(`details[data-filter-sheet]`).AttrOr("data-filter-sheet", ""); got != "2" {
		t.Errorf("a search and a sort in use, the sheet counts %q", got)
	}
	var numbers []string
	sorted.Doc.Find(`table[data-list=orders] tbody tr`).Each(func(_ int, tr *goquery.Selection) {
		if tr.Find("a.row-link").Length() != 1 {
			t.Errorf("a row has %d row links", tr.Find("a.row-link").Length())
		}
		numbers = append(numbers, strings.TrimSpace(tr.Find("a.row-link").Text()))
	})
	if len(numbers) < 2 || !slices.IsSorted(numbers) {
		t.Errorf("sorted by number ascending from the form: %q", numbers)
	}
}

// The column chooser sets the order of the columns too: the order the columns are posted in,
// and a column moved by its arrow; the list and its CSV follow it, and the chooser lists the
// columns shown in that order.
func TestColumnOrderIsChosen(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	headers := func(p *testenv.Page) string {
		var out []string
		p.Doc.Find("table[data-list=orders] thead th").Each(func(_ int, th *goquery.Selection) { out = append(out, th.AttrOr("data-col", "")) })
		return strings.Join(out, " ")
	}
	page := b.Post("/cc/orders/columns", url.Values{"col": {"amount", "number", "date"}, "return": {"/cc/orders"}})
	if got := headers(page); got != "amount number date" {
		t.Fatalf("columns posted as amount, number, date: %q", got)
	}
	var choices []string
	page.Doc.Find("details.chooser input[name=col]").Each(func(_ int, in *goquery.Selection) { choices = append(choices, in.AttrOr("value", "")) })
	if len(choices) < 4 || strings.Join(choices[:3], " ") != "amount number date" {
		t.Errorf("the chooser lists %q, want the shown columns first, in their order", choices)
	}
	moved := b.Post("/cc/orders/columns", url.Values{"col": {"amount", "number", "date"}, "move": {"up:date"}, "return": {"/cc/orders"}})
	if got := headers(moved); got != "amount date number" {
		t.Errorf("after moving date up: %q", got)
	}
	header, _ := csvRecords(t, b.Get("/cc/orders.csv"))
	if got := strings.Join(header, " "); !strings.HasPrefix(got, "Amount Date Number") {
		t.Errorf("the CSV's columns: %q", got)
	}
	// A column the role may not see is never taken, wherever it is put.
	basic, _ := env.SignIn(t, "cc", "orders@orbis.example")
	if got := headers(basic.Post("/cc/orders/columns", url.Values{"col": {"amount", "number"}, "return": {"/cc/orders"}})); got != "number" {
		t.Errorf("an Orders user choosing amount and number sees %q", got)
	}
}
