package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestNewOrderDoubleSubmitPlacesOne(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	before := salesOrderCount(t, erp) // the first change makes the person's draft: the order placed
	form := withForm(orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "CLN-003")), "place", "1")
	first := b.Post("/cc/orders/new", form)
	second := b.Post("/cc/orders/new", form)
	id := placedOrderID(first)
	if id == "" || placedOrderID(second) != id {
		t.Fatalf("the two posts landed on %s and %s, want the same order page", first, second)
	}
	if got := salesOrderCount(t, erp); got != before+1 {
		t.Errorf("orders: %d after a double submit, want %d", got, before+1)
	}
}

func TestNewOrderRetryAfterTimeoutPlacesOne(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true, Configure: func(c *config.Config) { c.ErpNet.Timeout = time.Second }})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	before := salesOrderCount(t, erp) // the first change makes the person's draft: the order placed
	form := withForm(orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "HW-004")), "po", "PO-RETRY", "place", "1")

	env.Sim.ResetCalls()
	// Slower than the deadline, so the first attempt gives up while Erp.Net still works on it;
	// the retry queues behind that work in the session, as on the real server.
	env.Sim.SetFaults(erpnetsim.Faults{Latency: 1500 * time.Millisecond})
	first := b.Post("/cc/orders/new", form)
	// The place runs in a front-end transaction: the first call that times out may be its start.
	attempts := env.Sim.Calls("BeginTransaction") + env.Sim.Calls(erpnet.SetSalesOrders)
	env.Sim.SetFaults(erpnetsim.Faults{})
	if first.Status != 503 || !strings.Contains(first.Text(`[data-problem="form"]`), "will not be placed twice") {
		t.Fatalf("timed-out place: %s %q", first, first.Text("[data-problem]"))
	}
	if attempts == 0 {
		t.Fatalf("the timed-out place never reached Erp.Net")
	}
	kept := orderFormValues(t, first)
	for _, key := range []string{"id", "line_product", "line_qty", "po"} {
		if strings.Join(kept[key], "|") != strings.Join(form[key], "|") {
			t.Errorf("%s came back as %q, sent %q", key, kept[key], form[key])
		}
	}

	retry := b.Post("/cc/orders/new", withForm(kept, "place", "1"))
	if placedOrderID(retry) == "" {
		t.Fatalf("retry landed on %s: %q", retry, retry.Text("[data-problem]"))
	}
	if got := salesOrderCount(t, erp); got != before+1 {
		t.Errorf("orders: %d after a timeout and a retry, want %d", got, before+1)
	}
}

func TestNewOrderUnknownDocumentTypeIsCC009(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"NOPE", "INV"} { // unknown; a type of invoices, not of sales orders
		t.Run(code, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{newOrderInstance(code)}})
			b, _ := env.SignIn(t, "cc", "orders@orbis.example")
			for name, p := range map[string]*testenv.Page{
				"GET":  b.Get("/cc/orders/new"),
				"POST": b.Post("/cc/orders/new", map[string][]string{"place": {"1"}}),
			} {
				if p.Status != 500 || p.Text("[data-code]") != "CC009" {
					t.Errorf("%s: %s code %q, want 500 CC009", name, p, p.Text("[data-code]"))
				}
			}
		})
	}
}

func TestNewOrderAgain(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	var src erpnet.SalesOrder
	for _, o := range salesOrdersOf(t, erp, erpnetsim.MainCustomerNumber) {
		parts := map[string]bool{}
		for _, l := range o.Lines {
			parts[l.Product.Entity.PartNumber] = true
		}
		if len(o.Lines) >= 3 && len(parts) == len(o.Lines) {
			src = o
			break
		}
	}
	slices.SortFunc(src.Lines, func(a, b erpnet.SalesOrderLine) int { return a.LineNo - b.LineNo })
	if src.ID == "" {
		t.Fatal("no order with 3 lines to copy")
	}
	// One product of the order is no longer sold: its line is left out.
	gone := src.Lines[1].Product.Entity.PartNumber
	if err := erp.Patch(t.Context(), erpnet.SetProducts, src.Lines[1].Product.ID, map[string]any{"Active": false}); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range src.Lines {
		if l.Product.Entity.PartNumber != gone {
			want = append(want, l.Product.Entity.PartNumber+" × "+l.Quantity.String())
		}
	}

	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	if b.Get("/cc/orders/"+src.ID).Doc.Find(`a[href="/cc/orders/new?from=`+src.ID+`"]`).Length() != 1 {
		t.Errorf("the order page has no Order again link")
	}
	p := b.Get("/cc/orders/new?from=" + src.ID)
	if p.Status != 200 {
		t.Fatalf("Order again: %s", p)
	}
	var got []string
	for i := range p.Doc.Find("[data-line]").Length() {
		line := p.Doc.Find("[data-line]").Eq(i)
		qty, _ := line.Find("input[name=line_qty]").Attr("value")
		unit := strings.TrimSuffix(strings.TrimPrefix(line.Find(".ol-qty span").First().Text(), "Quantity ("), ")")
		got = append(got, strings.TrimSpace(line.Find("[data-part]").Text())+" × "+qty+" "+unit)
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("pre-filled lines %q, want %q", got, want)
	}
	if !strings.Contains(p.Text("[data-from]"), src.DocumentNo) || !strings.Contains(p.Text("[data-notice]"), "1 line of order "+src.DocumentNo) {
		t.Errorf("from %q, notice %q", p.Text("[data-from]"), p.Text("[data-notice]"))
	}
}

func TestNewOrderAgainOnlyOwnVisibleOrders(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true})
	erp := newOrderERP(t, env)
	other := salesOrdersOf(t, erp, erpnetsim.SecondCustomerNumber)[0].ID
	old := salesOrdersOf(t, erp, erpnetsim.MainCustomerNumber, erpnet.Le("DocumentDate", erpnet.Date(time.Now().AddDate(0, 0, -400))))[0].ID
	tests := []struct {
		name, login, from string
		want              int
	}{
		{"another customer's order", "orders@orbis.example", other, 404},
		{"beyond the horizon", "billing@orbis.example", old, 404},
		{"not an id", "orders@orbis.example", "x' eq 'x", 404},
		{"own order within the horizon", "orders@orbis.example", old, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := env.SignIn(t, "cc", tt.login)
			p := b.Get("/cc/orders/new?from=" + strings.ReplaceAll(tt.from, " ", "%20"))
			if p.Status != tt.want {
				t.Errorf("status = %d, want %d", p.Status, tt.want)
			}
			if tt.want == 404 && p.Doc.Find("form.new-order").Length() != 0 {
				t.Errorf("a refused Order again shows the form")
			}
		})
	}
}

func TestNewOrderFormWithAnotherCustomersOrderID(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true})
	erp := newOrderERP(t, env)
	foreign := salesOrdersOf(t, erp, erpnetsim.SecondCustomerNumber)[0]
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	form := withForm(orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-003")), "id", foreign.ID, "place", "1")
	before := salesOrderCount(t, erp)
	p := b.Post("/cc/orders/new", form)
	if p.Status != 409 || p.Text(`[data-problem="form"]`) == "" {
		t.Fatalf("place with a foreign order id: %s %q", p, p.Text("[data-problem]"))
	}
	if strings.Contains(p.Body, foreign.DocumentNo) {
		t.Errorf("the page names the other customer's order %s", foreign.DocumentNo)
	}
	if got := orderFormValues(t, p).Get("id"); got == foreign.ID || got == "" {
		t.Errorf("the form kept the used id %q", got)
	}
	if got := salesOrderCount(t, erp); got != before {
		t.Errorf("orders: %d, want %d", got, before)
	}
}

// A setting Erp.Net does not know is named on the New Order page in the person's language, the
// whole sentence from the catalog (the detail was once English inside a Bulgarian sentence).
func TestNewOrderSetupProblemsReadInBulgarian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*config.Instance)
		want string
	}{
		{"document type", func(in *config.Instance) { in.NewOrderDocumentType = "NOPE" }, "типът документ за поръчки „NOPE“"},
		{"channel", func(in *config.Instance) { in.SiteChannel = "NOPE" }, "каналът за дистрибуция „NOPE“"},
		{"store", func(in *config.Instance) { in.DefaultStore = "NOPE" }, "складът „NOPE“"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newOrderInstance(erpnetsim.SalesOrderTypeCode)
			tt.edit(&in)
			env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
			b, _ := env.SignIn(t, "cc", "orders@orbis.example")
			b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}})
			p := b.Get("/cc/orders/new")
			msg := p.Text("main")
			if p.Status != http.StatusInternalServerError || !strings.Contains(msg, tt.want) || !strings.Contains(msg, "не е настроен правилно за нови поръчки") {
				t.Errorf("%s: %q, want the whole refusal in Bulgarian naming %q", p, msg, tt.want)
			}
			if strings.Contains(msg, "ERP system") || strings.Contains(msg, "not known") {
				t.Errorf("English in the Bulgarian refusal: %q", msg)
			}
		})
	}
}
