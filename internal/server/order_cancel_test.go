package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestCancelNamesWhoCancelled: Erp.Net records the portal's system user for every write, so the
// void reason says which person cancelled the order.
func TestCancelNamesWhoCancelled(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	open := orderIDs(t, env, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	version := b.Get("/cc/orders/"+open.ID).Doc.Find("form[data-cancel-form] input[name=version]").AttrOr("value", "")
	if p := b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}}); p.Text("[data-status]") != "Cancelled" {
		t.Fatalf("cancel: %s %q", p, p.Text(".notice"))
	}
	var order struct {
		VoidReason string `json:"VoidReason"`
	}
	env.API(t, "Crm_Sales_SalesOrders("+open.ID+")?$select=VoidReason", &order)
	if got, want := order.VoidReason, "Cancelled in the Client Center by Olga Орлова <orders@orbis.example>"; got != want {
		t.Errorf("void reason %q, want %q", got, want)
	}
}

// The person may say why they cancel: the reason goes to Erp.Net as the order's void reason,
// with who cancelled. One over the limit is refused with the form as typed, and cancels nothing.
func TestCancelWithAReason(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	open := orderIDs(t, env, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	ask := b.Get("/cc/orders/" + open.ID + "/cancel")
	version := ask.Doc.Find("form[data-cancel-form] input[name=version]").AttrOr("value", "")
	long := strings.Repeat("too long ", 20)
	p := b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}, "reason": {long}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("[data-problem]"), "150") ||
		p.Doc.Find("textarea[name=reason]").Text() != long {
		t.Errorf("a long reason: %s %q, want 422 naming the limit, the reason kept", p, p.Text("[data-problem]"))
	}
	if got := b.Get("/cc/orders/" + open.ID).Text("[data-status]"); got == "Cancelled" {
		t.Fatalf("a refused reason cancelled the order")
	}
	p = b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}, "reason": {"Ordered twice\n by mistake"}})
	if p.Text("[data-status]") != "Cancelled" {
		t.Fatalf("cancel: %s %q", p, p.Text(".notice"))
	}
	var order struct {
		VoidReason string `json:"VoidReason"`
	}
	env.API(t, "Crm_Sales_SalesOrders("+open.ID+")?$select=VoidReason", &order)
	if got, want := order.VoidReason, "Cancelled in the Client Center by Olga Орлова <orders@orbis.example>: Ordered twice by mistake"; got != want {
		t.Errorf("void reason %q, want %q", got, want)
	}
}

// No page asks with the browser's own confirm() box: the questions are the portal's dialogs.
func TestNoBrowserConfirmBoxes(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	js := env.NewBrowser(t).Get("/static/app.js")
	if js.Status != http.StatusOK || strings.Contains(js.Body, "confirm(") {
		t.Errorf("app.js %s asks with confirm()", js)
	}
}
