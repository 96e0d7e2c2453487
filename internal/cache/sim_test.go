package cache_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// TestPagesStayUpDuringAnOutage reads products through the cache from a simulated instance,
// takes the instance down, and checks that the last good answer is served, marked stale.
func TestPagesStayUpDuringAnOutage(t *testing.T) {
	sim := erpnetsim.New(erpnetsim.Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	ctx := context.Background()
	client, err := erpnet.NewClient(ctx, erpnet.Config{InstanceURL: srv.URL, ClientID: erpnetsim.DemoClientID,
		ClientSecret: erpnetsim.DemoClientSecret, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	c := cache.New(cache.Config{Now: clk.Now, TTL: map[cache.Kind]time.Duration{cache.KindProducts: time.Minute}, MaxStale: time.Hour})
	key := cache.Key{Instance: "cc", Query: erpnet.From(erpnet.SetProducts).String()}
	read := func() ([]erpnet.Product, cache.Result, error) {
		return cache.Fetch(ctx, c, key, cache.KindProducts, func(ctx context.Context) ([]erpnet.Product, error) {
			return erpnet.All[erpnet.Product](ctx, client, erpnet.Query{})
		})
	}
	fresh, _, err := read()
	if err != nil || len(fresh) == 0 {
		t.Fatalf("first read: %d products, %v", len(fresh), err)
	}

	sim.SetFaults(erpnetsim.Faults{Outage: true})
	clk.Advance(5 * time.Minute)
	got, res, err := read()
	if err != nil {
		t.Fatalf("read during the outage: %v, want the stale products", err)
	}
	if !res.Stale || res.Age != 5*time.Minute || len(got) != len(fresh) {
		t.Errorf("got %d products, stale %v, age %v; want %d stale products 5m old", len(got), res.Stale, res.Age, len(fresh))
	}

	clk.Advance(2 * time.Hour)
	if _, _, err := read(); !erpnet.IsUnavailable(err) {
		t.Errorf("read past MaxStale: %v, want unavailable", err)
	}
	if s := c.Stats(); s.UpstreamCalls != 3 || s.StaleServed != 1 {
		t.Errorf("stats = %+v, want 3 upstream calls and 1 stale answer", s)
	}
}
