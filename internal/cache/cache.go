// Package cache is the read cache in front of Erp.Net: values kept per data kind for a TTL, one
// upstream call for any number of concurrent misses of a key, the last good value served (marked
// stale) while Erp.Net is unreachable, and a customer's entries dropped at once after a write.
// The portal reads through it with cached() (internal/portal), keyed by the query it sends.
package cache

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	gocache "github.com/patrickmn/go-cache"
	"go.uber.org/zap"
	"golang.org/x/sync/singleflight"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Kind is a kind of data; each has its own TTL.
type Kind string

// Kinds of data the portal caches.
const (
	// KindAccess is who may do what: external-access records and users. Kept briefly, so that a
	// removed user loses access within seconds.
	KindAccess Kind = "access"
	// KindDocuments is single documents read by id.
	KindDocuments Kind = "documents"
	// KindLists is pages of listings.
	KindLists Kind = "lists"
	// KindProducts is the catalogue and other reference data that rarely changes.
	KindProducts Kind = "products"
	// KindCounts is row counts.
	KindCounts Kind = "counts"
)

// Defaults for Config.
const (
	DefaultTTL          = 30 * time.Second
	DefaultMaxStale     = 15 * time.Minute
	DefaultMaxEntries   = 10000
	DefaultFetchTimeout = 30 * time.Second
)

// Config configures a Cache.
type Config struct {
	// TTL per kind: how long a value is served without asking Erp.Net. Kinds missing here use
	// DefaultTTL.
	TTL map[Kind]time.Duration
	// DefaultTTL is the TTL of kinds not in TTL; default 30s.
	DefaultTTL time.Duration
	// MaxStale is how long past its TTL a value is kept to be served, marked stale, when Erp.Net
	// cannot be reached; default 15 minutes.
	MaxStale time.Duration
	// MaxEntries bounds the entries kept; beyond it the oldest written go first. Default 10000.
	MaxEntries int
	// FetchTimeout bounds an upstream fetch, which runs on its own, detached from the callers
	// waiting for it; default 30s.
	FetchTimeout time.Duration
	// ServeStale decides which fetch errors let a stale value be served; default StaleWorthy.
	ServeStale func(error) bool
	// Now is the clock for freshness and staleness; default time.Now.
	Now func() time.Time
	// Logger receives a warning each time a stale value is served; default none.
	Logger *zap.Logger
	// Shared, when set, is the store the portal's replicas share (Redis, package shared): the
	// customers' generations, read on each request, and the values of every type that can be
	// shared, with one fetch for all replicas. This cache stays the layer in front of it.
	Shared Shared
}

// Shared is what the cache asks of the store its replicas share. Each call is short and may
// fail (the store is down): the cache then works alone, as without one.
type Shared interface {
	// Generation is the shared generation of a customer's scope.
	Generation(ctx context.Context, scope string) (uint64, error)
	// Bump moves it on and returns it.
	Bump(ctx context.Context, scope string) (uint64, error)
	// Get is the value under key, nil when there is none; Set stores one for ttl.
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, v []byte, ttl time.Duration) error
	// Epoch moves on each time the store comes back after it could not be reached: what this
	// process cached before may have missed other replicas' writes (or the store lost its
	// generations in a restart), so it is not found again.
	Epoch() uint64
	// Boot names the Redis the generations were read from: another after it restarted empty.
	Boot() string
	// Lock takes a short lock, ok false when another holds it; Locked tells whether one is held.
	Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error)
	Locked(ctx context.Context, key string) (bool, error)
}

// Key names a cached value: the Client Center instance, the customer it belongs to ("" for data
// shared by all customers) and the normalized request, such as erpnet.Query.String().
type Key struct {
	Instance, Customer, Query string
}

// Result is a value from the cache with how it was obtained.
type Result struct {
	// Value is the cached value. It is shared with every other reader: never change it (or
	// anything it points to); copy it first.
	Value any
	// Hit is true when the value came from the cache without an upstream call by this caller.
	Hit bool
	// Stale is true when the value is past its TTL and was served because Erp.Net could not be
	// reached; Age says how old it is.
	Stale bool
	// Age is how long ago the value was fetched.
	Age time.Duration
	// FetchedAt is when the value was fetched, on the cache's clock.
	FetchedAt time.Time
	// Expires is when the value's TTL ends, on the cache's clock: what is made from it is good
	// until then.
	Expires time.Time
}

// Stats are the cache's counters since it was made.
type Stats struct {
	Hits          uint64 // served from the cache while fresh
	Misses        uint64 // not fresh in the cache: the caller waited for a fetch
	StaleServed   uint64 // stale values served because the fetch failed
	Evictions     uint64 // entries dropped to stay within MaxEntries
	UpstreamCalls uint64 // fetches actually made
	UpstreamFails uint64 // fetches that failed
	SharedHits    uint64 // misses answered by the shared store, another replica's fetch
	SharedWaits   uint64 // of those, the ones that waited for another replica's fetch to end
	Entries       int    // entries held now
}

// Cache is the read cache. It is safe for concurrent use.
type Cache struct {
	cfg    Config
	store  *gocache.Cache
	flight singleflight.Group

	genMu sync.RWMutex
	gens  map[scope]uint64 // per customer; bumped to invalidate all its entries at once
	// lastShared is each scope's shared generation as last read, used while the store is down.
	lastShared map[scope]uint64

	orderMu sync.Mutex
	order   list.List                // of string keys, oldest written first
	index   map[string]*list.Element // key → its place in order

	hits, misses, staleServed, evictions, upstream, upstreamFails atomic.Uint64
	sharedHits, sharedWaits                                       atomic.Uint64
}

type scope struct{ instance, customer string }

// entry is what the store holds for a key.
type entry struct {
	value   any
	fetched time.Time
}

// New makes a cache.
func New(cfg Config) *Cache {
	if cfg.DefaultTTL <= 0 {
		cfg.DefaultTTL = DefaultTTL
	}
	if cfg.MaxStale < 0 {
		cfg.MaxStale = 0
	} else if cfg.MaxStale == 0 {
		cfg.MaxStale = DefaultMaxStale
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = DefaultFetchTimeout
	}
	if cfg.ServeStale == nil {
		cfg.ServeStale = StaleWorthy
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	return &Cache{
		cfg: cfg,
		// go-cache drops entries after TTL+MaxStale of wall-clock time, a memory backstop; what
		// is fresh or stale is decided on cfg.Now.
		store:      gocache.New(cfg.DefaultTTL+cfg.MaxStale, time.Minute),
		gens:       map[scope]uint64{},
		lastShared: map[scope]uint64{},
		index:      map[string]*list.Element{},
	}
}

// StaleWorthy reports whether a failed fetch may be answered with a stale value: Erp.Net
// unreachable or timing out, rate limiting, or a 5xx answer.
func StaleWorthy(err error) bool {
	if erpnet.IsUnavailable(err) || erpnet.IsRateLimited(err) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var e *erpnet.Error
	return errors.As(err, &e) && e.Status >= 500
}

// TTL is the time to live of kind.
func (c *Cache) TTL(kind Kind) time.Duration {
	if d, ok := c.cfg.TTL[kind]; ok && d > 0 {
		return d
	}
	return c.cfg.DefaultTTL
}

// Do returns the value of key: from the cache while fresh, otherwise from fetch. Concurrent
// misses of one key share one fetch, which runs detached from the callers (keeping their
// context values, with its own FetchTimeout): a caller whose context ends gets its context's
// error but does not fail the others, and the fetched value is cached anyway.
//
// When the fetch fails with an error StaleWorthy accepts (or the caller's deadline passes while
// waiting) and a value at most MaxStale past its TTL exists, that value is returned with Stale
// set. Errors are never cached.
//
// The returned Value is shared: callers must not modify it.
func (c *Cache) Do(ctx context.Context, key Key, kind Kind, fetch func(ctx context.Context) (any, error)) (Result, error) {
	return c.do(ctx, key, kind, fetch, nil)
}

// do is Do with the codec of the value's type, nil when values of it stay in this process.
func (c *Cache) do(ctx context.Context, key Key, kind Kind, fetch func(ctx context.Context) (any, error), cd *codec) (Result, error) {
	k := c.storeKey(ctx, key)
	ttl := c.TTL(kind)
	var stale *entry
	if e, ok := c.lookup(k); ok {
		age := c.cfg.Now().Sub(e.fetched)
		if age < ttl {
			c.hits.Add(1)
			return Result{Value: e.value, Hit: true, Age: age, FetchedAt: e.fetched, Expires: e.fetched.Add(ttl)}, nil
		}
		if age < ttl+c.cfg.MaxStale {
			stale = e
		}
	}
	c.misses.Add(1)
	ch := c.flight.DoChan(k, func() (any, error) {
		// A caller that missed just as the previous fetch finished finds its value here.
		if e, ok := c.lookup(k); ok && c.cfg.Now().Sub(e.fetched) < ttl {
			return e, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.FetchTimeout)
		defer cancel()
		if c.cfg.Shared != nil && cd != nil {
			return c.fetchShared(fctx, k, c.sharedKey(ctx, key), ttl, kind, fetch, cd)
		}
		v, err := c.fetch(fctx, fetch)
		if err != nil {
			return nil, err
		}
		e := &entry{value: v, fetched: c.cfg.Now()}
		c.put(k, e, ttl)
		return e, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			if stale == nil { // another replica's value, past its TTL, may have come (see fetchShared)
				if e, ok := c.lookup(k); ok && c.cfg.Now().Sub(e.fetched) < ttl+c.cfg.MaxStale {
					stale = e
				}
			}
			if stale != nil && c.cfg.ServeStale(r.Err) {
				return c.serveStale(key, stale, r.Err), nil
			}
			return Result{}, r.Err
		}
		e := r.Val.(*entry)
		return Result{Value: e.value, Age: c.cfg.Now().Sub(e.fetched), FetchedAt: e.fetched, Expires: e.fetched.Add(ttl)}, nil
	case <-ctx.Done():
		if stale != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return c.serveStale(key, stale, ctx.Err()), nil
		}
		return Result{}, ctx.Err()
	}
}

// fetch runs one upstream fetch, turning a panic into an error: singleflight would re-raise it
// in a goroutine of its own, where nothing can recover it.
func (c *Cache) fetch(ctx context.Context, fetch func(context.Context) (any, error)) (v any, err error) {
	c.upstream.Add(1)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cache: fetch panicked: %v", p)
		}
		if err != nil {
			c.upstreamFails.Add(1)
		}
	}()
	return fetch(ctx)
}

func (c *Cache) serveStale(key Key, e *entry, cause error) Result {
	c.staleServed.Add(1)
	age := c.cfg.Now().Sub(e.fetched)
	c.cfg.Logger.Warn("cache: serving a stale value", zap.String("instance", key.Instance),
		zap.Duration("age", age), zap.Error(cause))
	return Result{Value: e.value, Stale: true, Age: age, FetchedAt: e.fetched, Expires: e.fetched}
}

// InvalidateCustomer drops every entry of the customer of instance, in O(1): the customer's
// generation, part of every key, moves on, so the old entries are never found again and age out.
// With a shared store the shared generation moves on too before it returns, so every replica's
// next request finds none of them either.
func (c *Cache) InvalidateCustomer(ctx context.Context, instance, customer string) {
	sc := scope{instance, customer}
	c.genMu.Lock()
	c.gens[sc]++
	c.genMu.Unlock()
	if c.cfg.Shared == nil {
		return
	}
	g, err := c.cfg.Shared.Bump(ctx, sc.name())
	if err == nil {
		c.genMu.Lock()
		c.lastShared[sc] = g
		c.genMu.Unlock()
	}
	if m := memoOf(ctx); m != nil {
		m.forget(sc)
	}
}

// Generation is the customer's generation: it moves on each InvalidateCustomer, so what is
// kept outside the cache but made from the customer's data can name the generation it was
// made in and be known as out of date after a write. With a shared store it is made of the
// shared generation, read once per request (see WithRequest), and this process's own, which
// covers the writes made while the store was down.
func (c *Cache) Generation(ctx context.Context, instance, customer string) uint64 {
	sc := scope{instance, customer}
	c.genMu.RLock()
	local := c.gens[sc]
	c.genMu.RUnlock()
	if c.cfg.Shared == nil {
		return local
	}
	// One number of the three, for keys and comparisons only.
	h := fnv.New64a()
	var b [24]byte
	binary.BigEndian.PutUint64(b[0:], c.cfg.Shared.Epoch())
	binary.BigEndian.PutUint64(b[8:], c.sharedGeneration(ctx, sc))
	binary.BigEndian.PutUint64(b[16:], local)
	h.Write(b[:])
	return h.Sum64()
}

// sharedGeneration is the scope's shared generation: this request's reading of it, else the
// store's, else (the store down) the last one read.
func (c *Cache) sharedGeneration(ctx context.Context, sc scope) uint64 {
	m := memoOf(ctx)
	if g, ok := m.get(sc); ok {
		return g
	}
	g, err := c.cfg.Shared.Generation(ctx, sc.name())
	c.genMu.Lock()
	if err != nil {
		g = c.lastShared[sc]
	} else {
		c.lastShared[sc] = g
	}
	c.genMu.Unlock()
	m.set(sc, g)
	return g
}

// name is the scope as the shared store names it.
func (sc scope) name() string { return sc.instance + "\x00" + sc.customer }

// MinTTL is the shortest TTL of any kind: nothing made from the cache's values is fresher
// than this for longer.
func (c *Cache) MinTTL() time.Duration {
	m := c.TTL(KindAccess)
	for _, k := range []Kind{KindDocuments, KindLists, KindProducts, KindCounts} {
		m = min(m, c.TTL(k))
	}
	return m
}

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	return Stats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), StaleServed: c.staleServed.Load(),
		Evictions: c.evictions.Load(), UpstreamCalls: c.upstream.Load(), UpstreamFails: c.upstreamFails.Load(),
		SharedHits: c.sharedHits.Load(), SharedWaits: c.sharedWaits.Load(), Entries: c.store.ItemCount(),
	}
}

// storeKey is the key in the store: the SHA-256 of key's parts with the customer's generation. A
// query is hundreds of bytes (an OData URL) and every entry holds its key, so the digest keeps
// 10,000 customers' keys in a tenth of the memory; being collision-resistant, it never lets one
// query's value answer another. Instance names and customer Ids hold no NUL, and the query,
// which may, comes last.
func (c *Cache) storeKey(ctx context.Context, key Key) string {
	gen := c.Generation(ctx, key.Instance, key.Customer)
	sum := sha256.Sum256([]byte(key.Instance + "\x00" + key.Customer + "\x00" + strconv.FormatUint(gen, 10) + "\x00" + key.Query))
	return string(sum[:])
}

// sharedKey is the key of a value in the shared store: like storeKey, but with the shared
// generation alone (and the store's boot), so that every replica names the same value alike
// whatever its own writes and outages. storeKey stays the key of this process's layer.
func (c *Cache) sharedKey(ctx context.Context, key Key) string {
	gen := c.sharedGeneration(ctx, scope{key.Instance, key.Customer})
	sum := sha256.Sum256([]byte(key.Query))
	return key.Instance + "\x00" + key.Customer + "\x00" + c.cfg.Shared.Boot() + "." + strconv.FormatUint(gen, 10) + "\x00" + string(sum[:])
}

func (c *Cache) lookup(k string) (*entry, bool) {
	v, ok := c.store.Get(k)
	if !ok {
		return nil, false
	}
	e, ok := v.(*entry)
	return e, ok
}

// put stores e and, past MaxEntries, drops the entries written longest ago.
func (c *Cache) put(k string, e *entry, ttl time.Duration) {
	c.orderMu.Lock()
	defer c.orderMu.Unlock()
	c.store.Set(k, e, ttl+c.cfg.MaxStale)
	if el, ok := c.index[k]; ok {
		c.order.MoveToBack(el)
	} else {
		c.index[k] = c.order.PushBack(k)
	}
	for c.order.Len() > c.cfg.MaxEntries {
		oldest := c.order.Front()
		old := oldest.Value.(string)
		c.order.Remove(oldest)
		delete(c.index, old)
		if _, found := c.store.Get(old); found {
			c.evictions.Add(1)
		}
		c.store.Delete(old)
	}
}
