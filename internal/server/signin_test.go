package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func menuOf(p *testenv.Page) []string {
	var out []string
	// The bar's links (a phone hides those beyond the third and repeats them under "More").
	p.Doc.Find("nav.menu > ul > li:not(.more-item) > a").Each(func(_ int, a *goquery.Selection) { out = append(out, a.Text()) })
	return out
}

func TestSignInLandsOnHomeWithRoleMenu(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	tests := []struct {
		login string
		menu  string
	}{
		{"basic@orbis.example", "Home Profile"},
		{"orders@orbis.example", "Home Orders Profile"},
		{"prices@orbis.example", "Home Orders Profile"},
		{"billing@orbis.example", "Home Orders Invoices Due payments Payments Statement Profile"},
		{"admin@orbis.example", "Home Orders Invoices Due payments Payments Statement Users Profile"},
		{"owner@orbis.example", "Home Orders Invoices Due payments Payments Statement Users Profile"},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			_, home := env.SignIn(t, "cc", tt.login)
			if home.Status != 200 || !strings.HasSuffix(home.URL, "/cc/") {
				t.Fatalf("landed on %s: %.400s", home, home.Body)
			}
			if got := strings.Join(menuOf(home), " "); got != tt.menu {
				t.Errorf("menu = %q, want %q", got, tt.menu)
			}
			// A phone shows the first three in the bar and every other one under "More".
			sections := strings.Fields(strings.ReplaceAll(tt.menu, "Due payments", "Due_payments"))
			var more []string
			home.Doc.Find("nav.menu details[data-more] a").Each(func(_ int, a *goquery.Selection) {
				more = append(more, strings.ReplaceAll(a.Text(), " ", "_"))
			})
			if want := sections[min(3, len(sections)):]; strings.Join(more, " ") != strings.Join(want, " ") {
				t.Errorf("More = %q, want %q", more, want)
			}
			if got := home.Text("h1"); !strings.HasPrefix(got, "Welcome") {
				t.Errorf("h1 = %q", got)
			}
			if !strings.Contains(home.Body, "Acme Build &amp; Co.") {
				t.Errorf("home does not name the customer")
			}
		})
	}
}

func TestNoRoleIsCC010(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	_, page := env.SignIn(t, "cc", "norole@orbis.example")
	if page.Status != 403 || page.Text("[data-code]") != "CC010" || !strings.Contains(page.Body, "Account not active") {
		t.Errorf("norole: %s code %q: %.300s", page, page.Text("[data-code]"), page.Body)
	}
}

func TestHomeShowsWhatIsOwed(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	owner, home := env.SignIn(t, "cc", "owner@orbis.example")
	due := owner.Get("/cc/due-payments")
	var first string
	due.Doc.Find("[data-aging] [data-remaining]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		first = strings.TrimSpace(s.Text())
		return false
	})
	if got := home.Text("[data-due]"); got == "" || got != first {
		t.Errorf("Home owes %q, Due payments says %q", got, first)
	}
	_, home = env.SignIn(t, "cc", "orders@orbis.example")
	if home.Doc.Find("[data-due]").Length() != 0 {
		t.Errorf("L20 sees what the customer owes")
	}
}

// Home does a job: the recent orders as the Orders list opens with them, what falls due next as
// Due Payments lists it from today, New Order and Order again where the role may order, and no
// tile whose big figure is an arrow.
func TestHomeListsRecentOrdersAndWhatFallsDueNext(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	owner, home := env.SignIn(t, "cc", "owner@orbis.example")
	orders := screenRows(owner.Get("/cc/orders"), "orders")
	var recent []string
	home.Doc.Find("[data-recent-orders] li a:first-child").Each(func(_ int, s *goquery.Selection) { recent = append(recent, s.Text()) })
	if len(recent) != 5 || len(orders) < 5 {
		t.Fatalf("recent orders %q, want the first 5 of the Orders list", recent)
	}
	for i, no := range recent {
		if !slices.Contains(orders[i], no) {
			t.Errorf("recent order %d is %s, the Orders list's row is %q", i, no, orders[i])
		}
	}
	if home.Doc.Find("[data-recent-orders] .amount").Length() != 5 || home.Doc.Find("[data-again]").Length() != 5 || home.Doc.Find("[data-new-order]").Length() != 1 {
		t.Errorf("the owner's Home: amounts, Order again or New order missing")
	}
	today := time.Now().In(time.UTC).AddDate(0, 0, -1).Format(time.DateOnly) // the day may be ahead in Sofia, never behind
	due := screenRows(owner.Get("/cc/due-payments?sort=due&dir=asc&from="+today), "due-payments")
	var next []string
	home.Doc.Find("[data-next-due] li").Each(func(_ int, s *goquery.Selection) { next = append(next, s.Find("a").Text()) })
	if len(next) == 0 || len(due) == 0 || next[0] == "" {
		t.Fatalf("nothing falls due next on Home (%d) or in Due payments (%d)", len(next), len(due))
	}
	if !slices.ContainsFunc(due[:min(len(due), 10)], func(r []string) bool { return slices.Contains(r, next[0]) }) {
		t.Errorf("Home's next due %q is not among the first due from today %q", next[0], due[:min(len(due), 3)])
	}
	if strings.Contains(home.Text(".tile .figure"), "→") {
		t.Errorf("a tile's figure is an arrow: %q", home.Text(".tile .figure"))
	}
	// L20: recent orders without amounts; nothing of what is owed.
	_, l20 := env.SignIn(t, "cc", "orders@orbis.example")
	if l20.Doc.Find("[data-recent-orders] li").Length() == 0 || l20.Doc.Find("[data-recent-orders] .amount").Length() != 0 || l20.Doc.Find("[data-next-due]").Length() != 0 {
		t.Errorf("L20's Home: recent orders %d, amounts %d, due %d", l20.Doc.Find("[data-recent-orders] li").Length(),
			l20.Doc.Find("[data-recent-orders] .amount").Length(), l20.Doc.Find("[data-next-due]").Length())
	}
	// L10: neither list, no New order.
	_, l10 := env.SignIn(t, "cc", "basic@orbis.example")
	if l10.Doc.Find("[data-recent-orders], [data-next-due], [data-new-order]").Length() != 0 {
		t.Errorf("Basic's Home lists orders, dues or New order")
	}
}

// While Erp.Net is down, signing in stays on the portal's own page (503, in the tenant's brand,
// with a way to try again) instead of sending the person to an identity server that does not
// answer; once Erp.Net is back, signing in works again by itself.
func TestSignInDuringAnOutageStaysOnThePortal(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true, Configure: func(c *config.Config) {
		c.Instances[0].Support.Phone = "+359 2 555 0100"
	}})
	env.Sim.SetFaults(erpnetsim.Faults{Outage: true})
	b := env.NewBrowser(t)
	p := b.Get("/cc/")
	if p.Status != http.StatusServiceUnavailable || !strings.HasPrefix(p.URL, env.PortalURL) || p.Text("h1") != "Sign-in is not available right now" {
		t.Fatalf("signing in during an outage: %s %q", p, p.Text("h1"))
	}
	if p.Doc.Find(`a[href^="tel:"]`).Length() == 0 || p.Doc.Find("a.btn").First().Text() != "Try again" {
		t.Errorf("the page names no support contact or way to try again")
	}
	if strings.Contains(p.Body, "Erp.Net") || strings.Contains(p.Body, "erpnet") {
		t.Errorf("the page speaks of the vendor or the client")
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	clk.Advance(time.Minute) // past the health check's interval
	if b, page := env.SignIn(t, "cc", "owner@orbis.example"); page.Status != http.StatusOK || b == nil {
		t.Errorf("after the outage: %s", page)
	}
}
