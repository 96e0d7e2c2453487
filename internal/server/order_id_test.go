package server_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestNewOrderPlacesOnlyUnderAnIDThePortalIssued: the form's order id is signed for the person
// and customer; an id the portal did not issue (made up, or another person's) places nothing
// and the form starts over with a fresh one, so the form cannot probe which ids exist.
func TestNewOrderPlacesOnlyUnderAnIDThePortalIssued(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	other, _ := env.SignIn(t, "cc", "orders@orbis.example")
	othersForm := orderFormValues(t, other.Get("/cc/orders/new"))
	tests := []struct {
		name string
		kv   []string
	}{
		{"a made-up id", []string{"id", uuid.NewString()}},
		{"a made-up id with a made-up signature", []string{"id", uuid.NewString(), "id_sig", "AAAA"}},
		{"another person's id and signature", []string{"id", othersForm.Get("id"), "id_sig", othersForm.Get("id_sig")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := withForm(orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-003")), append(tt.kv, "place", "1")...)
			before := salesOrderCount(t, erp)
			p := b.Post("/cc/orders/new", form)
			if p.Status != http.StatusConflict || p.Text(`[data-problem="form"]`) == "" {
				t.Errorf("placing: %s %q, want 409 with the reason", p, p.Text("[data-problem]"))
			}
			if got := orderFormValues(t, p).Get("id"); got == form.Get("id") || got == "" {
				t.Errorf("the form kept the id %q", got)
			}
			if got := salesOrderCount(t, erp); got != before {
				t.Errorf("orders: %d, want %d", got, before)
			}
		})
	}
	// The form as the portal issued it places the order.
	form := withForm(orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-003")), "place", "1")
	if p := b.Post("/cc/orders/new", form); p.Status != http.StatusOK || p.Text(".notice.ok") == "" {
		t.Errorf("placing the issued form: %s %q", p, p.Text(".notice"))
	}
}
