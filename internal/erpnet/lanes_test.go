package erpnet

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestPageViewsOvertakeQueuedExports holds Erp.Net on one request, queues one customer's export
// calls and then another customer's page views, and checks the order Erp.Net then sees them in.
func TestPageViewsOvertakeQueuedExports(t *testing.T) {
	entered := make(chan struct{}, 1)
	release := make(chan struct{})
	var mu sync.Mutex
	var served []string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		set := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/domain/odata/"), "/$count")
		if set == "Holder" {
			entered <- struct{}{}
			<-release
		} else {
			mu.Lock()
			served = append(served, set)
			mu.Unlock()
		}
		w.Write([]byte("1"))
	})
	releaseAll := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseAll)
	c, _ := newTestClient(t, f, nil) // one request at a time, the default
	if _, err := c.accessToken(context.Background()); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	wg.Go(func() { c.Count(context.Background(), From("Holder")) })
	<-entered
	queue := func(ctx context.Context, sets ...string) {
		for _, set := range sets {
			n := c.slots.waiting()
			wg.Go(func() {
				if _, err := c.Count(ctx, From(set)); err != nil {
					t.Error(err)
				}
			})
			for c.slots.waiting() != n+1 {
				runtime.Gosched() // queue them in the listed order
			}
		}
	}
	queue(WithFairKey(Bulk(context.Background()), "exporter"), "Zip1", "Zip2", "Zip3")
	queue(WithFairKey(Bulk(context.Background()), "other"), "Csv1")
	queue(WithFairKey(context.Background(), "viewer"), "Page1", "Page2")
	queue(WithFairKey(context.Background(), "viewer2"), "Home1")
	releaseAll()
	wg.Wait()
	if want := []string{"Page1", "Home1", "Page2", "Zip1", "Csv1", "Zip2", "Zip3"}; !slices.Equal(served, want) {
		t.Errorf("Erp.Net served %v, want %v", served, want)
	}
}
