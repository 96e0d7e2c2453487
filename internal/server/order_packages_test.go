package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// packageIDOf is the Id of the promotional package code.
func packageIDOf(t *testing.T, erp *erpnet.Client, code string) string {
	t.Helper()
	rows, err := erpnet.All[erpnet.PromotionalPackage](t.Context(), erp, erpnet.Query{}.Where(erpnet.Eq("Code", erpnet.Str(code))))
	if err != nil || len(rows) != 1 {
		t.Fatalf("package %s: %d rows, %v", code, len(rows), err)
	}
	return strings.ToLower(rows[0].ID)
}

// offeredPackageCodes are the codes the picker's Promotional packages tab lists.
func offeredPackageCodes(t *testing.T, b *testenv.Browser) []string {
	t.Helper()
	page := b.Get("/cc/orders/new")
	tab := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "tab", "packages"))
	var codes []string
	tab.Doc.Find("[data-package-results] li[data-package-choice]").Each(func(_ int, s *goquery.Selection) {
		codes = append(codes, s.AttrOr("data-package-choice", ""))
	})
	return codes
}

// Only packages whose validity the portal can decide are offered, and never one meant for another
// customer: the main customer gets the open one and its own, not another customer's, an ended one,
// a withdrawn one, or one valid by a filter expression; the second customer gets its own and the
// open one.
func TestNewOrderOffersOnlyPackagesDecidablyValid(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	for login, want := range map[string][]string{
		"prices@orbis.example":  {"PKG-CLEAN", "PKG-COFFEE"},
		"mueller@orbis.example": {"PKG-COFFEE", "PKG-MUELLER"},
	} {
		b, _ := env.SignIn(t, "cc", login)
		if got := offeredPackageCodes(t, b); !slices.Equal(got, want) {
			t.Errorf("%s is offered %v, want %v", login, got, want)
		}
	}
}

// A package is added by number: its lines join the order as the package defines them (quantity
// times the number), marked and without inputs; the draft in Erp.Net sells the package and carries
// its lines; a new number changes them; a package of another customer's posted by hand is refused
// and never saved; review prices the lines as Erp.Net does; the placed order can be released,
// since its lines match the package, and its page says which lines came from it.
func TestNewOrderPromotionalPackage(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	coffee := packageIDOf(t, erp, "PKG-COFFEE")

	tab := b.Post("/cc/orders/new", withForm(orderFormValues(t, b.Get("/cc/orders/new")), "tab", "packages"))
	if _, ok := tab.Doc.Find(`li[data-package-choice="PKG-COFFEE"] button[name=add_package]`).Attr("value"); !ok {
		t.Fatalf("no Add for PKG-COFFEE: %s", tab.Text("main"))
	}
	// A package with a line that only changes a discount has no price of its own: Erp.Net's
	// comes with the order's.
	if got := tab.Text(`li[data-package-choice="PKG-COFFEE"] [data-price]`); got != "" {
		t.Errorf("package price %q, want none", got)
	}
	page := b.Post("/cc/orders/new", withForm(orderFormValues(t, tab), "add_package", coffee, "package_qty."+coffee, "2"))
	lines := func(p *testenv.Page) map[string]string {
		out := map[string]string{}
		p.Doc.Find("[data-package-line]").Each(func(_ int, s *goquery.Selection) {
			if s.Find("input").Length() > 0 || !strings.Contains(s.Find("[data-line-package]").Text(), "Coffee corner starter") {
				t.Errorf("package line %s has inputs or no package mark", s.AttrOr("data-package-line", ""))
			}
			out[s.AttrOr("data-package-line", "")] = strings.TrimSpace(s.Find("[data-qty]").Text())
		})
		return out
	}
	if got := lines(page); got["COF-001"] != "4" || got["COF-005"] != "2" || got["COF-003"] != "4" || len(got) != 3 {
		t.Fatalf("package lines after adding 2: %v (%s)", got, page.Text("main"))
	}
	if v, _ := page.Doc.Find("[data-order-packages] input[name=pkg_count]").Attr("value"); v != "2" {
		t.Errorf("number of packages %q, want 2", v)
	}
	draft := func() erpnet.SalesOrder {
		t.Helper()
		ds := draftsOf(t, erp, "prices@orbis.example")
		if len(ds) != 1 {
			t.Fatalf("%d drafts, want 1", len(ds))
		}
		var o erpnet.SalesOrder
		q := erpnet.Query{}.Select("Id").Expand("Lines", erpnet.Query{}.Select("Id", "Quantity", "PromotionalPackage", "Product")).
			Expand("PromotionalPackages", erpnet.Query{}.Select("Id", "NumberOfPackages", "PromotionalPackage"))
		if err := erp.Get(t.Context(), erpnet.SetSalesOrders, ds[0].ID, q, &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	check := func(n int, qty float64) {
		t.Helper()
		o := draft()
		if len(o.PromotionalPackages) != 1 || o.PromotionalPackages[0].NumberOfPackages != n || !strings.EqualFold(o.PromotionalPackages[0].PromotionalPackage.ID, coffee) {
			t.Errorf("the draft sells %+v, want %d × PKG-COFFEE", o.PromotionalPackages, n)
		}
		total := 0.0
		for _, l := range o.Lines {
			if !strings.EqualFold(l.PromotionalPackage.ID, coffee) {
				t.Errorf("draft line %s is not marked with the package", l.ID)
			}
			total += l.Quantity.Value
		}
		if len(o.Lines) != 3 || total != qty {
			t.Errorf("the draft has %d lines of %v in all, want 3 of %v", len(o.Lines), total, qty)
		}
	}
	check(2, 10)
	page = b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "pkg_count", "1", "update", "1"))
	if got := lines(page); got["COF-001"] != "2" || got["COF-005"] != "1" {
		t.Errorf("package lines after 1: %v", got)
	}
	check(1, 5)
	priced := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "price", "1"))
	if got, want := priced.Text(`[data-package-line="COF-005"] [data-amount]`), locale.Money("en", 58*0.85, "BGN"); got != want {
		t.Errorf("Erp.Net prices COF-005 of the package at %q, want %q (58.00 less 15%%)", got, want)
	}
	if got := priced.Text(`[data-package-line="COF-005"] [data-discount]`); got != "less 15%" {
		t.Errorf("the package's discount shows as %q", got)
	}

	// Another customer's package, posted by hand, is refused on the form and kept out of Erp.Net.
	mueller := packageIDOf(t, erp, "PKG-MUELLER")
	bad := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "add_package", mueller))
	if bad.Doc.Find(`[data-problem="package.1"]`).Length() != 1 || strings.Contains(bad.Text("main"), "Werkstatt") {
		t.Errorf("a foreign package: problem %q, page shows its name: %v", bad.Text(`[data-problem="package.1"]`), strings.Contains(bad.Text("main"), "Werkstatt"))
	}
	check(1, 5)
	if review := b.Post("/cc/orders/new", withForm(orderFormValues(t, bad), "review", "1")); review.Doc.Find("[data-review-lines]").Length() != 0 {
		t.Errorf("a form with a foreign package was reviewed")
	}
	page = b.Post("/cc/orders/new", withForm(orderFormValues(t, bad), "remove_package", "1"))
	if page.Doc.Find("[data-order-packages] li").Length() != 1 {
		t.Fatalf("removing the foreign package: %d packages left", page.Doc.Find("[data-order-packages] li").Length())
	}

	review := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "review", "1"))
	rows := review.Doc.Find("[data-review-lines] tbody tr")
	if rows.Length() != 3 || review.Doc.Find("[data-review-lines] [data-line-package]").Length() != 3 {
		t.Fatalf("review: %d lines, %d marked: %s", rows.Length(), review.Doc.Find("[data-review-lines] [data-line-package]").Length(), review.Text("main"))
	}
	if got, want := review.Text("[data-review-lines] tbody tr:first-child [data-unit-price]"), locale.Money("en", 29.90, "BGN"); got != want {
		t.Errorf("review prices COF-001 at %q, want the package's %q", got, want)
	}
	placed := b.Post("/cc/orders/new", withForm(orderFormValues(t, review), "place", "1"))
	id := placedOrderID(placed)
	if id == "" {
		t.Fatalf("not placed: %s", placed.Text("main"))
	}
	if placed.Doc.Find("[data-line-package]").Length() != 3 {
		t.Errorf("the order page marks %d lines with their package, want 3", placed.Doc.Find("[data-line-package]").Length())
	}
	if err := erp.ChangeState(t.Context(), erpnet.SetSalesOrders, id, "Released"); err != nil {
		t.Errorf("the placed order cannot be released: %v", err)
	}
	// Order again: the package comes back as a package, as many as were ordered, not as lines.
	again := b.Get("/cc/orders/new?from=" + id)
	if v, _ := again.Doc.Find(`[data-order-packages] li[data-package="PKG-COFFEE"] input[name=pkg_count]`).Attr("value"); v != "1" {
		t.Errorf("Order again: the package's number is %q, want 1 (%s)", v, again.Text("main"))
	}
	if n := again.Doc.Find(`input[name=line_product]`).Length(); n != 0 {
		t.Errorf("Order again turned the package's lines into %d lines of their own", n)
	}
	// With that draft kept, Order again from another order keeps its package.
	b.Post("/cc/orders/new", withForm(orderFormValues(t, again), "update", "1"))
	other := salesOrdersOf(t, erp, "C-1001", erpnet.Ge("State", erpnet.Enum("Released")))[1].ID // [0] is the package order released above
	joined := b.Get("/cc/orders/new?from=" + other)
	if joined.Doc.Find(`[data-order-packages] li[data-package="PKG-COFFEE"]`).Length() != 1 || joined.Doc.Find(`input[name=line_product]`).Length() == 0 {
		t.Errorf("Order again into a draft with a package: packages %d, lines %d", joined.Doc.Find(`[data-order-packages] li`).Length(), joined.Doc.Find(`input[name=line_product]`).Length())
	}
}
