package erpnet

import (
	"container/list"
	"context"
	"sync"
)

// limiter bounds the requests in flight toward Erp.Net, which allows two concurrent requests
// per instance and refuses more with 429. Callers beyond the bound wait in arrival order, so a
// burst of cheap reads cannot starve an earlier caller; a waiter whose context ends leaves the
// queue without taking a slot.
type limiter struct {
	mu      sync.Mutex
	max     int
	active  int
	waiters list.List // of chan struct{}, closed when the slot is handed over
}

func newLimiter(max int) *limiter { return &limiter{max: max} }

// acquire takes a slot, waiting its turn, or returns ctx's error.
func (l *limiter) acquire(ctx context.Context) error {
	l.mu.Lock()
	if l.active < l.max && l.waiters.Len() == 0 {
		l.active++
		l.mu.Unlock()
		return nil
	}
	if err := ctx.Err(); err != nil {
		l.mu.Unlock()
		return err
	}
	ready := make(chan struct{})
	elem := l.waiters.PushBack(ready)
	l.mu.Unlock()

	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		select {
		case <-ready:
			// The slot was handed over just as ctx ended: pass it on.
			l.mu.Unlock()
			l.release()
		default:
			l.waiters.Remove(elem)
			l.mu.Unlock()
		}
		return ctx.Err()
	}
}

// release gives the slot to the longest waiter, or frees it.
func (l *limiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if front := l.waiters.Front(); front != nil {
		l.waiters.Remove(front)
		close(front.Value.(chan struct{})) // the slot moves on; active is unchanged
		return
	}
	l.active--
}

// waiting is the number of callers queued for a slot.
func (l *limiter) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waiters.Len()
}
