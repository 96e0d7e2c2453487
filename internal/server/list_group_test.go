package server_test

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// Orders grouped by status: one group a status, each with the count of its rows and the sums of
// what they add to the totals (a cancelled order nothing), together every row of the list.
func TestListGroupsByAColumn(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	from := time.Now().AddDate(0, -6, 0).Format("2006-01-02")
	page := b.Get("/cc/orders?group=status&from=" + from)
	groups := page.Doc.Find("details[data-group]")
	if groups.Length() < 2 {
		t.Fatalf("grouped by status: %d groups (%q)", groups.Length(), page.Text("[role=alert]"))
	}
	total, _ := strconv.Atoi(page.Doc.Find("[data-total]").AttrOr("data-total", ""))
	rows := 0
	var statuses []string
	groups.Each(func(_ int, g *goquery.Selection) {
		key := g.AttrOr("data-group", "")
		statuses = append(statuses, key)
		n := g.Find("tbody tr").Length()
		rows += n
		g.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			if got := strings.TrimSpace(tr.Find(`td[data-label="Status"]`).Text()); got != key {
				t.Errorf("group %s has a row of status %q", key, got)
			}
		})
		foot := g.Find("[data-group-totals]").Text()
		if !strings.HasPrefix(foot, strconv.Itoa(n)+" row") {
			t.Errorf("group %s: footer %q for %d rows", key, foot, n)
		}
		if key == "Cancelled" && strings.Contains(foot, "BGN") {
			t.Errorf("cancelled orders add to their group's sums: %q", foot)
		}
		if key == "Ordered" && !strings.Contains(foot, "BGN") {
			t.Errorf("the Ordered group has no sums: %q", foot)
		}
	})
	if rows != total || total == 0 || total > 250 {
		t.Errorf("the groups hold %d rows, the list %d", rows, total)
	}
	if !slices.IsSortedFunc(statuses, func(a, b string) int {
		return slices.Index(portal.OrderStatuses, a) - slices.Index(portal.OrderStatuses, b)
	}) {
		t.Errorf("groups in the order %v, want the status filter's %v", statuses, portal.OrderStatuses)
	}
	if page.Doc.Find("nav.pager").Length() != 0 {
		t.Errorf("a grouped list shows a pager")
	}

	// Too many rows for the window: the list says to narrow it and is not grouped.
	all := b.Get("/cc/orders?group=status")
	if all.Doc.Find("details[data-group]").Length() != 0 || !strings.Contains(all.Text("[role=alert]"), "narrow the dates") {
		t.Errorf("over the window: %d groups, problem %q", all.Doc.Find("details[data-group]").Length(), all.Text("[role=alert]"))
	}
}

// Grouped by a date, the groups are its months, newest first; for a role without prices the
// footers count rows and sum nothing.
func TestListGroupsByMonthWithoutPrices(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	page := b.Get("/cc/orders?group=date&from=" + time.Now().AddDate(0, -4, 0).Format("2006-01-02"))
	var keys []string
	page.Doc.Find("details[data-group]").Each(func(_ int, g *goquery.Selection) {
		keys = append(keys, g.AttrOr("data-group", ""))
		if foot := g.Find("[data-group-totals]").Text(); strings.Contains(foot, "BGN") || strings.Contains(foot, "€") {
			t.Errorf("a role without prices sees sums: %q", foot)
		}
	})
	if len(keys) < 3 || !slices.IsSortedFunc(keys, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("month groups %v, want at least three, newest first", keys)
	}
	month, _ := time.Parse("2006-01-02", keys[0])
	if want := locale.Month("en", month); !strings.Contains(page.Doc.Find("details[data-group] summary").First().Text(), want) {
		t.Errorf("the newest group is %q, want %q", page.Doc.Find("details[data-group] summary").First().Text(), want)
	}
}

// The grouping is kept in the browser with the layout: the list opened again is grouped, "No
// grouping" and "Reset layout" forget it; the CSV stays one row a record, with the column the
// list is grouped by even when it is not shown.
func TestListKeepsTheGroupingAndItsCSV(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	from := time.Now().AddDate(0, -3, 0).Format("2006-01-02")
	grouped := func(p *testenv.Page) bool { return p.Doc.Find("details[data-group]").Length() > 0 }
	b.Post("/cc/orders/columns", url.Values{"col": {"date", "number", "amount"}, "return": {"/cc/orders"}})
	if !grouped(b.Get("/cc/orders?group=type&from=" + from)) {
		t.Fatal("not grouped by type")
	}
	if !grouped(b.Get("/cc/orders?from=" + from)) {
		t.Errorf("opened again, the list is not grouped")
	}
	header, rows := csvRecords(t, b.Get("/cc/orders.csv?from="+from))
	if !slices.Contains(header, "Type") || len(rows) == 0 {
		t.Errorf("the grouped list's CSV: header %v, %d rows", header, len(rows))
	}
	page := b.Get("/cc/orders?from=" + from)
	if n, _ := strconv.Atoi(page.Doc.Find("[data-total]").AttrOr("data-total", "")); n != len(rows) {
		t.Errorf("the CSV has %d rows, the list %d", len(rows), n)
	}
	if grouped(b.Get("/cc/orders?group=none&from="+from)) || grouped(b.Get("/cc/orders?from="+from)) {
		t.Errorf("after No grouping, the list is still grouped")
	}
	b.Get("/cc/orders?group=status&from=" + from)
	b.Post("/cc/orders/columns", url.Values{"reset": {"1"}, "return": {"/cc/orders"}})
	if grouped(b.Get("/cc/orders?from=" + from)) {
		t.Errorf("after Reset layout, the list is still grouped")
	}
	// Only the columns a list offers for grouping, and the role may see, group it.
	if grouped(b.Get("/cc/orders?group=number&from=" + from)) {
		t.Errorf("grouped by a column that is not offered for it")
	}
}

// Due Payments grouped by currency: each group's sum is what the list's total says of its
// currency.
func TestListGroupSumsAddUpToTheTotals(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	page := b.Get("/cc/due-payments?group=currency&from=" + time.Now().AddDate(0, -2, 0).Format("2006-01-02"))
	groups := page.Doc.Find("details[data-group]")
	if groups.Length() == 0 {
		t.Fatalf("no groups: %q", page.Text("[role=alert]"))
	}
	total := page.Text("[data-totals]")
	groups.Each(func(_ int, g *goquery.Selection) {
		foot := g.Find("[data-group-totals]").Text()
		_, sum, ok := strings.Cut(foot, " · ")
		if !ok || !strings.Contains(total, sum) {
			t.Errorf("group %s sums %q, the list's total %q", g.AttrOr("data-group", ""), sum, total)
		}
	})
}
