// Package shared is what the replicas of one portal share through Redis (or Valkey): the
// generations that invalidate a customer's cached data on every replica, the cached values
// themselves, short locks so that one replica fetches what all of them want, the revocations of
// sessions, and the semaphore that holds the portal to its part of the Erp.Net instance's
// concurrent requests. Tokens and sessions with Erp.Net are never shared: each replica signs in
// on its own, as Erp.Net's licence terms ask.
//
// Redis is an aid, not a dependency: every call is bounded by a short timeout, and while Redis
// cannot be reached the Store says so (Up), each replica works alone, and the Store tries again
// in the background and resumes by itself. Generations bumped meanwhile are replayed when it
// returns, so a replica never finds again what it had cached before its own write.
package shared

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
)

// Config configures a Store.
type Config struct {
	// URL is Redis's address, e.g. redis://localhost:6379/0 (rediss:// for TLS).
	URL string
	// Prefix starts every key, so several portals may share one Redis; default "clientcenter:".
	Prefix string
	// Timeout bounds each call to Redis; default 250ms. A slower Redis counts as down.
	Timeout time.Duration
	// Retry is how often an unreachable Redis is tried again; default 1s.
	Retry  time.Duration
	Logger *zap.Logger
}

// Store is the shared state of the portal's replicas. Safe for concurrent use.
type Store struct {
	rdb     *redis.Client
	prefix  string
	timeout time.Duration
	retry   time.Duration
	log     *zap.Logger

	up        atomic.Bool
	epoch     atomic.Uint64
	mu        sync.Mutex
	pending   map[string]bool // generations bumped while down, replayed on return
	revoked   []revocation    // revocations made while down, replayed on return
	since     time.Time       // when Redis went down
	boot      string          // Redis's boot mark as last read
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	wake      chan struct{}
}

// ErrDown is the error of a call made while Redis cannot be reached.
var ErrDown = errors.New("shared: redis is not reachable")

// Open connects to Redis. A Redis that does not answer yet is no error: the Store starts down
// and comes up once Redis answers. A URL that is not a Redis URL is an error.
func Open(cfg Config) (*Store, error) {
	opt, err := redis.ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 250 * time.Millisecond
	}
	if cfg.Retry <= 0 {
		cfg.Retry = time.Second
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "clientcenter:"
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = cfg.Timeout, cfg.Timeout, cfg.Timeout
	opt.MaxRetries = -1 // a call that failed is answered by the fallback, not retried
	opt.ContextTimeoutEnabled = true
	s := &Store{rdb: redis.NewClient(opt), prefix: cfg.Prefix, timeout: cfg.Timeout, retry: cfg.Retry, log: cfg.Logger,
		pending: map[string]bool{}, stop: make(chan struct{}), done: make(chan struct{}), wake: make(chan struct{}, 1)}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		s.since = time.Now()
		s.log.Warn("shared: redis is not reachable; each replica works alone until it is", zap.Error(err))
	} else {
		s.up.Store(true)
	}
	go s.monitor()
	return s, nil
}

// Close stops the Store; later calls do nothing.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.done
		err = s.rdb.Close()
	})
	return err
}

// Epoch moves on each time Redis comes back after it could not be reached (see cache.Shared).
func (s *Store) Epoch() uint64 { return s.epoch.Load() }

// Up tells whether Redis answered the last call.
func (s *Store) Up() bool { return s.up.Load() }

// Status is Redis's state for /readyz: "up" or "down", and since when it is down.
func (s *Store) Status() (string, time.Time) {
	if s.Up() {
		return "up", time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return "down", s.since
}

// ctx bounds one call to Redis.
func (s *Store) ctx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(parent), s.timeout)
}

// failed notes a call that Redis did not answer: the first marks it down, logged once.
func (s *Store) failed(err error) error {
	if err == nil || errors.Is(err, redis.Nil) {
		return err
	}
	// An answer that is an error (out of memory, a script's error) is Redis refusing one call,
	// not Redis gone: the call fails, the store stays up.
	var reply redis.Error
	if errors.As(err, &reply) {
		s.log.Warn("shared: redis refused a call", zap.Error(err))
		return err
	}
	if s.up.CompareAndSwap(true, false) {
		s.mu.Lock()
		s.since = time.Now()
		s.mu.Unlock()
		s.log.Warn("shared: redis stopped answering; each replica works alone until it answers again", zap.Error(err))
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	return ErrDown
}

// monitor tries a Redis that is down again every Retry; when it answers, the generations bumped
// meanwhile are replayed before the Store counts as up.
func (s *Store) monitor() {
	defer close(s.done)
	t := time.NewTicker(s.retry)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.wake:
			continue
		}
		if s.Up() {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
		err := s.rdb.Ping(ctx).Err()
		cancel()
		if err != nil {
			continue
		}
		if s.replay() {
			s.log.Info("shared: redis answers again; the replicas share again")
		}
	}
}

// replay sends Redis the bumps and revocations queued while it was down, until none is left, and
// then counts the store as up again, under the lock the queueing takes: so nothing queued is
// left behind. It reports false, with the rest still queued, when Redis fails again.
func (s *Store) replay() bool {
	for {
		s.mu.Lock()
		if len(s.pending) == 0 && len(s.revoked) == 0 {
			s.epoch.Add(1)
			s.up.Store(true)
			s.mu.Unlock()
			return true
		}
		pending, revoked := s.pending, s.revoked
		s.pending, s.revoked = map[string]bool{}, nil
		s.mu.Unlock()
		requeue := func(from int, scopes map[string]bool) {
			s.mu.Lock()
			s.revoked = append(s.revoked, revoked[from:]...)
			for sc := range scopes {
				s.pending[sc] = true
			}
			s.mu.Unlock()
		}
		for i, r := range revoked {
			if keep := time.Until(r.until); keep > 0 && s.revoke(context.Background(), r.id, r.at, keep) != nil {
				requeue(i, pending)
				return false
			}
		}
		for sc := range pending {
			ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
			err := s.rdb.Incr(ctx, s.prefix+"gen:"+sc).Err()
			cancel()
			if err != nil {
				requeue(len(revoked), pending) // bumped twice at worst: a generation need only move
				return false
			}
		}
	}
}

// queue keeps what to replay while Redis is down; it reports false when the store is up again
// (the caller then sends it itself).
func (s *Store) queue(add func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.up.Load() {
		return false
	}
	add()
	return true
}

// Generation is the shared generation of scope (0 before its first write). It is read with
// Redis's boot mark, a random value the first replica to find none sets: a Redis that restarted
// empty between two calls (its generations counting from zero again) has another, and the epoch
// moves on, as after an outage.
func (s *Store) Generation(ctx context.Context, scope string) (uint64, error) {
	if !s.Up() {
		return 0, ErrDown
	}
	c, cancel := s.ctx(ctx)
	defer cancel()
	vals, err := s.rdb.MGet(c, s.prefix+"gen:"+scope, s.prefix+"boot").Result()
	if err != nil {
		return 0, s.failed(err)
	}
	boot, _ := vals[1].(string)
	if boot == "" {
		if err := s.rdb.SetNX(c, s.prefix+"boot", randomToken(), 0).Err(); err != nil {
			return 0, s.failed(err)
		}
		if boot, err = s.rdb.Get(c, s.prefix+"boot").Result(); err != nil {
			return 0, s.failed(err)
		}
	}
	s.noteBoot(boot)
	var gen uint64
	if g, ok := vals[0].(string); ok {
		if gen, err = strconv.ParseUint(g, 10, 64); err != nil {
			return 0, err
		}
	}
	return gen, nil
}

// noteBoot records Redis's boot mark; a new one after a first moves the epoch on.
func (s *Store) noteBoot(boot string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.boot != boot {
		if s.boot != "" {
			s.epoch.Add(1)
			s.log.Info("shared: redis restarted empty; what this replica cached alone is dropped")
		}
		s.boot = boot
	}
}

// Boot is Redis's boot mark as last read ("" before the first reading).
func (s *Store) Boot() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.boot
}

// Bump moves scope's generation on and returns it. While Redis is down the bump is kept and
// replayed when it returns (ErrDown is returned meanwhile).
func (s *Store) Bump(ctx context.Context, scope string) (uint64, error) {
	for range 2 {
		if s.Up() {
			c, cancel := s.ctx(ctx)
			v, err := s.rdb.Incr(c, s.prefix+"gen:"+scope).Uint64()
			cancel()
			if err == nil {
				return v, nil
			}
			s.failed(err)
		}
		if s.queue(func() { s.pending[scope] = true }) {
			return 0, ErrDown
		}
	}
	return 0, ErrDown
}

// Get is the value under key, nil when there is none.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	if !s.Up() {
		return nil, ErrDown
	}
	c, cancel := s.ctx(ctx)
	defer cancel()
	v, err := s.rdb.Get(c, s.prefix+"v:"+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	return v, s.failed(err)
}

// Set stores v under key for ttl.
func (s *Store) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	if !s.Up() {
		return ErrDown
	}
	c, cancel := s.ctx(ctx)
	defer cancel()
	return s.failed(s.rdb.Set(c, s.prefix+"v:"+key, v, ttl).Err())
}

// unlockScript deletes a lock only while it is still the caller's.
var unlockScript = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`)

// Lock takes the lock key for at most ttl; ok is false when another holds it. The lock ends by
// itself after ttl, so a replica that dies holding it delays the others by at most that.
func (s *Store) Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error) {
	if !s.Up() {
		return nil, false, ErrDown
	}
	token := randomToken()
	c, cancel := s.ctx(ctx)
	defer cancel()
	ok, err = s.rdb.SetNX(c, s.prefix+"lock:"+key, token, ttl).Result()
	if err != nil {
		return nil, false, s.failed(err)
	}
	if !ok {
		return nil, false, nil
	}
	return func() {
		c, cancel := s.ctx(context.Background())
		defer cancel()
		s.failed(unlockScript.Run(c, s.rdb, []string{s.prefix + "lock:" + key}, token).Err())
	}, true, nil
}

// Locked tells whether the lock key is held.
func (s *Store) Locked(ctx context.Context, key string) (bool, error) {
	if !s.Up() {
		return false, ErrDown
	}
	c, cancel := s.ctx(ctx)
	defer cancel()
	n, err := s.rdb.Exists(c, s.prefix+"lock:"+key).Result()
	return n > 0, s.failed(err)
}

func randomToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// revokeScript marks a revocation: the later of its moment and that of a mark already there (a
// mark replayed after an outage must not move a newer one back), kept until the later end.
var revokeScript = redis.NewScript(`
local ttl = redis.call('PTTL', KEYS[1])
local old = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = tonumber(ARGV[1])
if old > at then at = old end
redis.call('SET', KEYS[1], at)
local want = tonumber(ARGV[2])
if ttl > want then want = ttl end
redis.call('PEXPIRE', KEYS[1], want)
return 1`)

// revocation is one made while Redis was down, to be replayed: its end is on the wall clock.
type revocation struct {
	id    string
	at    time.Time
	until time.Time
}

// Revoke marks id revoked at at (on the caller's clock), remembered for keep. While Redis is down
// the mark is kept and replayed when it returns (ErrDown is returned meanwhile), so a session
// signed out during an outage ends on every replica once it is over.
func (s *Store) Revoke(ctx context.Context, id string, at time.Time, keep time.Duration) error {
	if keep <= 0 {
		return nil
	}
	for range 2 {
		if s.Up() {
			if err := s.revoke(ctx, id, at, keep); err == nil {
				return nil
			}
		}
		if s.queue(func() { s.revoked = append(s.revoked, revocation{id, at, time.Now().Add(keep)}) }) {
			return ErrDown
		}
	}
	return ErrDown
}

func (s *Store) revoke(ctx context.Context, id string, at time.Time, keep time.Duration) error {
	c, cancel := s.ctx(ctx)
	defer cancel()
	return s.failed(revokeScript.Run(c, s.rdb, []string{s.prefix + "rev:" + id}, strconv.FormatInt(at.UnixMilli(), 10), keep.Milliseconds()).Err())
}

// RevokedAt is when id was revoked, if it is.
func (s *Store) RevokedAt(ctx context.Context, id string) (time.Time, bool, error) {
	if !s.Up() {
		return time.Time{}, false, ErrDown
	}
	c, cancel := s.ctx(ctx)
	defer cancel()
	ms, err := s.rdb.Get(c, s.prefix+"rev:"+id).Int64()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, s.failed(err)
	}
	return time.UnixMilli(ms), true, nil
}
