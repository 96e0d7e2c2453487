package erpnet

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// paceWindow is the rolling window Erp.Net counts a session's requests in, plus a second for
// answers that reach the server in a different order or later than they were sent.
const paceWindow = time.Minute + time.Second

// pace keeps the client under its requests per minute the way Erp.Net counts them: a request may
// go when fewer than the allowance went in the last window. Unlike a token bucket, this lets a
// burst use the whole allowance at once (tests and a busy morning alike) and still never
// exceeds it in any window.
type pace struct {
	mu   sync.Mutex
	per  int
	sent []time.Time // the send times within the last window, oldest first
}

func newPace(perMinute int) *pace { return &pace{per: perMinute} }

// reserve records a request sent at now and returns 0, or, when the window is full, returns how
// long to wait and records nothing.
func (p *pace) reserve(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	drop := 0
	for drop < len(p.sent) && !p.sent[drop].Add(paceWindow).After(now) {
		drop++
	}
	p.sent = p.sent[drop:]
	if len(p.sent) >= p.per {
		return p.sent[0].Add(paceWindow).Sub(now)
	}
	p.sent = append(p.sent, now)
	return 0
}

// waitPace waits for the next request's turn under the pace, or fails at once when the turn
// would come after the call's deadline; waiting past it would only fail later. The pace runs on
// the wall clock, as Erp.Net's does, whatever clock the client was given.
func (c *Client) waitPace(ctx context.Context, op string) error {
	for {
		wait := c.pace.reserve(time.Now())
		if wait == 0 {
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return fmt.Errorf("erpnet: %s: over %d requests a minute: %w", op, c.cfg.RequestsPerMinute, context.DeadlineExceeded)
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return fmt.Errorf("erpnet: %s: %w", op, err)
		}
	}
}
