package server_test

import (
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestOrdersListByRole(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	prices, _ := env.SignIn(t, "cc", "prices@orbis.example")
	page := prices.Get("/cc/orders")
	if page.Status != 200 || page.Doc.Find("table[data-list=orders] tbody tr").Length() != 25 {
		t.Fatalf("orders for L30: %s, %d rows", page, page.Doc.Find("tbody tr").Length())
	}
	if page.Doc.Find("th[data-col=amount]").Length() != 1 || page.Text("[data-totals]") == "" {
		t.Errorf("L30 sees no amount column or totals")
	}
	orders, _ := env.SignIn(t, "cc", "orders@orbis.example")
	page = orders.Get("/cc/orders?sort=amount&dir=desc")
	if page.Status != 200 || page.Doc.Find("th[data-col=amount]").Length() != 0 || page.Doc.Find("[data-totals]").Length() != 0 {
		t.Errorf("L20 sees amounts: %s", page)
	}
	if page.Doc.Find(`input[name=col][value=amount]`).Length() != 0 {
		t.Errorf("L20 is offered the amount column")
	}
	// Forcing the column by cookie or by a POST does not show it either.
	orders.Post("/cc/orders/columns", map[string][]string{"col": {"number", "amount", "net"}})
	page = orders.Get("/cc/orders")
	if page.Doc.Find("th[data-col=amount]").Length() != 0 || page.Doc.Find("th[data-col=number]").Length() != 1 {
		t.Errorf("after choosing amount as L20: columns %q", page.Text("thead"))
	}
	csvPage := orders.Get("/cc/orders.csv")
	if strings.Contains(csvPage.Body, "BGN") || strings.Contains(csvPage.Body, "EUR") {
		t.Errorf("L20 CSV carries amounts: %.200s", csvPage.Body)
	}
}

func TestOrdersCSVMatchesScreen(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	b.Post("/cc/orders/columns", map[string][]string{"col": {"date", "number", "amount", "po"}})
	page := b.Get("/cc/orders?status=Ordered&sort=number&dir=asc&size=50&from=2025-01-01")
	screen := screenRows(page, "orders")
	header, rows := csvRecords(t, b.Get("/cc/orders.csv?status=Ordered&sort=number&dir=asc&size=50&from=2025-01-01"))
	// The amounts' currency comes as a column of its own, chosen or not.
	if got := strings.Join(header, ","); got != "Date,Number,Amount,Your PO number,Currency" {
		t.Errorf("CSV header = %q", got)
	}
	if len(screen) != 50 {
		t.Fatalf("screen has %d rows, want a full page of 50", len(screen))
	}
	checkCSVMatchesScreen(t, page, screen, rows)
}
