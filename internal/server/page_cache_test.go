package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/server"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// A page seen again while its data is fresh is served as it was drawn, to the same person only.
func TestKeptPageIsServedAgainToTheSamePerson(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	first := owner.Get("/cc/orders")
	again := owner.Get("/cc/orders")
	if hits, _ := server.KeptPages(env.Server, "cc"); hits != 1 || again.Body != first.Body {
		t.Fatalf("a second view: %d kept pages served, same body %v; want 1 and the same page", hits, again.Body == first.Body)
	}
	// A colleague of the same customer, with a role that hides prices, gets a page of their own.
	basic, _ := env.SignIn(t, "cc", "orders@orbis.example")
	theirs := basic.Get("/cc/orders")
	if hits, _ := server.KeptPages(env.Server, "cc"); hits != 1 || theirs.Body == first.Body || !strings.Contains(theirs.Body, "Olga") {
		t.Errorf("a colleague's first view: %d kept pages served, their own page %v", hits, theirs.Body != first.Body)
	}
	// Another sort is another page.
	if sorted := owner.Get("/cc/orders?sort=number"); sorted.Body == first.Body {
		t.Errorf("a sorted list was served as the unsorted one")
	}
}

// A write through the portal moves the customer's data on: every person's kept pages of that
// customer are drawn again, and a one-time message is shown once.
func TestKeptPagesGoWithAWrite(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	open := orderIDs(t, env, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	orders, _ := env.SignIn(t, "cc", "orders@orbis.example")
	for range 2 {
		if got := owner.Get("/cc/orders/" + open.ID).Text("[data-status]"); got == "Cancelled" {
			t.Fatalf("the order is cancelled already")
		}
	}
	version := orders.Get("/cc/orders/"+open.ID).Doc.Find("form[data-cancel-form] input[name=version]").AttrOr("value", "")
	done := orders.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}})
	if done.Text("[data-status]") != "Cancelled" || done.Doc.Find(".notice.ok").Length() != 1 {
		t.Fatalf("cancel: %s status %q notice %q", done, done.Text("[data-status]"), done.Text(".notice"))
	}
	if again := orders.Get("/cc/orders/" + open.ID); again.Doc.Find(".notice.ok").Length() != 0 {
		t.Errorf("the one-time message was shown again: %q", again.Text(".notice"))
	}
	if got := owner.Get("/cc/orders/" + open.ID).Text("[data-status]"); got != "Cancelled" {
		t.Errorf("a colleague's kept page after the cancel shows %q, want Cancelled", got)
	}
}

// A kept page lasts no longer than the data it was drawn from: a change made in Erp.Net shows
// once the data's TTL has passed, as it would without kept pages; and a page drawn from stale
// data while Erp.Net was down is not kept once Erp.Net is back.
func TestKeptPageLastsNoLongerThanItsData(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true, Configure: func(c *config.Config) { c.Cache.AccessGrace = 15 * time.Minute }})
	o := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'New' and Void eq false").Value[0]
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	before := b.Get("/cc/orders/" + o.ID)
	env.APIDo(t, "PATCH", "Crm_Sales_SalesOrders("+o.ID+")", map[string]string{"DocumentNotes": "changed by the sales team"})
	if p := b.Get("/cc/orders/" + o.ID); p.Body != before.Body {
		t.Fatalf("within the TTL the page changed: the data was read again, or the page not kept")
	}
	clk.Advance(env.Config.Cache.TTL.Documents + time.Second)
	if p := b.Get("/cc/orders/" + o.ID); !strings.Contains(p.Body, "changed by the sales team") {
		t.Errorf("past the data's TTL the kept page was served: notes %q", p.Text("dd"))
	}

	env.Sim.SetFaults(erpnetsim.Faults{Outage: true})
	clk.Advance(10 * time.Minute)
	if p := b.Get("/cc/orders/" + o.ID); !strings.Contains(p.Text(".notice.warn"), "not reachable") {
		t.Fatalf("in the outage: %s, notice %q", p, p.Text(".notice.warn"))
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	for range 2 {
		if p := b.Get("/cc/orders/" + o.ID); p.Doc.Find(".notice.warn").Length() != 0 {
			t.Errorf("after the outage the stale page was served: %q", p.Text(".notice.warn"))
		}
	}
}

// Over https, where the portal's cookies carry the __Host- prefix, a one-time message is still
// shown once and never kept: the page that shows it is not kept, and no kept page is served
// while one waits.
func TestKeptPagesAndFlashesOverHTTPS(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true, TLS: true})
	if !strings.HasPrefix(env.PortalURL, "https://") {
		t.Fatalf("the portal is at %s", env.PortalURL)
	}
	open := orderIDs(t, env, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	version := b.Get("/cc/orders/"+open.ID).Doc.Find("form[data-cancel-form] input[name=version]").AttrOr("value", "")
	done := b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}})
	if done.Doc.Find(".notice.ok").Length() != 1 {
		t.Fatalf("cancel over https: %s, notice %q", done, done.Text(".notice"))
	}
	for range 2 {
		if again := b.Get("/cc/orders/" + open.ID); again.Doc.Find(".notice.ok").Length() != 0 || again.Text("[data-status]") != "Cancelled" {
			t.Errorf("after the message was shown: %q, status %q", again.Text(".notice"), again.Text("[data-status]"))
		}
	}
}

// While a one-time message waits, the kept page (drawn without it) is not served: a refusal that
// changes no data still shows its message on the page it leads back to, over https too.
func TestAWaitingMessageIsNotHiddenByAKeptPage(t *testing.T) {
	t.Parallel()
	for _, tls := range []bool{false, true} {
		env := testenv.New(t, testenv.Options{Quiet: true, TLS: tls})
		b, _ := env.SignIn(t, "cc", "owner@orbis.example")
		for range 2 {
			b.Get("/cc/orders") // drawn, then served as kept
		}
		back := b.Post("/cc/orders/columns", url.Values{"return": {"/cc/orders"}}) // no column: refused with a warning
		if !strings.Contains(back.Text(".notice.warn"), "at least one column") {
			t.Errorf("https %v: the refusal's message is not shown: %s %q", tls, back, back.Text(".notice"))
		}
	}
}
