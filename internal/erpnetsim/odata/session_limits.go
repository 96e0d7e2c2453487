package odata

import (
	"container/list"
	"context"
	"math"
	"sync"
	"time"
)

// Limits are Erp.Net's documented request limits (tech advanced/web-sites/rate-limits.md). A
// session is one access token. A zero field takes the documented default; a negative one turns
// that limit off.
type Limits struct {
	// SessionConcurrent is how many requests of one session execute at once; default 1.
	SessionConcurrent int
	// SessionQueue is how many more requests of a session may wait for it; one more is answered
	// 429. Default 5.
	SessionQueue int
	// SessionRPM is how many requests a session may make in any rolling minute; more are
	// answered 429. Default 600.
	SessionRPM int
	// GlobalConcurrent is how many requests of all sessions execute at once; the others wait.
	// Default 2.
	GlobalConcurrent int
}

// withDefaults fills the zero fields with the documented values and turns negative ones into
// "no limit".
func (l Limits) withDefaults() Limits {
	pick := func(v, dflt int) int {
		switch {
		case v == 0:
			return dflt
		case v < 0:
			return math.MaxInt
		}
		return v
	}
	return Limits{
		SessionConcurrent: pick(l.SessionConcurrent, 1),
		SessionQueue:      pick(l.SessionQueue, 5),
		SessionRPM:        pick(l.SessionRPM, 600),
		GlobalConcurrent:  pick(l.GlobalConcurrent, 2),
	}
}

// Admission is the outcome of asking to run a request.
type Admission int

// The outcomes of SessionLimits.Admit.
const (
	Admitted     Admission = iota // the request may run
	RefusedRate                   // the session made SessionRPM requests in the last minute
	RefusedQueue                  // the session's queue is full
	Abandoned                     // the client went away while waiting
)

// SessionLimits enforces Limits. Waiting is first for the session's slot (the session's queue)
// and then, holding it, for a slot of the instance, both in arrival order.
type SessionLimits struct {
	lim Limits
	now func() time.Time

	mu       sync.Mutex
	sessions map[string]*simSession
	global   fifo
}

// simSession is one access token's share of the limits.
type simSession struct {
	slots  fifo
	recent []time.Time // the times of its requests within the last minute, oldest first
}

// fifo is a counting semaphore whose waiters are served in arrival order; its owner's lock
// guards it.
type fifo struct {
	limit, held int
	waiters     list.List // of chan struct{}, closed when the slot is handed over
}

// sweepAt is the number of sessions above which idle ones are forgotten.
const sweepAt = 256

// NewSessionLimits enforces l (zero fields taking the documented defaults), measuring time with now.
func NewSessionLimits(l Limits, now func() time.Time) *SessionLimits {
	l = l.withDefaults()
	return &SessionLimits{lim: l, now: now, sessions: map[string]*simSession{}, global: fifo{limit: l.GlobalConcurrent}}
}

// Admit waits until a request of session key may run, or says why it may not. When admitted,
// the caller must call release when the request ends.
func (sl *SessionLimits) Admit(ctx context.Context, key string) (release func(), why Admission) {
	sl.mu.Lock()
	s := sl.session(key)
	now := sl.now()
	// A request counts against the minute whether it then runs or waits; the refused do not.
	for len(s.recent) > 0 && !s.recent[0].After(now.Add(-time.Minute)) {
		s.recent = s.recent[1:]
	}
	if len(s.recent) >= sl.lim.SessionRPM {
		sl.mu.Unlock()
		return nil, RefusedRate
	}
	if s.slots.held >= s.slots.limit && s.slots.waiters.Len() >= sl.lim.SessionQueue {
		sl.mu.Unlock()
		return nil, RefusedQueue
	}
	if sl.lim.SessionRPM != math.MaxInt {
		s.recent = append(s.recent, now)
	}
	if !sl.wait(ctx, &s.slots) {
		return nil, Abandoned
	}
	sl.mu.Lock()
	if !sl.wait(ctx, &sl.global) {
		sl.mu.Lock()
		sl.release(&s.slots)
		sl.mu.Unlock()
		return nil, Abandoned
	}
	return sync.OnceFunc(func() {
		sl.mu.Lock()
		defer sl.mu.Unlock()
		sl.release(&sl.global)
		sl.release(&s.slots)
	}), Admitted
}

// session finds or makes the state of key. The caller holds mu.
func (sl *SessionLimits) session(key string) *simSession {
	if s := sl.sessions[key]; s != nil {
		return s
	}
	if len(sl.sessions) >= sweepAt {
		cutoff := sl.now().Add(-time.Minute)
		for k, s := range sl.sessions {
			idle := s.slots.held == 0 && s.slots.waiters.Len() == 0
			if idle && (len(s.recent) == 0 || !s.recent[len(s.recent)-1].After(cutoff)) {
				delete(sl.sessions, k)
			}
		}
	}
	s := &simSession{slots: fifo{limit: sl.lim.SessionConcurrent}}
	sl.sessions[key] = s
	return s
}

// wait takes a slot of q, queueing behind earlier waiters; it is entered with mu held and
// returns without it. It reports false when ctx ended first.
func (sl *SessionLimits) wait(ctx context.Context, q *fifo) bool {
	if q.held < q.limit && q.waiters.Len() == 0 {
		q.held++
		sl.mu.Unlock()
		return true
	}
	ready := make(chan struct{})
	elem := q.waiters.PushBack(ready)
	sl.mu.Unlock()
	select {
	case <-ready:
		return true
	case <-ctx.Done():
		sl.mu.Lock()
		defer sl.mu.Unlock()
		select {
		case <-ready:
			sl.release(q) // handed over just as the client left: pass it on
		default:
			q.waiters.Remove(elem)
		}
		return false
	}
}

// release hands q's slot to its longest waiter, or frees it. The caller holds mu.
func (sl *SessionLimits) release(q *fifo) {
	if front := q.waiters.Front(); front != nil {
		q.waiters.Remove(front)
		close(front.Value.(chan struct{}))
		return
	}
	q.held--
}

// Waiting is the number of requests queued, for a session's slot or the instance's.
func (sl *SessionLimits) Waiting() int {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	n := sl.global.waiters.Len()
	for _, s := range sl.sessions {
		n += s.slots.waiters.Len()
	}
	return n
}
