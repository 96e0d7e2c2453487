package cache

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// counter is an upstream fetch that counts its calls and answers what next says.
type counter struct {
	calls atomic.Int32
	next  func(n int32) (any, error)
}

func (f *counter) fetch(ctx context.Context) (any, error) {
	n := f.calls.Add(1)
	if f.next != nil {
		return f.next(n)
	}
	return fmt.Sprintf("value %d", n), nil
}

var key = Key{Instance: "cc", Customer: "cust-1", Query: "Crm_Sales_SalesOrders?$top=10"}

func newTestCache(clock *fakeClock, edit func(*Config)) *Cache {
	cfg := Config{
		TTL:      map[Kind]time.Duration{KindAccess: 5 * time.Second, KindLists: time.Minute},
		MaxStale: 10 * time.Minute,
		Now:      clock.Now,
	}
	if edit != nil {
		edit(&cfg)
	}
	return New(cfg)
}

func TestTTLPerKind(t *testing.T) {
	tests := []struct {
		kind    Kind
		ttl     time.Duration
		elapsed time.Duration
		wantHit bool
	}{
		{KindAccess, 5 * time.Second, 4 * time.Second, true},
		{KindAccess, 5 * time.Second, 5 * time.Second, false},
		{KindLists, time.Minute, 59 * time.Second, true},
		{KindLists, time.Minute, time.Minute, false},
		{KindCounts, DefaultTTL, DefaultTTL - time.Second, true},
		{KindCounts, DefaultTTL, DefaultTTL, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s after %v", tt.kind, tt.elapsed), func(t *testing.T) {
			clock := newFakeClock()
			c := newTestCache(clock, nil)
			up := &counter{}
			ctx := context.Background()
			first, err := c.Do(ctx, key, tt.kind, up.fetch)
			if err != nil || first.Hit || first.Value != "value 1" {
				t.Fatalf("first read = %+v, %v; want a miss with value 1", first, err)
			}
			clock.Advance(tt.elapsed)
			got, err := c.Do(ctx, key, tt.kind, up.fetch)
			if err != nil {
				t.Fatal(err)
			}
			if got.Hit != tt.wantHit {
				t.Errorf("Hit = %v, want %v", got.Hit, tt.wantHit)
			}
			wantCalls, wantValue := int32(2), "value 2"
			if tt.wantHit {
				wantCalls, wantValue = 1, "value 1"
			}
			if got.Value != wantValue || up.calls.Load() != wantCalls {
				t.Errorf("value %v after %d upstream calls, want %v after %d", got.Value, up.calls.Load(), wantValue, wantCalls)
			}
			if got.Stale {
				t.Error("a fresh read is marked stale")
			}
		})
	}
}

func TestStaleOnError(t *testing.T) {
	outage := fmt.Errorf("erpnet: GET x: %w", erpnet.ErrUnavailable)
	tests := []struct {
		name      string
		err       error
		elapsed   time.Duration
		wantStale bool
	}{
		{"unreachable", outage, 2 * time.Minute, true},
		{"timeout", context.DeadlineExceeded, 2 * time.Minute, true},
		{"503", &erpnet.Error{Status: http.StatusServiceUnavailable}, 2 * time.Minute, true},
		{"500", &erpnet.Error{Status: 500, Code: 2029}, 2 * time.Minute, true},
		{"rate limited", &erpnet.Error{Status: http.StatusTooManyRequests}, 2 * time.Minute, true},
		{"not found is not an outage", &erpnet.Error{Status: http.StatusNotFound}, 2 * time.Minute, false},
		{"too old to serve", outage, time.Minute + 10*time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			c := newTestCache(clock, nil)
			up := &counter{next: func(n int32) (any, error) {
				if n == 1 {
					return "good", nil
				}
				return nil, tt.err
			}}
			ctx := context.Background()
			if _, err := c.Do(ctx, key, KindLists, up.fetch); err != nil {
				t.Fatal(err)
			}
			clock.Advance(tt.elapsed)
			got, err := c.Do(ctx, key, KindLists, up.fetch)
			if !tt.wantStale {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v, want the stale value", err)
			}
			if !got.Stale || got.Value != "good" || got.Age != tt.elapsed {
				t.Errorf("got %+v, want stale %q aged %v", got, "good", tt.elapsed)
			}
			if s := c.Stats(); s.StaleServed != 1 || s.UpstreamFails != 1 {
				t.Errorf("stats = %+v, want 1 stale served, 1 failed fetch", s)
			}
		})
	}
}

func TestErrorsAreNotCached(t *testing.T) {
	c := newTestCache(newFakeClock(), nil)
	up := &counter{next: func(n int32) (any, error) {
		if n == 1 {
			return nil, errors.New("boom")
		}
		return "ok", nil
	}}
	if _, err := c.Do(context.Background(), key, KindLists, up.fetch); err == nil {
		t.Fatal("first read succeeded, want the error")
	}
	got, err := c.Do(context.Background(), key, KindLists, up.fetch)
	if err != nil || got.Value != "ok" {
		t.Errorf("second read = %v, %v; want a new fetch", got.Value, err)
	}
}

func TestConcurrentMissesShareOneFetch(t *testing.T) {
	const callers = 100
	c := newTestCache(newFakeClock(), nil)
	release := make(chan struct{})
	up := &counter{next: func(int32) (any, error) { <-release; return "v", nil }}
	var wg sync.WaitGroup
	results := make([]any, callers)
	for i := range callers {
		wg.Go(func() {
			res, err := c.Do(context.Background(), key, KindLists, up.fetch)
			if err != nil {
				t.Error(err)
			}
			results[i] = res.Value
		})
	}
	for c.Stats().Misses < callers {
		runtime.Gosched() // until every caller has missed
	}
	close(release)
	wg.Wait()
	if got := up.calls.Load(); got != 1 {
		t.Errorf("upstream calls = %d, want 1", got)
	}
	for i, v := range results {
		if v != "v" {
			t.Fatalf("caller %d got %v", i, v)
		}
	}
}

func TestOneCallerGivingUpDoesNotFailTheOthers(t *testing.T) {
	c := newTestCache(newFakeClock(), func(cfg *Config) { cfg.FetchTimeout = time.Hour })
	started := make(chan context.Context, 1)
	release := make(chan struct{})
	fetchErr := make(chan error, 1)
	up := &counter{next: nil}
	fetch := func(ctx context.Context) (any, error) {
		up.calls.Add(1)
		started <- ctx
		<-release
		fetchErr <- ctx.Err()
		return "shared", nil
	}

	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	go func() {
		_, err := c.Do(ctxA, key, KindLists, fetch)
		errA <- err
	}()
	fctx := <-started
	if _, ok := fctx.Deadline(); !ok {
		t.Error("the fetch has no deadline of its own")
	}
	resB := make(chan Result, 1)
	go func() {
		res, err := c.Do(context.Background(), key, KindLists, fetch)
		if err != nil {
			t.Error(err)
		}
		resB <- res
	}()
	for c.Stats().Misses < 2 {
		runtime.Gosched()
	}
	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("caller A: err = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-fetchErr; err != nil {
		t.Errorf("the fetch saw %v after caller A left, want it to go on", err)
	}
	if got := (<-resB).Value; got != "shared" {
		t.Errorf("caller B got %v, want the shared value", got)
	}
	if got := up.calls.Load(); got != 1 {
		t.Errorf("upstream calls = %d, want 1", got)
	}
	if res, _ := c.Do(context.Background(), key, KindLists, fetch); !res.Hit {
		t.Error("the value fetched for the callers was not cached")
	}
}

func TestInvalidateCustomer(t *testing.T) {
	c := newTestCache(newFakeClock(), nil)
	up := &counter{}
	ctx := context.Background()
	other := Key{Instance: "cc", Customer: "cust-2", Query: key.Query}
	otherInstance := Key{Instance: "cc2", Customer: key.Customer, Query: key.Query}
	for _, k := range []Key{key, other, otherInstance} {
		if _, err := c.Do(ctx, k, KindLists, up.fetch); err != nil {
			t.Fatal(err)
		}
	}
	c.InvalidateCustomer(context.Background(), "cc", "cust-1")
	tests := []struct {
		key     Key
		wantHit bool
	}{{key, false}, {other, true}, {otherInstance, true}}
	for _, tt := range tests {
		res, err := c.Do(ctx, tt.key, KindLists, up.fetch)
		if err != nil {
			t.Fatal(err)
		}
		if res.Hit != tt.wantHit {
			t.Errorf("%+v: Hit = %v, want %v", tt.key, res.Hit, tt.wantHit)
		}
	}
}

func TestInvalidationDuringAFetchIsNotUndone(t *testing.T) {
	c := newTestCache(newFakeClock(), nil)
	release := make(chan struct{})
	up := &counter{next: func(n int32) (any, error) {
		if n == 1 {
			<-release // the write and its invalidation happen while this read is on its way
			return "before the write", nil
		}
		return "after the write", nil
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Do(context.Background(), key, KindLists, up.fetch)
	}()
	for up.calls.Load() < 1 {
		runtime.Gosched()
	}
	c.InvalidateCustomer(context.Background(), key.Instance, key.Customer)
	close(release)
	<-done
	res, err := c.Do(context.Background(), key, KindLists, up.fetch)
	if err != nil || res.Value != "after the write" {
		t.Errorf("read after invalidation = %v, %v; want the value after the write", res.Value, err)
	}
}

func TestMaxEntries(t *testing.T) {
	c := newTestCache(newFakeClock(), func(cfg *Config) { cfg.MaxEntries = 3 })
	up := &counter{}
	ctx := context.Background()
	keyN := func(n int) Key { return Key{Instance: "cc", Customer: "c", Query: fmt.Sprint("q", n)} }
	for n := range 5 {
		if _, err := c.Do(ctx, keyN(n), KindLists, up.fetch); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Entries != 3 || s.Evictions != 2 {
		t.Errorf("stats = %+v, want 3 entries and 2 evictions", s)
	}
	tests := []struct {
		n       int
		wantHit bool
	}{{4, true}, {3, true}, {0, false}}
	for _, tt := range tests {
		res, _ := c.Do(ctx, keyN(tt.n), KindLists, up.fetch)
		if res.Hit != tt.wantHit {
			t.Errorf("key %d: Hit = %v, want %v (oldest written go first)", tt.n, res.Hit, tt.wantHit)
		}
	}
}

func TestPanickingFetchIsAnError(t *testing.T) {
	c := newTestCache(newFakeClock(), nil)
	_, err := c.Do(context.Background(), key, KindLists, func(context.Context) (any, error) { panic("bug") })
	if err == nil {
		t.Fatal("a panicking fetch returned no error")
	}
}

func TestCallerDeadlineServesStale(t *testing.T) {
	clock := newFakeClock()
	c := newTestCache(clock, nil)
	if _, err := c.Do(context.Background(), key, KindLists, func(context.Context) (any, error) { return "old", nil }); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	release := make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	res, err := c.Do(ctx, key, KindLists, func(context.Context) (any, error) { <-release; return "new", nil })
	if err != nil || !res.Stale || res.Value != "old" {
		t.Errorf("got %+v, %v; want the stale value when Erp.Net is too slow", res, err)
	}
}

func TestFetchTyped(t *testing.T) {
	c := newTestCache(newFakeClock(), nil)
	n, res, err := Fetch(context.Background(), c, key, KindCounts, func(context.Context) (int, error) { return 42, nil })
	if err != nil || n != 42 || res.Hit {
		t.Fatalf("Fetch = %d, %+v, %v", n, res, err)
	}
	n, res, err = Fetch(context.Background(), c, key, KindCounts, func(context.Context) (int, error) { return 0, errors.New("not called") })
	if err != nil || n != 42 || !res.Hit {
		t.Errorf("cached Fetch = %d, %+v, %v; want the cached 42", n, res, err)
	}
	if _, _, err := Fetch(context.Background(), c, key, KindCounts, func(context.Context) (string, error) { return "", nil }); err == nil {
		t.Error("reading an int entry as a string succeeded")
	}
}

// fakeClock is the shared settable clock; tests move it by hand.
type fakeClock = clock.Fake

func newFakeClock() *fakeClock { return clock.NewFake(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) }

func TestDeriveOncePerVersion(t *testing.T) {
	clk := newFakeClock()
	c := newTestCache(clk, nil)
	ctx := context.Background()
	up := &counter{}
	computed := 0
	derive := func() string {
		t.Helper()
		v, res, err := Fetch(ctx, c, key, KindLists, func(ctx context.Context) (any, error) { return up.fetch(ctx) })
		if err != nil {
			t.Fatal(err)
		}
		out, err := Derive(context.Background(), c, Key{Instance: key.Instance, Customer: key.Customer, Query: "upper"}, KindLists, res.FetchedAt, func() (string, error) {
			computed++
			return fmt.Sprintf("made from %v", v), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := derive(); got != "made from value 1" || computed != 1 {
		t.Fatalf("first: %q after %d computations", got, computed)
	}
	if got := derive(); got != "made from value 1" || computed != 1 {
		t.Errorf("same version: %q after %d computations, want the kept result", got, computed)
	}
	clk.Advance(2 * time.Minute) // past the lists' TTL: the input is fetched again
	if got := derive(); got != "made from value 2" || computed != 2 {
		t.Errorf("new version: %q after %d computations, want it made again", got, computed)
	}
	if s := c.Stats(); s.UpstreamCalls != 2 {
		t.Errorf("upstream calls = %d, want 2: a computation is not one", s.UpstreamCalls)
	}
	c.InvalidateCustomer(context.Background(), key.Instance, key.Customer)
	if got := derive(); got != "made from value 3" || computed != 3 {
		t.Errorf("after invalidation: %q after %d computations, want it made again", got, computed)
	}
	if _, err := Derive(context.Background(), c, Key{Query: "failing"}, KindLists, time.Time{}, func() (int, error) { return 0, errors.New("no") }); err == nil {
		t.Error("a failed computation gave no error")
	}
	calls := 0
	if _, err := Derive(context.Background(), c, Key{Query: "failing"}, KindLists, time.Time{}, func() (int, error) { calls++; return 1, nil }); err != nil || calls != 1 {
		t.Errorf("after a failure: %d computations, %v; want it made again (errors are not kept)", calls, err)
	}
}

// Keep stores a value read in passing only if no write of the customer came between the read
// and the keeping; Peek finds it fresh or stale, and not once MaxStale has passed.
func TestKeepAndPeek(t *testing.T) {
	clk := newFakeClock()
	c := newTestCache(clk, nil)
	key := Key{Instance: "cc", Customer: "c1", Query: "whole"}
	gen := c.Generation(context.Background(), "cc", "c1")
	c.InvalidateCustomer(context.Background(), "cc", "c1") // a write between the read and the keeping
	Keep(context.Background(), c, key, KindLists, gen, "before the write")
	if _, _, ok := Peek[string](context.Background(), c, key, KindLists); ok {
		t.Fatal("a value read before a write was kept as the data after it")
	}
	Keep(context.Background(), c, key, KindLists, c.Generation(context.Background(), "cc", "c1"), "after")
	if v, _, ok := Peek[string](context.Background(), c, key, KindLists); !ok || v != "after" {
		t.Fatalf("Peek = %q, %v", v, ok)
	}
	clk.Advance(c.TTL(KindLists) + c.cfg.MaxStale/2)
	if _, _, ok := Peek[string](context.Background(), c, key, KindLists); !ok {
		t.Errorf("a stale value within MaxStale was not found")
	}
	clk.Advance(c.cfg.MaxStale)
	if _, _, ok := Peek[string](context.Background(), c, key, KindLists); ok {
		t.Errorf("a value past MaxStale was found")
	}
}
