package shared

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Semaphore holds the portal, across all its replicas, to a number of requests running on the
// Erp.Net instance at once. A slot is a lease in a sorted set, scored by when it ends: a replica
// that dies holding one frees it when the lease ends. Page views that wait are registered, and a
// bulk call (an export, a printout) takes a slot only while no page view waits on any replica,
// so the lanes of each replica's own queue hold across replicas too.
type Semaphore struct {
	s     *Store
	limit int
	lease time.Duration
	key   string
}

// Semaphore is the semaphore name of limit slots, each held at most lease (longer than any
// call to Erp.Net may take).
func (s *Store) Semaphore(name string, limit int, lease time.Duration) *Semaphore {
	return &Semaphore{s: s, limit: max(1, limit), lease: lease, key: s.prefix + "sem:" + name}
}

// acquireScript takes a slot when one is free and, for a bulk call, no page view waits; a page
// view that finds none registers as waiting (for a second, renewed on each try). Redis's clock
// scores the leases, so the replicas' clocks need not agree.
var acquireScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local bulk = ARGV[4] == '1'
if bulk and redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('ZREM', KEYS[2], ARGV[3])
  return 1
end
if not bulk then redis.call('ZADD', KEYS[2], now + 1000, ARGV[3]) end
return 0`)

// Acquire waits for a slot and returns its release. While Redis cannot be reached the call
// goes ahead at once, held by the replica's own limits alone (see Store). It fails only when ctx
// ends first.
func (m *Semaphore) Acquire(ctx context.Context, bulk bool) (func(), error) {
	token := randomToken()
	b := "0"
	if bulk {
		b = "1"
	}
	wait := 2 * time.Millisecond
	for {
		if !m.s.Up() {
			return func() {}, nil
		}
		c, cancel := m.s.ctx(ctx)
		got, err := acquireScript.Run(c, m.s.rdb, []string{m.key, m.key + ":waiting"}, m.limit, m.lease.Milliseconds(), token, b).Int()
		cancel()
		if err != nil {
			m.s.failed(err)
			return func() {}, nil
		}
		if got == 1 {
			return func() {
				c, cancel := m.s.ctx(context.Background())
				defer cancel()
				m.s.failed(m.s.rdb.ZRem(c, m.key, token).Err())
			}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			c, cancel := m.s.ctx(context.Background())
			m.s.rdb.ZRem(c, m.key+":waiting", token)
			cancel()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 20*time.Millisecond)
	}
}

// Held is the number of slots held now, for tests and metrics.
func (m *Semaphore) Held(ctx context.Context) (int, error) {
	if !m.s.Up() {
		return 0, ErrDown
	}
	c, cancel := m.s.ctx(ctx)
	defer cancel()
	n, err := m.s.rdb.ZCard(c, m.key).Result()
	return int(n), m.s.failed(err)
}
