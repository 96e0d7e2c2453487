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
// and waiting page views take turns by customer: the lanes and turns of each replica's own
// queue hold across replicas too.
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

// acquireScript takes a slot when one is free and it is the caller's turn. Page views that wait
// register (for a second, renewed on each try) with their fair key (the customer); a bulk call
// takes a slot only while no page view waits, and among waiting page views the slot goes to the
// one whose key was served longest ago, the earliest first: so customers take turns across
// replicas, as they do in each replica's own queue. Redis's clock scores the leases, so the
// replicas' clocks need not agree.
//
// KEYS: holders, waiting (token → end of its registration), keys (token → fair key), arrived
// (token → when it first asked), served (fair key → when it was last given a slot).
// ARGV: limit, lease ms, token, bulk (1/0), fair key.
var acquireScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('HDEL', KEYS[3], gone)
  redis.call('HDEL', KEYS[4], gone)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local bulk = ARGV[4] == '1'
if not bulk then
  redis.call('ZADD', KEYS[2], now + 1000, ARGV[3])
  redis.call('HSETNX', KEYS[4], ARGV[3], now)
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
end
if bulk and redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
if not bulk then
  local best, bestServed, bestArrived
  for _, w in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    local served = tonumber(redis.call('HGET', KEYS[5], redis.call('HGET', KEYS[3], w) or '') or '0')
    local arrived = tonumber(redis.call('HGET', KEYS[4], w) or now)
    if best == nil or served < bestServed or (served == bestServed and arrived < bestArrived) then
      best, bestServed, bestArrived = w, served, arrived
    end
  end
  if best ~= ARGV[3] then return 0 end
  redis.call('ZREM', KEYS[2], ARGV[3])
  redis.call('HDEL', KEYS[3], ARGV[3])
  redis.call('HDEL', KEYS[4], ARGV[3])
  redis.call('HSET', KEYS[5], ARGV[5], now)
  redis.call('PEXPIRE', KEYS[5], 3600000)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
return 1`)

// Acquire waits for a slot and returns its release; key is the caller's fair key (the
// customer). While Redis cannot be reached the call goes ahead at once, held by the replica's
// own limits alone (see Store). It fails only when ctx ends first.
func (m *Semaphore) Acquire(ctx context.Context, bulk bool, key string) (func(), error) {
	token := randomToken()
	b := "0"
	if bulk {
		b = "1"
	}
	keys := []string{m.key, m.key + ":waiting", m.key + ":keys", m.key + ":arrived", m.key + ":served"}
	wait := 2 * time.Millisecond
	for {
		if !m.s.Up() {
			return func() {}, nil
		}
		c, cancel := m.s.ctx(ctx)
		got, err := acquireScript.Run(c, m.s.rdb, keys, m.limit, m.lease.Milliseconds(), token, b, key).Int()
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
			m.s.rdb.HDel(c, m.key+":keys", token)
			m.s.rdb.HDel(c, m.key+":arrived", token)
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
