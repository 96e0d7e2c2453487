package server_test

import (
	"net/url"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// A list's chosen order is kept in the browser like its columns: the list opened again (from
// the menu) comes in it; "Default order" and "Reset layout" forget it.
func TestListKeepsTheChosenOrder(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	sortOf := func(p *testenv.Page) string { return p.Doc.Find(`th[data-col=number]`).AttrOr("aria-sort", "none") }
	first := func(p *testenv.Page) string { return p.Text("table[data-list=orders] tbody tr:first-child") }
	byDefault := b.Get("/cc/orders")
	chosen := b.Get("/cc/orders?sort=number&dir=asc")
	if sortOf(chosen) != "ascending" || first(chosen) == first(byDefault) {
		t.Fatalf("sorted by number: %q, first row %q", sortOf(chosen), first(chosen))
	}
	if again := b.Get("/cc/orders"); sortOf(again) != "ascending" || first(again) != first(chosen) {
		t.Errorf("opened again, the list is not in the chosen order: %q", sortOf(again))
	}
	b.Get("/cc/orders?sort=")
	if again := b.Get("/cc/orders"); sortOf(again) != "none" || first(again) != first(byDefault) {
		t.Errorf("after Default order, the list keeps the old order: %q", sortOf(again))
	}
	b.Get("/cc/orders?sort=number&dir=desc")
	b.Post("/cc/orders/columns", url.Values{"reset": {"1"}, "return": {"/cc/orders"}})
	if again := b.Get("/cc/orders"); sortOf(again) != "none" {
		t.Errorf("after Reset layout, the list keeps the old order: %q", sortOf(again))
	}
}
