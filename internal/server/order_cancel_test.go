package server_test

import (
	"net/url"
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
	version := b.Get("/cc/orders/"+open.ID).Doc.Find("form[data-confirm] input[name=version]").AttrOr("value", "")
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
