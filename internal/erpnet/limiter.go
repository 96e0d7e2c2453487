package erpnet

import (
	"container/list"
	"context"
	"sync"
)

// lane is a class of calls toward Erp.Net; a freed slot goes to the lowest lane with a waiter.
type lane int

const (
	// laneInteractive carries page views: whoever waits here goes first.
	laneInteractive lane = iota
	// laneBulk carries exports and printouts (see Bulk).
	laneBulk
	laneCount
)

// laneOf is the lane of the calls made with ctx.
func laneOf(ctx context.Context) lane {
	if IsBulk(ctx) {
		return laneBulk
	}
	return laneInteractive
}

// limiter bounds the requests in flight toward Erp.Net, which serves one request of a session at
// a time and refuses a longer queue with 429. A freed slot goes to a waiting page view before any
// bulk call; within a lane, waiters take turns across fair keys (round-robin) and queue in arrival
// order within a key, so one customer's forty ZIP exports cannot starve another's page view. A
// waiter whose context ends leaves the queue without taking a slot.
type limiter struct {
	mu     sync.Mutex
	max    int
	active int // slots held, both lanes
	bulk   int // slots held by bulk calls
	lanes  [laneCount]laneQueue
}

// laneQueue holds one lane's waiters, grouped by fair key.
type laneQueue struct {
	turns list.List // of *keyQueue with at least one waiter, the next to be served in front
	byKey map[string]*keyQueue
	n     int // waiters in the lane
}

// keyQueue holds one fair key's waiters in arrival order.
type keyQueue struct {
	key     string
	waiters list.List // of *waiter
	turn    *list.Element
}

// waiter is one caller waiting for a slot; ready is closed when the slot is handed over.
type waiter struct {
	ready chan struct{}
	kq    *keyQueue
	elem  *list.Element
}

func newLimiter(max int) *limiter { return &limiter{max: max} }

// bulkCap is how many slots bulk calls may hold: all but one, so a page view never waits for an
// export to finish, unless there is only one slot.
func (l *limiter) bulkCap() int { return max(1, l.max-1) }

// free reports whether a call of lane ln may take a slot now. The caller holds mu.
func (l *limiter) free(ln lane) bool {
	if l.active >= l.max {
		return false
	}
	return ln == laneInteractive || l.bulk < l.bulkCap()
}

// acquire takes a slot for a call of lane ln and fair key key, waiting its turn, or returns
// ctx's error.
func (l *limiter) acquire(ctx context.Context, ln lane, key string) error {
	l.mu.Lock()
	// Only a caller with nobody ahead of it takes a free slot at once: for a page view that is
	// no waiting page view, for a bulk call no waiter at all.
	ahead := l.lanes[laneInteractive].n
	if ln == laneBulk {
		ahead += l.lanes[laneBulk].n
	}
	if ahead == 0 && l.free(ln) {
		l.take(ln)
		l.mu.Unlock()
		return nil
	}
	if err := ctx.Err(); err != nil {
		l.mu.Unlock()
		return err
	}
	w := l.lanes[ln].push(key)
	l.mu.Unlock()

	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		select {
		case <-w.ready:
			// The slot was handed over just as ctx ended: pass it on.
			l.mu.Unlock()
			l.release(ln)
		default:
			l.lanes[ln].remove(w)
			l.mu.Unlock()
		}
		return ctx.Err()
	}
}

// take counts a slot as held by lane ln. The caller holds mu.
func (l *limiter) take(ln lane) {
	l.active++
	if ln == laneBulk {
		l.bulk++
	}
}

// release frees a slot held by lane ln and hands free slots to the next waiters.
func (l *limiter) release(ln lane) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.active--
	if ln == laneBulk {
		l.bulk--
	}
	for next := range laneCount {
		for l.lanes[next].n > 0 && l.free(next) {
			l.take(next)
			close(l.lanes[next].pop().ready)
		}
	}
}

// waiting is the number of callers queued for a slot, in every lane.
func (l *limiter) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for i := range l.lanes {
		n += l.lanes[i].n
	}
	return n
}

// push queues a new waiter of key behind the others of that key; a key with no waiters yet
// takes its turn after every key already waiting.
func (q *laneQueue) push(key string) *waiter {
	if q.byKey == nil {
		q.byKey = map[string]*keyQueue{}
	}
	kq := q.byKey[key]
	if kq == nil {
		kq = &keyQueue{key: key}
		kq.turn = q.turns.PushBack(kq)
		q.byKey[key] = kq
	}
	w := &waiter{ready: make(chan struct{}), kq: kq}
	w.elem = kq.waiters.PushBack(w)
	q.n++
	return w
}

// pop takes the first waiter of the key whose turn it is and sends that key to the back of the
// turns. The lane must have a waiter.
func (q *laneQueue) pop() *waiter {
	kq := q.turns.Front().Value.(*keyQueue)
	w := kq.waiters.Front().Value.(*waiter)
	q.remove(w)
	if kq.waiters.Len() > 0 {
		q.turns.MoveToBack(kq.turn)
	}
	return w
}

// remove takes w out of the lane, and its key too when w was the key's last waiter.
func (q *laneQueue) remove(w *waiter) {
	kq := w.kq
	kq.waiters.Remove(w.elem)
	q.n--
	if kq.waiters.Len() == 0 {
		q.turns.Remove(kq.turn)
		delete(q.byKey, kq.key)
	}
}
