package server_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// replicas are three portals sharing one Redis and one simulator, as behind a load balancer.
func replicas(t *testing.T) ([]*testenv.Env, *testenv.Upstream, *testenv.Redis) {
	t.Helper()
	redis := testenv.StartRedis(t)
	envs, up := testenv.NewReplicas(t, 3, redis.URL(), testenv.Options{Quiet: true})
	return envs, up, redis
}

func TestReplicasSeeAWriteOnTheNextRequest(t *testing.T) {
	t.Parallel()
	envs, _, _ := replicas(t)
	a, b := envs[0], envs[1]
	open := orderIDs(t, a, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	onA, _ := a.SignIn(t, "cc", "orders@orbis.example")
	onB := onA.On(b)
	// B has the order cached, as drawn and as data.
	if p := onB.Get("/cc/orders/" + open.ID); p.Status != 200 || p.Text("[data-status]") == "Cancelled" {
		t.Fatalf("B before: %s %q", p, p.Text("[data-status]"))
	}
	onB.Get("/cc/orders/" + open.ID)
	version := onA.Get("/cc/orders/"+open.ID).Doc.Find("form[data-cancel-form] input[name=version]").AttrOr("value", "")
	if p := onA.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}}); p.Text("[data-status]") != "Cancelled" {
		t.Fatalf("cancel on A: %s", p)
	}
	for _, e := range envs[1:] {
		if p := onA.On(e).Get("/cc/orders/" + open.ID); p.Text("[data-status]") != "Cancelled" {
			t.Errorf("%s right after the cancel on A: %q", e.PortalURL, p.Text("[data-status]"))
		}
	}
}

func TestReplicasMakeOneCallForConcurrentColdViews(t *testing.T) {
	t.Parallel()
	envs, up, _ := replicas(t)
	onA, _ := envs[0].SignIn(t, "cc", "owner@orbis.example")
	browsers := []*testenv.Browser{onA, onA.On(envs[1]), onA.On(envs[2])}
	for _, b := range browsers[1:] { // each replica has the person's access; the list is cold everywhere
		b.Get("/cc/profile")
	}
	before := up.Calls("Crm_Sales_SalesOrders")
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for i := range 300 {
		wg.Go(func() {
			p := browsers[i%3].Get("/cc/orders?sort=number&dir=desc")
			if p.Status != 200 || p.Doc.Find("table[data-list=orders] tbody tr").Length() == 0 {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if failed > 0 {
		t.Errorf("%d of 300 views failed", failed)
	}
	if n := up.Calls("Crm_Sales_SalesOrders") - before; n != 1 {
		t.Errorf("300 cold views over 3 replicas made %d calls to Erp.Net's orders, want 1", n)
	}
	if m := up.MaxInFlight(); m > 1 {
		t.Errorf("Erp.Net saw %d requests at once from the three replicas, more than erpnet.instance_concurrency 1", m)
	}
}

func TestReplicasHoldTheInstancesConcurrency(t *testing.T) {
	t.Parallel()
	envs, up, _ := replicas(t)
	onA, _ := envs[0].SignIn(t, "cc", "owner@orbis.example")
	var wg sync.WaitGroup
	paths := []string{"/cc/orders?sort=date", "/cc/invoices?sort=number", "/cc/due-payments", "/cc/payments", "/cc/statement", "/cc/profile", "/cc/users"}
	for i, e := range envs {
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			wg.Go(func() {
				if pg := onA.On(e).Get(p + sep + "r=" + string(rune('a'+i))); pg.Status != 200 {
					t.Errorf("%s on replica %d: %s", p, i, pg)
				}
			})
		}
	}
	wg.Wait()
	if m := up.MaxInFlight(); m != 1 {
		t.Errorf("Erp.Net saw at most %d requests at once from three replicas with cold pages, want 1", m)
	}
}

func TestReplicasEndASignedOutSessionEverywhere(t *testing.T) {
	t.Parallel()
	envs, _, _ := replicas(t)
	onA, _ := envs[0].SignIn(t, "cc", "basic@orbis.example")
	kept := []*testenv.Browser{onA.CopyCookies(envs[1]), onA.CopyCookies(envs[2])}
	for _, b := range kept {
		if p := b.Get("/cc/"); p.Status != 200 || !strings.HasSuffix(p.URL, "/cc/") {
			t.Fatalf("before the sign-out: %s", p)
		}
	}
	onA.Post("/auth/logout", url.Values{})
	for _, b := range kept {
		if p := b.Get("/cc/profile"); strings.HasSuffix(p.URL, "/cc/profile") && p.Status == 200 {
			t.Errorf("the session signed out on A still opens the profile on another replica: %s", p)
		}
	}
}

func TestReplicasWorkWhileRedisIsDownAndShareAgainAfter(t *testing.T) {
	t.Parallel()
	envs, _, redis := replicas(t)
	a, b := envs[0], envs[1]
	onA, _ := a.SignIn(t, "cc", "orders@orbis.example")
	onB := onA.On(b)
	leaving, _ := a.SignIn(t, "cc", "basic@orbis.example")
	leavingOnB := leaving.CopyCookies(b)
	redis.Kill()
	for _, br := range []*testenv.Browser{onA, onB} {
		for _, p := range []string{"/cc/", "/cc/orders", "/cc/profile"} {
			if pg := br.Get(p); pg.Status != 200 {
				t.Errorf("%s with Redis down: %s", p, pg)
			}
		}
	}
	if st := redisStatus(t, onA.Get("/readyz")); st != "down" {
		t.Errorf("/readyz says Redis is %q, want down", st)
	}
	// A sign-out while Redis is down ends the session on A at once, and on B once Redis is back.
	leaving.Post("/auth/logout", url.Values{})
	redis.Start()
	deadline := time.Now().Add(10 * time.Second)
	for redisStatus(t, onA.Get("/readyz")) != "up" || redisStatus(t, onB.Get("/readyz")) != "up" {
		if time.Now().After(deadline) {
			t.Fatal("the replicas do not see Redis again")
		}
		time.Sleep(50 * time.Millisecond)
	}
	open := orderIDs(t, a, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	onB.Get("/cc/orders/" + open.ID)
	version := onA.Get("/cc/orders/"+open.ID).Doc.Find("form[data-cancel-form] input[name=version]").AttrOr("value", "")
	onA.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}})
	if p := onB.Get("/cc/orders/" + open.ID); p.Text("[data-status]") != "Cancelled" {
		t.Errorf("after Redis returned, B does not show A's cancel: %q", p.Text("[data-status]"))
	}
	if p := leavingOnB.Get("/cc/profile"); strings.HasSuffix(p.URL, "/cc/profile") && p.Status == 200 {
		t.Errorf("a session signed out on A while Redis was down still opens pages on B after it returned: %s", p)
	}
}

func redisStatus(t *testing.T, p *testenv.Page) string {
	t.Helper()
	var body struct {
		Redis struct {
			Status string `json:"status"`
		} `json:"redis"`
	}
	if err := json.Unmarshal([]byte(p.Body), &body); err != nil {
		t.Fatalf("/readyz: %v: %s", err, p.Body)
	}
	return body.Redis.Status
}

// A replica that never showed a page serves it from another replica's copy, marked stale, while
// Erp.Net is down.
func TestReplicasServeAnotherReplicasCopyStaleWhileErpNetIsDown(t *testing.T) {
	t.Parallel()
	redis := testenv.StartRedis(t)
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	envs, _ := testenv.NewReplicas(t, 2, redis.URL(), testenv.Options{Now: clk.Now, Quiet: true})
	onA, _ := envs[0].SignIn(t, "cc", "owner@orbis.example")
	onB := onA.On(envs[1])
	onB.Get("/cc/profile") // B knows the person's access
	if p := onA.Get("/cc/orders?sort=number"); p.Status != 200 {
		t.Fatalf("A: %s", p)
	}
	clk.Advance(envs[0].Config.Cache.TTL.Lists + time.Second)
	envs[0].Sim.SetFaults(erpnetsim.Faults{Outage: true})
	p := onB.Get("/cc/orders?sort=number")
	if p.Status != 200 || p.Doc.Find("table[data-list=orders] tbody tr").Length() == 0 || !strings.Contains(p.Text("[role=status]"), "not reachable") {
		t.Errorf("B with Erp.Net down: %s, stale notice %q", p, p.Text("[role=status]"))
	}
}

// One export at a time per session holds across replicas.
func TestReplicasRunOneExportPerSession(t *testing.T) {
	t.Parallel()
	envs, _, _ := replicas(t)
	onA, _ := envs[0].SignIn(t, "cc", "owner@orbis.example")
	onA.On(envs[1]).Get("/cc/profile") // B knows the person already, so it answers at once
	envs[0].Sim.SetFaults(erpnetsim.Faults{Latency: 300 * time.Millisecond})
	done := make(chan *testenv.Page)
	go func() { done <- onA.Get("/cc/orders.csv") }()
	time.Sleep(100 * time.Millisecond)
	if p := onA.On(envs[1]).Get("/cc/invoices.csv"); p.Status != 429 {
		t.Errorf("a second export of the session on another replica: %s, want 429", p)
	}
	if p := <-done; p.Status != 200 {
		t.Errorf("the first export: %s", p)
	}
	if p := onA.On(envs[1]).Get("/cc/invoices.csv"); p.Status != 200 {
		t.Errorf("an export after the first ended: %s", p)
	}
}

// Place order reaching two replicas at once (a double click split by the load balancer) places
// one order with one set of lines: the person's drafts are locked across replicas.
func TestReplicasPlaceAnOrderOnce(t *testing.T) {
	t.Parallel()
	redis := testenv.StartRedis(t)
	envs, _ := testenv.NewReplicas(t, 2, redis.URL(), testenv.Options{Quiet: true,
		Instances: []config.Instance{newOrderInstance(erpnetsim.SalesOrderTypeCode)}})
	erp := newOrderERP(t, envs[0])
	onA, _ := envs[0].SignIn(t, "cc", "prices@orbis.example")
	onB := onA.On(envs[1])
	onB.Get("/cc/orders/new")
	before := salesOrderCount(t, erp)
	form := withForm(orderFormValues(t, addProductToForm(t, onA, onA.Get("/cc/orders/new"), "COF-001")), "line_qty", "2", "place", "1")
	for round := range 3 { // a few tries, to meet the two transactions side by side
		pages := make([]*testenv.Page, 2)
		var wg sync.WaitGroup
		for i, b := range []*testenv.Browser{onA, onB} {
			wg.Go(func() { pages[i] = b.Post("/cc/orders/new", form) })
		}
		wg.Wait()
		id := placedOrderID(pages[0])
		if id == "" || id == "new" || placedOrderID(pages[1]) != id {
			t.Fatalf("round %d: the posts landed on %s and %s, want the same order", round, pages[0], pages[1])
		}
		var o erpnet.SalesOrder
		if err := erp.Get(t.Context(), erpnet.SetSalesOrders, id, erpnet.Query{}.Select("Id").Expand("Lines", erpnet.Query{}.Select("Id", "LineAmount")), &o); err != nil {
			t.Fatal(err)
		}
		if len(o.Lines) != 1 || o.Lines[0].LineAmount.Value != 69.80 {
			t.Fatalf("round %d: the order has lines %+v, want one of 69.80", round, o.Lines)
		}
		// The next round places a new draft of the same product.
		form = withForm(orderFormValues(t, addProductToForm(t, onA, onA.Get("/cc/orders/new"), "COF-001")), "line_qty", "2", "place", "1")
	}
	if got := salesOrderCount(t, erp); got != before+4 { // three placed, and the last round's draft
		t.Errorf("orders: %d, want %d", got, before+4)
	}
}
