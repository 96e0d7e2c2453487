package cache

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"io"
	"reflect"
	"sync"
	"time"
)

// sharedWait bounds how long a replica waits for another's fetch of the same value before it
// fetches the value itself; sharedPoll is how often it looks meanwhile.
const (
	sharedWait  = 10 * time.Second
	sharedPoll  = 15 * time.Millisecond
	sharedStale = time.Hour
)

// fetchShared is a fetch through the shared store: the value another replica fetched when it is
// there and fresh; else this replica takes the key's lock and fetches it for everyone, or, when
// another holds the lock, waits for that replica's value (at most sharedWait, and never past the
// lock's end) and fetches it itself only if none comes. Whatever the store fails to answer, the
// value is fetched here, as without a store.
//
// A value in the store past its TTL (within MaxStale) is kept aside: should Erp.Net fail, it is
// put in this process's layer, where Do serves it marked stale as it would its own — except
// access records, which are never served stale from another replica's copy.
func (c *Cache) fetchShared(ctx context.Context, k, sk string, ttl time.Duration, kind Kind, fetch func(context.Context) (any, error), cd *codec) (any, error) {
	sh := c.cfg.Shared
	e, old := c.sharedEntry(ctx, sk, ttl, cd)
	if e != nil {
		c.sharedHits.Add(1)
		c.put(k, e, ttl)
		return e, nil
	}
	unlock, ok, err := sh.Lock(ctx, sk, c.cfg.FetchTimeout)
	if err == nil && !ok {
		deadline := time.Now().Add(min(sharedWait, c.cfg.FetchTimeout))
		for time.Now().Before(deadline) {
			t := time.NewTimer(sharedPoll)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
			if e, _ := c.sharedEntry(ctx, sk, ttl, cd); e != nil {
				c.sharedHits.Add(1)
				c.sharedWaits.Add(1)
				c.put(k, e, ttl)
				return e, nil
			}
			held, err := sh.Locked(ctx, sk)
			if err != nil {
				break
			}
			if !held {
				// The other fetch ended: its value may have come just after the look above.
				if e, _ := c.sharedEntry(ctx, sk, ttl, cd); e != nil {
					c.sharedHits.Add(1)
					c.sharedWaits.Add(1)
					c.put(k, e, ttl)
					return e, nil
				}
				// It failed, or its replica died: try to take over.
				if unlock, ok, err = sh.Lock(ctx, sk, c.cfg.FetchTimeout); err != nil || ok {
					break
				}
			}
		}
	}
	if unlock != nil {
		defer unlock()
		// Another replica may have fetched it between the first look and the lock.
		if e, _ := c.sharedEntry(ctx, sk, ttl, cd); e != nil {
			c.sharedHits.Add(1)
			c.put(k, e, ttl)
			return e, nil
		}
	}
	v, err := c.fetch(ctx, fetch)
	if err != nil {
		if old != nil && kind != KindAccess {
			c.put(k, old, ttl)
		}
		return nil, err
	}
	e = &entry{value: v, fetched: c.cfg.Now()}
	c.put(k, e, ttl)
	// Kept in the store for its TTL and at most an hour more: long enough to share, and to show
	// marked stale through a short outage of Erp.Net; this process keeps its own for MaxStale.
	if b, err := cd.encode(e); err == nil {
		_ = sh.Set(ctx, sk, b, ttl+min(c.cfg.MaxStale, sharedStale))
	}
	return e, nil
}

// sharedEntry is the value under k in the shared store: fresh, or else past its TTL but within
// MaxStale (old); nil when there is neither.
func (c *Cache) sharedEntry(ctx context.Context, k string, ttl time.Duration, cd *codec) (fresh, old *entry) {
	b, err := c.cfg.Shared.Get(ctx, k)
	if err != nil || b == nil {
		return nil, nil
	}
	e, err := cd.decode(b)
	if err != nil {
		return nil, nil
	}
	switch age := c.cfg.Now().Sub(e.fetched); {
	case age >= ttl+c.cfg.MaxStale:
		return nil, nil
	case age >= ttl:
		return nil, e
	}
	return e, nil
}

// codec writes and reads the values of one type for the shared store, with gob: the time the
// value was fetched, then the value.
type codec struct {
	typ reflect.Type
}

func (cd *codec) encode(e *entry) ([]byte, error) {
	var buf bytes.Buffer
	var at [8]byte
	binary.BigEndian.PutUint64(at[:], uint64(e.fetched.UnixNano()))
	buf.Write(at[:])
	v := reflect.New(cd.typ)
	v.Elem().Set(reflect.ValueOf(e.value))
	if err := gob.NewEncoder(&buf).EncodeValue(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (cd *codec) decode(b []byte) (*entry, error) {
	if len(b) < 8 {
		return nil, io.ErrUnexpectedEOF
	}
	at := time.Unix(0, int64(binary.BigEndian.Uint64(b[:8])))
	v := reflect.New(cd.typ)
	if err := gob.NewDecoder(bytes.NewReader(b[8:])).DecodeValue(v); err != nil {
		return nil, err
	}
	return &entry{value: v.Elem().Interface(), fetched: at}, nil
}

var codecs sync.Map // reflect.Type → *codec, or nil when values of the type stay in one process

// codecFor is the codec of T, nil without a shared store or when T cannot be shared whole: a
// type with an unexported field, an interface, a func or a channel anywhere in it, which gob
// would drop or refuse. Such values stay in the process, which is still correct (their keys
// carry the shared generation), only not shared.
func codecFor[T any](c *Cache) *codec {
	if c.cfg.Shared == nil {
		return nil
	}
	t := reflect.TypeFor[T]()
	if cd, ok := codecs.Load(t); ok {
		return cd.(*codec)
	}
	var cd *codec
	if shareable(t, map[reflect.Type]bool{}) {
		cd = &codec{typ: t}
	}
	codecs.Store(t, cd)
	return cd
}

var timeType = reflect.TypeFor[time.Time]()

// shareable tells whether gob carries every part of a value of type t.
func shareable(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if seen[t] {
		return true
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64, reflect.String:
		return true
	case reflect.Slice, reflect.Array:
		return shareable(t.Elem(), seen)
	case reflect.Pointer:
		// gob sends what a pointer points to and leaves a zero value out, so a pointer to a
		// zero value comes back nil. For a pointer to a number or a string that changes the
		// meaning (a horizon of 0 days would read as none), so such a value is not shared. A
		// pointer to a struct is: the portal's pointers to structs mean "shown" or "expanded",
		// and one to a zero struct coming back as nil only hides more.
		return t.Elem().Kind() == reflect.Struct && shareable(t.Elem(), seen)
	case reflect.Map:
		return shareable(t.Key(), seen) && shareable(t.Elem(), seen)
	case reflect.Struct:
		exported := 0
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || !shareable(f.Type, seen) {
				return false
			}
			exported++
		}
		return exported > 0
	}
	return false
}

// memo is one request's reading of the shared generations: read once per request, so that a
// page's many values agree and a write's bump is seen by the next request.
type memo struct {
	mu   sync.Mutex
	gens map[scope]uint64
}

type memoKey struct{}

// WithRequest gives ctx a reading of the shared generations of its own: the server makes one per
// request. Without it every read asks the shared store.
func WithRequest(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &memo{gens: map[scope]uint64{}})
}

func memoOf(ctx context.Context) *memo {
	m, _ := ctx.Value(memoKey{}).(*memo)
	return m
}

func (m *memo) get(sc scope) (uint64, bool) {
	if m == nil {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.gens[sc]
	return g, ok
}

func (m *memo) set(sc scope, g uint64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.gens[sc] = g
	m.mu.Unlock()
}

func (m *memo) forget(sc scope) {
	m.mu.Lock()
	delete(m.gens, sc)
	m.mu.Unlock()
}
