package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

type idRows struct {
	Value []struct {
		ID         string `json:"Id"`
		DocumentNo string `json:"DocumentNo"`
	} `json:"value"`
}

// orderIDs asks the simulator for orders matching an OData filter.
func orderIDs(t *testing.T, env *testenv.Env, filter string) idRows {
	t.Helper()
	var rows idRows
	env.API(t, "Crm_Sales_SalesOrders?$top=20&$select=Id,DocumentNo&$filter="+url.QueryEscape(filter), &rows)
	if len(rows.Value) == 0 {
		t.Fatalf("no orders for %s", filter)
	}
	return rows
}

func TestOrderPageByRole(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	o := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'Completed' and Void eq false").Value[0]
	prices, _ := env.SignIn(t, "cc", "prices@orbis.example")
	page := prices.Get("/cc/orders/" + o.ID)
	if page.Status != 200 || !strings.Contains(page.Text("h1"), o.DocumentNo) {
		t.Fatalf("order page: %s %q", page, page.Text("h1"))
	}
	if page.Doc.Find("table[data-lines] tbody tr").Length() == 0 || page.Text("[data-amount]") == "" {
		t.Errorf("L30 sees no lines or amount")
	}
	if page.Doc.Find("[data-cancel]").Length() != 0 {
		t.Errorf("a completed order offers Cancel")
	}
	orders, _ := env.SignIn(t, "cc", "orders@orbis.example")
	page = orders.Get("/cc/orders/" + o.ID)
	if page.Status != 200 || page.Doc.Find("table[data-lines] tbody tr").Length() == 0 {
		t.Fatalf("L20 order page: %s", page)
	}
	for _, money := range []string{"BGN", "EUR", "Unit price", "Amount to pay"} {
		if strings.Contains(page.Body, money) {
			t.Errorf("L20 order page contains %q", money)
		}
	}
	basic, _ := env.SignIn(t, "cc", "basic@orbis.example")
	if p := basic.Get("/cc/orders/" + o.ID); p.Status != 403 {
		t.Errorf("L10 order page: %s, want 403", p)
	}
}

func TestOrderShowsChannelUnlessHidden(t *testing.T) {
	t.Parallel()
	hidden := testenv.Instance("hidden")
	hidden.HideDistributionChannel = true
	env := testenv.New(t, testenv.Options{Instances: []config.Instance{testenv.Instance("cc"), hidden}})
	o := orderIDs(t, env, "Customer/Number eq 'C-1001'").Value[0]
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	if got := b.Get("/cc/orders/" + o.ID).Text("[data-channel]"); got != "Direct sales" {
		t.Errorf("channel = %q, want Direct sales", got)
	}
	if p := b.Get("/hidden/orders/" + o.ID); p.Status != 200 || p.Doc.Find("[data-channel]").Length() != 0 || strings.Contains(p.Body, "Direct sales") {
		t.Errorf("hide_distribution_channel: %s still shows the channel", p)
	}
}

func TestOrderHideLines(t *testing.T) {
	t.Parallel()
	in := testenv.Instance("cc")
	in.HideLines = true
	env := testenv.New(t, testenv.Options{Instances: []config.Instance{in}})
	o := orderIDs(t, env, "Customer/Number eq 'C-1001'").Value[0]
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	if p := b.Get("/cc/orders/" + o.ID); p.Status != 200 || p.Doc.Find("table[data-lines]").Length() != 0 {
		t.Errorf("hide_lines: %s shows %d line tables", p, p.Doc.Find("table[data-lines]").Length())
	}
}

func TestCancelOrder(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	open := orderIDs(t, env, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	released := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'Released' and Void eq false").Value[0]
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	page := b.Get("/cc/orders/" + open.ID)
	// The question is asked on the page, in a dialog, before anything is sent.
	form := page.Doc.Find("dialog#cancel-dialog form[data-cancel-form]")
	if got, want := form.Find("h2").Text(), "Cancel order "+open.DocumentNo+"?"; got != want {
		t.Fatalf("confirmation = %q, want %q", got, want)
	}
	if form.Find("[data-keep]").Text() != "Keep order" || form.Find("[data-confirm-cancel]").Text() != "Cancel order" {
		t.Errorf("the dialog's buttons %q / %q, want Keep order / Cancel order", form.Find("[data-keep]").Text(), form.Find("[data-confirm-cancel]").Text())
	}
	version := form.Find("input[name=version]").AttrOr("value", "")
	done := b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}})
	if done.Status != 200 || done.Text("[data-status]") != "Cancelled" || !strings.Contains(done.Text(".notice"), "is cancelled") {
		t.Fatalf("after cancel: %s status %q notice %q", done, done.Text("[data-status]"), done.Text(".notice"))
	}
	// The double click: the second POST finds it cancelled, says so, voids nothing twice.
	again := b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}})
	if again.Status != 200 || !strings.Contains(again.Text(".notice"), "already cancelled") {
		t.Errorf("second cancel: %s notice %q", again, again.Text(".notice"))
	}
	// Released: refused with the reason, and nothing changes.
	refused := b.Post("/cc/orders/"+released.ID+"/cancel", url.Values{})
	if !strings.Contains(refused.Text(".notice"), "released") || refused.Text("[data-status]") == "Cancelled" {
		t.Errorf("cancel released: notice %q status %q", refused.Text(".notice"), refused.Text("[data-status]"))
	}
	// A GET never cancels: it asks (the page for browsers without JavaScript).
	other := orderIDs(t, env, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	if p := b.Get("/cc/orders/" + other.ID + "/cancel"); p.Status != 200 || p.Doc.Find("form[data-cancel-form] textarea[name=reason]").Length() != 1 ||
		p.Doc.Find("a[data-keep]").AttrOr("href", "") != "/cc/orders/"+other.ID {
		t.Errorf("GET cancel: %s, want the question with a reason box and a way back", p)
	}
	if p := b.Get("/cc/orders/" + other.ID); p.Text("[data-status]") == "Cancelled" {
		t.Errorf("GET changed the order")
	}
}

func TestCancelChangedMeanwhile(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	o := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'New' and Void eq false").Value[0]
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	page := b.Get("/cc/orders/" + o.ID)
	version := page.Doc.Find("form[data-cancel-form] input[name=version]").AttrOr("value", "")
	env.APIDo(t, "PATCH", "Crm_Sales_SalesOrders("+o.ID+")", map[string]string{"DocumentNotes": "changed by the sales team"})
	p := b.Post("/cc/orders/"+o.ID+"/cancel", url.Values{"version": {version}})
	if !strings.Contains(p.Text(".notice"), "changed since") || p.Text("[data-status]") == "Cancelled" {
		t.Errorf("stale cancel: notice %q status %q", p.Text(".notice"), p.Text("[data-status]"))
	}
}

func TestOtherCustomersOrdersAre404(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	foreign := orderIDs(t, env, "Customer/Number eq 'C-1002'")
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	for _, o := range foreign.Value {
		for _, path := range []string{"/cc/orders/" + o.ID} {
			if p := b.Get(path); p.Status != 404 {
				t.Errorf("%s: %s, want 404", path, p)
			}
		}
		if p := b.Post("/cc/orders/"+o.ID+"/cancel", url.Values{}); p.Status != 404 {
			t.Errorf("cancel of another customer's order: %s, want 404", p)
		}
	}
	for _, bad := range []string{"not-a-guid", "00000000-0000-4000-8000-000000000000", "%27%20or%201"} {
		if p := b.Get("/cc/orders/" + bad); p.Status != 404 {
			t.Errorf("/cc/orders/%s: %s, want 404", bad, p)
		}
	}
}
