package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestOutageServesStaleThenRecovers(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	// The access grace is set past the outage, which is long enough for every data TTL to pass.
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true, Configure: func(c *config.Config) { c.Cache.AccessGrace = 15 * time.Minute }})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	warm := b.Get("/cc/orders")
	if warm.Status != 200 || warm.Doc.Find(".notice.warn").Length() != 0 {
		t.Fatalf("warm page: %s", warm)
	}
	env.Sim.SetFaults(erpnetsim.Faults{Outage: true})
	clk.Advance(10 * time.Minute) // past every TTL but the reference data's
	stale := b.Get("/cc/orders")
	if stale.Status != 200 || !strings.Contains(stale.Text(".notice.warn"), "not reachable") || !strings.Contains(stale.Text(".notice.warn"), "10 minutes") {
		t.Fatalf("stale page: %s notice %q", stale, stale.Text(".notice.warn"))
	}
	if got, want := stale.Doc.Find("tbody tr").Length(), warm.Doc.Find("tbody tr").Length(); got != want {
		t.Errorf("stale page has %d rows, warm had %d", got, want)
	}
	// A page never seen before has nothing to fall back on: a plain 503 page.
	cold := b.Get("/cc/orders?sort=po")
	if cold.Status != http.StatusServiceUnavailable || cold.Text("h1") != "Our ERP system is not reachable" {
		t.Errorf("cold page in outage: %s %q", cold, cold.Text("h1"))
	}
	if strings.Contains(cold.Body, "Simulated") || strings.Contains(cold.Body, "erpnet:") {
		t.Errorf("the outage page shows upstream text")
	}
	// Erp.Net back: fresh again, no notice.
	env.Sim.SetFaults(erpnetsim.Faults{})
	back := b.Get("/cc/orders?sort=po")
	if back.Status != 200 || back.Doc.Find(".notice.warn").Length() != 0 {
		t.Errorf("after recovery: %s", back)
	}
}

func TestUpstreamErrorShowsGenericPage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	env.Sim.SetFaults(erpnetsim.Faults{ErrorRate: 1})
	p := b.Get("/cc/orders?page=2")
	if p.Status < 500 || strings.Contains(p.Body, "Simulated server error") || strings.Contains(p.Body, "Aloe.") {
		t.Errorf("upstream 500: %s shows %.300s", p, p.Body)
	}
	if p.Text(".code") == "" {
		t.Errorf("error page without a request id")
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := b.Get("/cc/orders?page=2"); p.Status != 200 {
		t.Errorf("after the errors stop: %s", p)
	}
}

func TestSlowErpNetBeyondTheDeadline(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true, Configure: func(c *config.Config) { c.ErpNet.Timeout = 300 * time.Millisecond }})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	env.Sim.SetFaults(erpnetsim.Faults{Latency: 2 * time.Second})
	p := b.Get("/cc/orders?sort=number")
	if p.Status != http.StatusServiceUnavailable || p.Text("h1") != "Our ERP system is not reachable" {
		t.Errorf("slow Erp.Net, nothing cached: %s %q", p, p.Text("h1"))
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := b.Get("/cc/orders?sort=number"); p.Status != 200 {
		t.Errorf("after Erp.Net is fast again: %s", p)
	}
}

func TestRateLimitedErpNet(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true, Configure: func(c *config.Config) { c.ErpNet.Timeout = 2 * time.Second }})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	// Every request beyond the first few this minute is answered 429 with a Retry-After beyond the deadline.
	env.Sim.SetFaults(erpnetsim.Faults{RateLimit: 1})
	b.Get("/cc/orders?sort=po") // uses up this minute's allowance
	p := b.Get("/cc/orders?page=2")
	if p.Status != http.StatusServiceUnavailable || strings.Contains(p.Body, "Too many requests") {
		t.Errorf("rate-limited: %s %q", p, p.Text("h1"))
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := b.Get("/cc/orders?page=2"); p.Status != 200 {
		t.Errorf("after the limit lifts: %s", p)
	}
}

func TestTokensExpiringMidUse(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	env.Sim.SetFaults(erpnetsim.Faults{TokenLifetime: time.Minute})
	tokens := env.Sim.Calls("token")
	for i := range 5 {
		clk.Advance(20 * time.Minute) // past every TTL; past the first (hour-long) token by the fourth step
		if p := b.Get("/cc/orders"); p.Status != 200 || p.Doc.Find(".notice.warn").Length() != 0 {
			t.Fatalf("step %d: %s %q", i, p, p.Text(".notice.warn"))
		}
	}
	if got := env.Sim.Calls("token") - tokens; got < 2 {
		t.Errorf("%d new tokens over 100 minutes of 1-minute tokens: the expiry was not met", got)
	}
}
