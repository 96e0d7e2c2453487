package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnet/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestOutageServesStaleThenRecovers(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	warm := b.Get("/cc/orders")
	if warm.Status != 200 || warm.Doc.Find(".notice.warn").Length() != 0 {
		t.Fatalf("warm page: %s", warm)
	}
	env.Sim.SetFaults(erpnetsim.Faults{Outage: true})
	clk.Add(10 * time.Minute) // past every TTL but the reference data's
	stale := b.Get("/cc/orders")
	if stale.Status != 200 || !strings.Contains(stale.Text(".notice.warn"), "not reachable") || !strings.Contains(stale.Text(".notice.warn"), "10 minutes") {
		t.Fatalf("stale page: %s notice %q", stale, stale.Text(".notice.warn"))
	}
	if got, want := stale.Doc.Find("tbody tr").Length(), warm.Doc.Find("tbody tr").Length(); got != want {
		t.Errorf("stale page has %d rows, warm had %d", got, want)
	}
	// A page never seen before has nothing to fall back on: a plain 503 page.
	cold := b.Get("/cc/orders?sort=po")
	if cold.Status != http.StatusServiceUnavailable || cold.Text("h1") != "Erp.Net is not reachable" {
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
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	env.Sim.SetFaults(erpnetsim.Faults{ErrorRate: 1})
	p := b.Get("/cc/orders?sort=delivery")
	if p.Status < 500 || strings.Contains(p.Body, "Simulated server error") || strings.Contains(p.Body, "Aloe.") {
		t.Errorf("upstream 500: %s shows %.300s", p, p.Body)
	}
	if p.Text(".code") == "" {
		t.Errorf("error page without a request id")
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := b.Get("/cc/orders?sort=delivery"); p.Status != 200 {
		t.Errorf("after the errors stop: %s", p)
	}
}
