package server_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

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
	// A list never seen with this filter has nothing to fall back on: a plain 503 page.
	cold := b.Get("/cc/orders?status=New")
	if cold.Status != http.StatusServiceUnavailable || cold.Text("h1") != "Our ERP system is not reachable" {
		t.Errorf("cold page in outage: %s %q", cold, cold.Text("h1"))
	}
	if strings.Contains(cold.Body, "Simulated") || strings.Contains(cold.Body, "erpnet:") {
		t.Errorf("the outage page shows upstream text")
	}
	// Erp.Net back: fresh again, no notice.
	env.Sim.SetFaults(erpnetsim.Faults{})
	back := b.Get("/cc/orders?status=New")
	if back.Status != 200 || back.Doc.Find(".notice.warn").Length() != 0 {
		t.Errorf("after recovery: %s", back)
	}
}

func TestUpstreamErrorShowsGenericPage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	env.Sim.SetFaults(erpnetsim.Faults{ErrorRate: 1})
	p := b.Get("/cc/orders?status=New&page=2")
	if p.Status < 500 || strings.Contains(p.Body, "Simulated server error") || strings.Contains(p.Body, "Aloe.") {
		t.Errorf("upstream 500: %s shows %.300s", p, p.Body)
	}
	if p.Text(".code") == "" {
		t.Errorf("error page without a request id")
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := b.Get("/cc/orders?status=New&page=2"); p.Status != 200 {
		t.Errorf("after the errors stop: %s", p)
	}
}

func TestSlowErpNetBeyondTheDeadline(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true, Configure: func(c *config.Config) { c.ErpNet.Timeout = 300 * time.Millisecond }})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	env.Sim.SetFaults(erpnetsim.Faults{Latency: 2 * time.Second})
	p := b.Get("/cc/orders?status=New&sort=number")
	if p.Status != http.StatusServiceUnavailable || p.Text("h1") != "Our ERP system is not reachable" {
		t.Errorf("slow Erp.Net, nothing cached: %s %q", p, p.Text("h1"))
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := b.Get("/cc/orders?status=New&sort=number"); p.Status != 200 {
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
	p := b.Get("/cc/orders?status=New&page=2")
	if p.Status != http.StatusServiceUnavailable || strings.Contains(p.Body, "Too many requests") {
		t.Errorf("rate-limited: %s %q", p, p.Text("h1"))
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	if p := b.Get("/cc/orders?status=New&page=2"); p.Status != 200 {
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

// While Erp.Net is down, a list already seen can still be sorted and paged: from every row of
// it, kept when one page held them all; else the list as last shown is served, saying that
// other sorts and pages must wait.
func TestListsSortAndPageFromTheCacheInAnOutage(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true, Configure: func(c *config.Config) { c.Cache.AccessGrace = 15 * time.Minute }})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	// A filter whose rows fit one page of 250 but not one of 25.
	var filter string
	var total int
	for _, f := range []string{"status=Cancelled", "status=New", "from=2026-10-01", "from=2026-06-01"} {
		n, _ := strconv.Atoi(b.Get("/cc/orders?size=250&"+f).Doc.Find("[data-total]").AttrOr("data-total", ""))
		if n > 25 && n <= 250 {
			filter, total = f, n
			break
		}
	}
	if filter == "" {
		t.Fatal("no filter of the seed gives more than 25 orders and at most 250; the test would prove nothing")
	}
	ordered := b.Get("/cc/orders?status=Ordered")
	env.Sim.SetFaults(erpnetsim.Faults{Outage: true})
	clk.Advance(10 * time.Minute)

	numbers := func(p *testenv.Page) []string {
		var out []string
		p.Doc.Find("table[data-list=orders] tbody tr a.row-link").Each(func(_ int, a *goquery.Selection) { out = append(out, a.Text()) })
		return out
	}
	sorted := b.Get("/cc/orders?size=250&sort=number&dir=asc&" + filter)
	if got := numbers(sorted); sorted.Status != 200 || len(got) != total || !slices.IsSorted(got) || sorted.Doc.Find(".notice.warn").Length() == 0 {
		t.Errorf("sorted in the outage: %s, %d rows sorted %v, stale notice %q", sorted, len(got), slices.IsSorted(got), sorted.Text(".notice.warn"))
	}
	second := b.Get("/cc/orders?size=25&page=2&sort=number&dir=asc&" + filter)
	if got := numbers(second); len(got) != 25 || got[0] != numbers(sorted)[25] {
		t.Errorf("page 2 in the outage: %d rows from %v, want 25 from %s", len(got), got[:min(1, len(got))], numbers(sorted)[25])
	}
	last := b.Get("/cc/orders?status=Ordered&page=2")
	if last.Status != 200 || last.Doc.Find("[data-fallback]").Length() != 1 || !slices.Equal(numbers(last), numbers(ordered)) {
		t.Errorf("an unseen page of a long list in the outage: %s, fallback %d, want the list as last shown", last, last.Doc.Find("[data-fallback]").Length())
	}
}
