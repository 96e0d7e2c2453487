package erpnet

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
)

func TestLimiterServesWaitersInArrivalOrder(t *testing.T) {
	l := newLimiter(1)
	ctx := context.Background()
	if err := l.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	const waiters = 5
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Go(func() {
			if err := l.acquire(ctx); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			l.release()
		})
		for l.waiting() != i+1 {
			runtime.Gosched() // let waiter i queue up before starting the next one
		}
	}
	l.release()
	wg.Wait()
	for i, got := range order {
		if got != i {
			t.Fatalf("order = %v, want arrival order", order)
		}
	}
}

func TestLimiterWaiterLeavesOnCancel(t *testing.T) {
	l := newLimiter(1)
	if err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.acquire(ctx) }()
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
	l.release()
	// The slot is free again: the cancelled waiter did not keep it.
	if err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.active != 1 {
		t.Errorf("active = %d, want 1", l.active)
	}
}
