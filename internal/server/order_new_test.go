package server_test

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestNewOrderRoutesByRole(t *testing.T) {
	t.Parallel()
	logins := []string{"basic@orbis.example", "orders@orbis.example", "prices@orbis.example",
		"billing@orbis.example", "admin@orbis.example", "owner@orbis.example"}
	for _, on := range []bool{false, true} {
		opts := testenv.Options{Quiet: true}
		if on {
			opts.Instances = append(opts.Instances, newOrderInstance(erpnetsim.SalesOrderTypeCode))
		}
		env := testenv.New(t, opts)
		order := salesOrdersOf(t, newOrderERP(t, env), erpnetsim.MainCustomerNumber)[0].ID
		for _, login := range logins {
			t.Run(map[bool]string{false: "off/", true: "on/"}[on]+login, func(t *testing.T) {
				b, home := env.SignIn(t, "cc", login)
				wantMenu := on && login != "basic@orbis.example"
				if got := slices.Contains(menuOf(home), "New order"); got != wantMenu {
					t.Errorf("menu has New order = %v, want %v (menu %v)", got, wantMenu, menuOf(home))
				}
				wantGet := map[bool]int{false: 404, true: 200}[on]
				wantPost := map[bool]int{false: 404, true: 422}[on] // on: placing an empty order is refused
				if on && login == "basic@orbis.example" {
					wantGet, wantPost = 403, 403
				}
				for path, want := range map[string]int{"/cc/orders/new": wantGet, "/cc/orders/new?from=" + order: wantGet} {
					if p := b.Get(path); p.Status != want {
						t.Errorf("GET %s = %d, want %d", path, p.Status, want)
					}
				}
				if p := b.Post("/cc/orders/new", url.Values{"place": {"1"}}); p.Status != wantPost {
					t.Errorf("POST place = %d, want %d", p.Status, wantPost)
				}
				if login != "basic@orbis.example" {
					list := b.Get("/cc/orders")
					if got := list.Doc.Find(`a[href="/cc/orders/new"]`).Length() > 0; got != on {
						t.Errorf("Orders list offers New order = %v, want %v", got, on)
					}
				}
			})
		}
	}
}

func TestNewOrderPlaceByRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		login  string
		prices bool
	}{
		{"orders@orbis.example", false},
		{"prices@orbis.example", true},
	}
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			b, _ := env.SignIn(t, "cc", tt.login)
			start := b.Get("/cc/orders/new")
			if start.Status != 200 {
				t.Fatalf("GET new: %s", start)
			}
			if got := start.Doc.Find("nav.menu > ul > li:not(.more-item) > a[aria-current]"); got.Length() != 1 || got.Text() != "New order" {
				t.Errorf("current menu entries: %d, %q; want only New order", got.Length(), got.Text())
			}
			before := salesOrderCount(t, erp) // the first change makes the person's draft: the order placed
			page := addProductToForm(t, b, start, "COF-001")
			page = b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "line_qty", "2", "update", "1"))
			seen := []*testenv.Page{start, page}
			if got := page.Text(`[data-line="0"] [data-part]`); got != "COF-001" {
				t.Fatalf("line 0 is %q, want COF-001", got)
			}
			if tt.prices {
				// The form shows no estimate: Erp.Net's prices come when asked for.
				if page.Doc.Find(`[data-line="0"] [data-amount], [data-totals]`).Length() != 0 || page.Doc.Find("[data-calculate]").Length() != 1 {
					t.Errorf("an unpriced form shows amounts, or no Calculate prices")
				}
				page = b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "price", "1"))
				for sel, amount := range map[string]float64{`[data-line="0"] [data-amount]`: 69.80, "[data-total-lines]": 69.80,
					"[data-total-vat]": 13.96, "[data-total-pay]": 83.76} {
					if got, want := page.Text(sel), locale.Money("en", amount, "BGN"); got != want {
						t.Errorf("%s = %q, want %q", sel, got, want)
					}
				}
				if env.Sim.OpenTransactions() != 0 {
					t.Errorf("calculating prices left a transaction open")
				}
			} else if page.Doc.Find("[data-calculate]").Length() != 0 {
				t.Errorf("a role without prices is offered Calculate prices")
			}
			form := withForm(orderFormValues(t, page), "po", "PO-"+tt.login[:6], "delivery", dayFromToday(7), "notes", "Leave at gate 2", "place", "1")
			placed := b.Post("/cc/orders/new", form)
			id := placedOrderID(placed)
			if placed.Status != 200 || id == "" {
				t.Fatalf("place landed on %s: %s %.300s", placed, placed.Text("[data-problem]"), placed.Body)
			}
			if got := salesOrderCount(t, erp); got != before+1 {
				t.Errorf("orders: %d, want %d", got, before+1)
			}
			flash := placed.Text(".notice.ok")
			if !strings.HasPrefix(flash, "Order SO-") || !strings.HasSuffix(flash, " placed.") || !strings.Contains(placed.Text("h1"), strings.Fields(flash)[1]) {
				t.Errorf("flash %q on order page %q", flash, placed.Text("h1"))
			}
			seen = append(seen, placed)
			for i, p := range seen {
				hasPrices := strings.Contains(p.Body, "BGN\u00a0") || strings.Contains(p.Body, " BGN") || p.Doc.Find("[data-price], [data-totals], [data-amount]").Length() > 0
				if hasPrices != tt.prices {
					t.Errorf("page %d (%s) shows prices = %v, want %v", i, p, hasPrices, tt.prices)
				}
			}
			checkPlacedOrder(t, erp, id, form, tt.prices)
		})
	}
}

// checkPlacedOrder reads the created order from Erp.Net and compares it with the form and the
// instance's settings.
func checkPlacedOrder(t *testing.T, erp *erpnet.Client, id string, form url.Values, prices bool) {
	t.Helper()
	var o erpnet.SalesOrder
	err := erp.Get(t.Context(), erpnet.SetSalesOrders, id, erpnet.Query{}.Select("default", "Id", "AmountToPay", "TotalLineAmount").
		Expand("DocumentType", erpnet.Query{}.Select("Id", "Code")).
		Expand("Lines", erpnet.Query{}.Select("default", "Id").Expand("Product", erpnet.Query{}.Select("Id", "PartNumber"))), &o)
	if err != nil {
		t.Fatal(err)
	}
	codeID := func(set, code string) string {
		var rows []struct {
			ID string `json:"Id"`
		}
		if err := erp.ListAll(t.Context(), erpnet.From(set).Where(erpnet.Eq("Code", erpnet.Str(code))).Select("Id"), &rows); err != nil || len(rows) != 1 {
			t.Fatalf("%s %s: %v %v", set, code, rows, err)
		}
		return rows[0].ID
	}
	// Erp.Net records the write as the portal's system user's, so the notes name who placed it.
	notes, by, _ := strings.Cut(o.DocumentNotes, "\n\n")
	if !strings.HasPrefix(by, "Placed in the Client Center by ") || !strings.Contains(by, "@orbis.example>") {
		t.Errorf("the order's notes %q do not name who placed it", o.DocumentNotes)
	}
	got := []string{o.DocumentType.Entity.Code, o.Customer.ID, o.CustomerPurchaseOrderNo, o.RequiredDeliveryDate.Format("2006-01-02"),
		notes, o.DistributionChannel.ID, o.Store.ID, strconv.Itoa(len(o.Lines))}
	want := []string{"SO", customerIDOf(t, erp, erpnetsim.MainCustomerNumber), form.Get("po"), form.Get("delivery"),
		form.Get("notes"), codeID(erpnet.SetDistributionChannels, "CC"), codeID("Logistics_Inventory_Stores", "MAIN"), "1"}
	if !slices.Equal(got, want) {
		t.Fatalf("order (type, customer, PO, delivery, notes, channel, store, lines) = %q, want %q", got, want)
	}
	if l := o.Lines[0]; l.Product.Entity.PartNumber != "COF-001" || l.Quantity.String() != "2 kg" {
		t.Errorf("line = %s %s, want COF-001 2 kg", l.Product.Entity.PartNumber, l.Quantity)
	}
	// The estimate shown before placing is what Erp.Net computed.
	if prices && o.AmountToPay.String() != "83.76 BGN" {
		t.Errorf("Erp.Net's amount to pay = %s, the form estimated 83.76 BGN", o.AmountToPay)
	}
}

func TestNewOrderValidationKeepsInput(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	base := orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "HW-002"))
	base = withForm(base, "line_qty", "3", "line_notes", "Blue ones", "po", "PO-77", "delivery", dayFromToday(3), "notes", "Call first")
	long := func(n int) string { return strings.Repeat("é", n) } // characters, not bytes, are counted
	tests := []struct {
		name    string
		form    url.Values
		problem string // the data-problem of the field that must say what is wrong
	}{
		{"no lines", withForm(base, "line_product", "", "line_qty", "", "line_notes", ""), "lines"},
		{"zero quantity", withForm(base, "line_qty", "0"), "line.0.quantity"},
		{"negative quantity", withForm(base, "line_qty", "-2"), "line.0.quantity"},
		{"quantity not a number", withForm(base, "line_qty", "two"), "line.0.quantity"},
		{"quantity with 4 decimals", withForm(base, "line_qty", "1.2345"), "line.0.quantity"},
		{"inactive product", withForm(base, "line_product", productIDOf(t, erp, "OLD-001")), "line.0.product"},
		{"unknown product", withForm(base, "line_product", "0b6c7a9e-1f0e-4a59-9a55-3c1d2e4f5a6b"), "line.0.product"},
		{"line notes too long", withForm(base, "line_notes", long(251)), "line.0.notes"},
		{"order notes too long", withForm(base, "notes", long(1001)), "notes"},
		{"PO number too long", withForm(base, "po", long(51)), "po"},
		{"delivery in the past", withForm(base, "delivery", dayFromToday(-1)), "delivery"},
		{"delivery not a date", withForm(base, "delivery", "12/31/2030"), "delivery"},
	}
	before := salesOrderCount(t, erp)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "no lines" {
				tt.form.Del("line_product")
				tt.form.Del("line_qty")
				tt.form.Del("line_notes")
			}
			p := b.Post("/cc/orders/new", withForm(tt.form, "place", "1"))
			if p.Status != 422 {
				t.Fatalf("status = %d, want 422 (%s)", p.Status, p.Text("[data-problem]"))
			}
			if got := p.Text(`[data-problem="` + tt.problem + `"]`); got == "" {
				t.Errorf("no problem shown at %s; shown: %q", tt.problem, p.Text("[data-problem]"))
			}
			if p.Text("[data-problem-summary]") == "" {
				t.Errorf("no summary of the problems at the top of the form")
			}
			if n := p.Doc.Find("[data-problem]").Length(); n != 1 {
				t.Errorf("%d problems shown, want 1: %q", n, p.Doc.Find("[data-problem]").Text())
			}
			got := orderFormValues(t, p)
			for _, key := range []string{"id", "line_product", "line_qty", "line_notes", "po", "delivery", "notes"} {
				if !slices.Equal(got[key], tt.form[key]) {
					t.Errorf("%s came back as %q, sent %q", key, got[key], tt.form[key])
				}
			}
		})
	}
	if got := salesOrderCount(t, erp); got != before {
		t.Errorf("orders: %d, want %d: an invalid form placed an order", got, before)
	}
}

func TestNewOrderPicker(t *testing.T) {
	t.Parallel()
	shown := func(p *testenv.Page) (parts []string, counts []int) {
		p.Doc.Find("[data-results] li").Each(func(_ int, li *goquery.Selection) {
			parts = append(parts, li.AttrOr("data-product", ""))
			n := 0
			if _, after, ok := strings.Cut(li.Find("small").Text(), "ordered "); ok {
				n, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(after), "×"))
			}
			counts = append(counts, n)
		})
		return parts, counts
	}
	for _, hide := range []bool{false, true} {
		in := newOrderInstance(erpnetsim.SalesOrderTypeCode)
		in.HideCustomerProducts = hide
		env := testenv.New(t, testenv.Options{Instances: []config.Instance{in}})
		b, _ := env.SignIn(t, "cc", "orders@orbis.example")
		tests := []struct {
			name, query, title string
			want               []string // the part numbers shown (their order is checked below); nil: any
		}{
			{"no search", "", map[bool]string{false: "Products you order most", true: "Products"}[hide], nil},
			{"by name", "cleaner", `Products matching "cleaner"`, []string{"CLN-001", "CLN-002"}},
			{"by part number, any case", "hw-00", `Products matching "hw-00"`, []string{"HW-001", "HW-002", "HW-003", "HW-004", "HW-005", "HW-006"}},
			{"a quote in the search", "O'Neil", `Products matching "O'Neil"`, []string{"CLN-002"}},
			{"inactive products are not offered", "kettle", "", []string{}},
		}
		for _, tt := range tests {
			t.Run(map[bool]string{false: "own products/", true: "hidden/"}[hide]+tt.name, func(t *testing.T) {
				p := b.Get("/cc/orders/new?q=" + url.QueryEscape(tt.query))
				parts, counts := shown(p)
				if got := p.Text(".picker-title"); got != tt.title {
					t.Errorf("title %q, want %q", got, tt.title)
				}
				if tt.want != nil && !sameSet(parts, tt.want) {
					t.Errorf("shown %v, want %v", parts, tt.want)
				}
				if len(tt.want) == 0 && tt.want != nil && p.Text("[data-no-results]") == "" {
					t.Errorf("no results and no message saying so")
				}
				switch {
				case tt.query == "" && !hide && (len(parts) == 0 || !slices.IsSortedFunc(counts, func(a, b int) int { return b - a }) || counts[len(counts)-1] == 0):
					t.Errorf("the customer's products are not listed most ordered first: %v %v", parts, counts)
				case hide && (slices.Max(append(counts, 0)) != 0 || !slices.IsSorted(parts)):
					t.Errorf("with the customer's products hidden: %v %v", parts, counts)
				case tt.query != "" && !hide && !slices.IsSortedFunc(counts, func(a, b int) int { return b - a }):
					t.Errorf("search results do not put the most ordered first: %v %v", parts, counts)
				}
				if slices.Contains(parts, "OLD-001") {
					t.Errorf("the inactive product is offered")
				}
			})
		}
	}
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func TestNewOrderPricesInCustomerCurrency(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	b, _ := env.SignIn(t, "cc", "mueller@orbis.example") // C-1002 buys in euro
	page := addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-001")
	page = b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "line_qty", "3", "price", "1"))
	if got, want := page.Text(`[data-line="0"] [data-amount]`), locale.Money("en", 53.52, "EUR"); got != want { // 3 × 34.90 BGN at 1.95583 BGN/EUR = 3 × 17.84
		t.Errorf("line amount %q, want %q", got, want)
	}
	estimate := page.Text("[data-total-pay]")
	placed := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "place", "1"))
	if placedOrderID(placed) == "" || placed.Text("[data-amount]") != estimate {
		t.Errorf("Erp.Net's amount to pay %q (%s), the form said %q", placed.Text("[data-amount]"), placed, estimate)
	}
}
