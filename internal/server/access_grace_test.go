package server_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestAccessIsStaleOnlyForReadingWithinItsGrace: while Erp.Net is down, a person's access is
// used past its TTL only for pages that read, only for cache.access_grace, and never for a change
// or User Management.
func TestAccessIsStaleOnlyForReadingWithinItsGrace(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	grace, ttl := env.Config.Cache.AccessGrace, env.Config.Cache.TTL.Access
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	billing.Get("/cc/invoices")
	admin.Get("/cc/users")
	env.Sim.SetFaults(erpnetsim.Faults{Outage: true})

	clk.Advance(ttl + grace/2)
	tests := []struct {
		name string
		do   func() *testenv.Page
		want int
	}{
		{"a page that reads, within the grace", func() *testenv.Page { return billing.Get("/cc/invoices") }, http.StatusOK},
		{"a change, within the grace", func() *testenv.Page {
			// The answer itself, not the page it would send the browser to.
			billing.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			defer func() { billing.Client.CheckRedirect = nil }()
			return billing.Post("/cc/orders/columns", url.Values{"col": {"date"}})
		}, http.StatusServiceUnavailable},
		{"User Management, within the grace", func() *testenv.Page { return admin.Get("/cc/users") }, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		if p := tt.do(); p.Status != tt.want {
			t.Errorf("%s: %s, want %d", tt.name, p, tt.want)
		}
	}
	clk.Advance(grace)
	if p := billing.Get("/cc/invoices"); p.Status != http.StatusServiceUnavailable {
		t.Errorf("a page that reads, past the grace: %s, want 503", p)
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := billing.Get("/cc/invoices"); p.Status != http.StatusOK {
		t.Errorf("Erp.Net back: %s, want 200", p)
	}
}
