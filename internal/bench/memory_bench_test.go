package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// customers is how many distinct customers' pages the memory benchmark caches.
const customers = 10000

// Synthetic customers and people are told apart from real ones by the tail of their Ids.
var (
	syntheticCustomer = regexp.MustCompile(`[0-9a-f]{8}-0000-4000-8000-0000c0ffee00`)
	syntheticUser     = regexp.MustCompile(`[0-9a-f]{8}-0000-4000-8000-00000000beef`)
)

func customerID(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-0000c0ffee00", i) }
func userID(i int) string     { return fmt.Sprintf("%08x-0000-4000-8000-00000000beef", i) }

// BenchmarkCacheMemory10kCustomers measures the heap the portal's cache holds once 10,000
// distinct customers' Home and Orders pages have been read, and that its MaxEntries cap holds.
//
// What is cached is exactly what the portal caches: the reads go through portal.Service (the
// person's access records, Home's two counts, the first page of Orders) into a cache.Cache of
// the portal's settings. The simulator has only a few customers, so Erp.Net's answers are the
// main customer's (25 orders a page) and its Owner's, replayed for every synthetic customer and
// person; each is still decoded afresh, as a real fetch is. The figure is the heap in use after
// GC, less the heap before the cache was made; it does not include the server's kept pages,
// frames and sessions, which have fixed budgets of their own.
func BenchmarkCacheMemory10kCustomers(b *testing.B) {
	r := sharedRig(b)
	owner := r.lookupID(b, erpnet.From(erpnet.SetUsers).Where(erpnet.Eq("Login", erpnet.Str("owner@orbis.example"))))
	rp := &replay{sim: r.Sim, customer: r.Customer, user: owner, answers: map[string]recorded{}}
	sum := newTable(fmt.Sprintf("Cache memory, %d customers' Home and Orders pages", customers),
		"run", "cap", "entries", "evicted", "heap in use", "live heap", "in use per customer")
	defer sum.print()
	for _, tc := range []struct {
		name string
		cap  int
	}{{"cap-default", r.Config.Cache.MaxEntries}, {"cap-10000", 10000}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				h, st := fillCache(b, r, rp, tc.cap)
				if st.Entries > tc.cap {
					b.Fatalf("the cache holds %d entries; its cap is %d", st.Entries, tc.cap)
				}
				b.ReportMetric(float64(h.inUse)/(1<<20), "heap-inuse-MiB")
				b.ReportMetric(float64(h.live)/(1<<20), "heap-live-MiB")
				b.ReportMetric(float64(h.inUse)/customers/1024, "KiB/customer")
				b.ReportMetric(float64(st.Entries), "entries")
				b.ReportMetric(float64(st.Evictions), "evictions")
				sum.set(tc.name, fmt.Sprint(tc.cap), fmt.Sprint(st.Entries), fmt.Sprint(st.Evictions),
					fmt.Sprintf("%.1f MiB", float64(h.inUse)/(1<<20)), fmt.Sprintf("%.1f MiB", float64(h.live)/(1<<20)),
					fmt.Sprintf("%.1f KiB", float64(h.inUse)/customers/1024))
			}
		})
	}
	sum.note("entries per customer: access records, orders and invoices this month, the first Orders page, and the same page kept as the list last shown (sharing its rows, for outages)")
	sum.note("heap in use: spans holding the cache after GC (what the process keeps); live heap: the objects themselves")
}

// fillCache reads every synthetic customer's pages through a new portal service and cache of
// the given cap, and returns the heap the cache holds and its counters.
func fillCache(b *testing.B, r *rig, rp *replay, maxEntries int) (heap, cache.Stats) {
	b.Helper()
	before := heapNow()
	cfg := cacheConfig(r.Config, r.CacheClk.Now)
	cfg.MaxEntries = maxEntries
	c := cache.New(cfg)
	ctx := context.Background()
	erp, err := erpnet.NewClient(ctx, erpnet.Config{InstanceURL: "http://erpnet.bench", ClientID: erpnetsim.DemoClientID,
		ClientSecret: erpnetsim.DemoClientSecret, MaxConcurrent: 8, RequestsPerMinute: 1 << 30, // a replay, not Erp.Net
		HTTPClient: &http.Client{Transport: handlerTransport{rp}}})
	if err != nil {
		b.Fatal(err)
	}
	svc := portal.New(portal.Deps{Instance: r.Config.Instances[0], ERP: erp, Cache: c, Now: r.CacheClk.Now})
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < customers; i = int(next.Add(1)) - 1 {
				if err := readPages(ctx, svc, i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	after := heapNow()
	runtime.KeepAlive(c)
	return heap{after.inUse - before.inUse, after.live - before.live}, c.Stats()
}

// readPages reads what Home and Orders read for synthetic customer i and its person.
func readPages(ctx context.Context, svc *portal.Service, i int) error {
	if _, err := svc.Viewer(ctx, portal.Who{UserID: userID(i), Login: "person@customer.example", Name: "A person"}); err != nil {
		return err
	}
	v := &portal.Viewer{UserID: userID(i), Accesses: []portal.Access{{CustomerID: customerID(i), Role: access.Owner}}}
	v.Current = &v.Accesses[0]
	if _, err := svc.OrdersThisMonth(ctx, v); err != nil {
		return err
	}
	if _, err := svc.InvoicesThisMonth(ctx, v); err != nil {
		return err
	}
	page, err := svc.Orders(ctx, v, portal.ListParams{})
	if err == nil && len(page.Rows) == 0 {
		err = fmt.Errorf("customer %d: an empty Orders page", i)
	}
	return err
}

// heap is the heap after garbage collection has settled (a dropped cache is freed only after its
// finalizer stops its cleaner, one collection later): the spans in use, and the live objects in
// them.
type heap struct{ inUse, live int64 }

func heapNow() heap {
	var m runtime.MemStats
	last := heap{-1, -1}
	for range 5 {
		runtime.GC()
		runtime.Gosched()
		runtime.ReadMemStats(&m)
		now := heap{int64(m.HeapInuse), int64(m.HeapAlloc)}
		if now == last {
			break
		}
		last = now
	}
	return last
}

// replay answers Domain API reads for synthetic customers and people with the simulator's
// answers for the main customer and its Owner, and remembers each answer, so that 10,000
// customers cost 10,000 decodes rather than 10,000 simulator queries over 10,000 orders.
type replay struct {
	sim            http.Handler
	customer, user string

	mu      sync.Mutex
	answers map[string]recorded
}

type recorded struct {
	status int
	header http.Header
	body   []byte
}

func (rp *replay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/domain/odata/") {
		rp.sim.ServeHTTP(w, r)
		return
	}
	q := syntheticCustomer.ReplaceAllString(r.URL.RawQuery, rp.customer)
	r.URL.RawQuery = syntheticUser.ReplaceAllString(q, rp.user)
	key := r.Method + " " + r.URL.RequestURI()
	rp.mu.Lock()
	rec, ok := rp.answers[key]
	rp.mu.Unlock()
	if !ok {
		rr := httptest.NewRecorder()
		rp.sim.ServeHTTP(rr, r)
		rec = recorded{status: rr.Code, header: rr.Header().Clone(), body: rr.Body.Bytes()}
		if rec.status == http.StatusOK {
			rp.mu.Lock()
			rp.answers[key] = rec
			rp.mu.Unlock()
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body)
}

// handlerTransport sends a client's requests straight to a handler, without a network.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
