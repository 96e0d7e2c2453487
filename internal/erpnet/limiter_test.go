package erpnet

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
)

func TestLimiterServesWaitersInArrivalOrder(t *testing.T) {
	l := newLimiter(1)
	ctx := context.Background()
	if err := l.acquire(ctx, laneInteractive, ""); err != nil {
		t.Fatal(err)
	}
	const waiters = 5
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Go(func() {
			if err := l.acquire(ctx, laneInteractive, ""); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			l.release(laneInteractive)
		})
		for l.waiting() != i+1 {
			runtime.Gosched() // let waiter i queue up before starting the next one
		}
	}
	l.release(laneInteractive)
	wg.Wait()
	for i, got := range order {
		if got != i {
			t.Fatalf("order = %v, want arrival order", order)
		}
	}
}

func TestLimiterWaiterLeavesOnCancel(t *testing.T) {
	l := newLimiter(1)
	if err := l.acquire(context.Background(), laneInteractive, ""); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.acquire(ctx, laneInteractive, "") }()
	for l.waiting() != 1 {
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled acquire = %v, want context.Canceled", err)
	}
	if got := l.waiting(); got != 0 {
		t.Errorf("waiting after cancel = %d, want 0", got)
	}
	l.release(laneInteractive)
	// The slot is free again: the cancelled waiter did not keep it.
	if err := l.acquire(context.Background(), laneInteractive, ""); err != nil {
		t.Fatal(err)
	}
	if l.active != 1 {
		t.Errorf("active = %d, want 1", l.active)
	}
}

func TestLimiterOrdersByLaneThenTurnsAcrossKeys(t *testing.T) {
	type arrival struct {
		name string
		ln   lane
		key  string
	}
	tests := []struct {
		name     string
		arrivals []arrival
		want     []string
	}{
		{"page views before bulk",
			[]arrival{{"b1", laneBulk, "x"}, {"b2", laneBulk, "x"}, {"p1", laneInteractive, "y"}, {"p2", laneInteractive, "y"}},
			[]string{"p1", "p2", "b1", "b2"}},
		{"turns across keys, arrival order within one",
			[]arrival{{"a1", laneBulk, "a"}, {"a2", laneBulk, "a"}, {"a3", laneBulk, "a"}, {"b1", laneBulk, "b"},
				{"c1", laneInteractive, "c"}, {"c2", laneInteractive, "c"}, {"d1", laneInteractive, "d"}},
			[]string{"c1", "d1", "c2", "a1", "b1", "a2", "a3"}},
		{"no keys is one key",
			[]arrival{{"1", laneInteractive, ""}, {"2", laneInteractive, ""}, {"3", laneInteractive, ""}},
			[]string{"1", "2", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimiter(1)
			ctx := context.Background()
			if err := l.acquire(ctx, laneInteractive, "holder"); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var got []string
			var wg sync.WaitGroup
			for i, a := range tt.arrivals {
				wg.Go(func() {
					if err := l.acquire(ctx, a.ln, a.key); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					got = append(got, a.name)
					mu.Unlock()
					l.release(a.ln)
				})
				for l.waiting() != i+1 {
					runtime.Gosched() // queue them in the listed order
				}
			}
			l.release(laneInteractive)
			wg.Wait()
			if !slices.Equal(got, tt.want) {
				t.Errorf("served %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBulkLeavesASlotForPageViews(t *testing.T) {
	tests := []struct {
		slots, wantBulk int
	}{
		{1, 1}, // with one slot, bulk work may use it
		{2, 1},
		{4, 3},
	}
	for _, tt := range tests {
		l := newLimiter(tt.slots)
		ctx, cancel := context.WithCancel(context.Background())
		got := 0
		for range tt.slots {
			// An ended context makes a call that would have to wait fail at once.
			tryCtx, tryCancel := context.WithCancel(ctx)
			tryCancel()
			if l.acquire(tryCtx, laneBulk, "x") != nil {
				break
			}
			got++
		}
		if got != tt.wantBulk {
			t.Errorf("%d slots: bulk calls admitted = %d, want %d", tt.slots, got, tt.wantBulk)
		}
		if tt.slots > 1 {
			if err := l.acquire(ctx, laneInteractive, "y"); err != nil {
				t.Errorf("%d slots: a page view beside the bulk calls: %v", tt.slots, err)
			}
		}
		cancel()
	}
}
