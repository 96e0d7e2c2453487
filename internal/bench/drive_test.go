package bench

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// result is what one batch of requests measured.
type result struct {
	elapsed time.Duration
	lat     []time.Duration // one per request, sorted
}

// perSecond is the batch's throughput.
func (r result) perSecond() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

// pct is the q-th latency quantile (0 < q ≤ 1).
func (r result) pct(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[int(q*float64(len(r.lat)-1))]
}

// drive sends n GETs of target over real HTTP on loopback with keep-alive, from conc goroutines.
// Goroutine g uses clients[g%len(clients)], so with as many clients as goroutines each keeps to
// its own session. The bodies are read in full; any answer but 200 fails the benchmark.
func drive(b *testing.B, clients []*http.Client, target string, n, conc int) result {
	b.Helper()
	var next atomic.Int64
	var firstErr atomic.Pointer[error]
	lats := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for g := range conc {
		lats[g] = make([]time.Duration, 0, n/conc+1)
		wg.Go(func() {
			client := clients[g%len(clients)]
			for next.Add(1) <= int64(n) {
				t0 := time.Now()
				if err := getDiscard(client, target); err != nil {
					firstErr.CompareAndSwap(nil, &err)
					return
				}
				lats[g] = append(lats[g], time.Since(t0))
			}
		})
	}
	wg.Wait()
	res := result{elapsed: time.Since(start)}
	if p := firstErr.Load(); p != nil {
		b.Fatalf("bench: %v", *p)
	}
	for _, l := range lats {
		res.lat = append(res.lat, l...)
	}
	slices.Sort(res.lat)
	return res
}

func getDiscard(client *http.Client, target string) error {
	resp, err := client.Get(target)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", target, resp.StatusCode)
	}
	return err
}

// bareServer is the baseline of every throughput ratio: a Gin engine with one route, path,
// answering with body, served on loopback exactly as the portal is.
func bareServer(b *testing.B, path string, body []byte) (string, http.Handler) {
	b.Helper()
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET(strings.SplitN(path, "?", 2)[0], func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", body) })
	srv := httptest.NewServer(e)
	b.Cleanup(srv.Close)
	return srv.URL, e
}

// inProcess serves n requests for target straight through h.ServeHTTP on this goroutine, with
// the session's cookies, into a writer that keeps nothing: the server's own cost, without the
// network or a client.
func inProcess(b *testing.B, h http.Handler, target, cookie string, n int) {
	b.Helper()
	w := &discardWriter{h: http.Header{}}
	for range n {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Cookie", cookie)
		clear(w.h)
		w.status = 0
		h.ServeHTTP(w, req)
		if w.status != http.StatusOK && w.status != 0 {
			b.Fatalf("bench: in-process GET %s: %d", target, w.status)
		}
	}
}

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// cookieHeader is the Cookie header the session's browser sends to the portal.
func (r *rig) cookieHeader(b *testing.B, client *http.Client) string {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, r.PortalURL+"/", nil)
	var parts []string
	for _, c := range client.Jar.Cookies(req.URL) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// upstream counts the simulator's requests: Domain API calls, token requests, and calls per
// entity set.
type upstream struct {
	api, token int64
	sets       map[string]int64
}

// entitySets are the sets the breakdown names.
var entitySets = []string{erpnet.SetCustomers, erpnet.SetExternalAccess, erpnet.SetParties, erpnet.SetCompanies,
	erpnet.SetPersons, erpnet.SetUsers, erpnet.SetSalesOrders, erpnet.SetSalesOrderLines, erpnet.SetInvoices,
	erpnet.SetInvoiceLines, erpnet.SetPaymentBalances, erpnet.SetPaymentTransactions, erpnet.SetPaymentTransactionLines,
	erpnet.SetProducts, erpnet.SetDocumentTypes, erpnet.SetObjectFiles, erpnet.SetEnterpriseCompanies,
	erpnet.SetCurrencies, erpnet.SetMeasurementUnits}

func (r *rig) counters() upstream {
	u := upstream{api: r.Sim.TotalAPICalls(), token: r.Sim.Calls("token"), sets: map[string]int64{}}
	for _, s := range entitySets {
		u.sets[s] = r.Sim.Calls(s)
	}
	return u
}

// calls runs fn and returns the upstream requests it caused.
func (r *rig) calls(fn func()) upstream {
	before := r.counters()
	fn()
	after := r.counters()
	d := upstream{api: after.api - before.api, token: after.token - before.token, sets: map[string]int64{}}
	for s, n := range after.sets {
		if n -= before.sets[s]; n != 0 {
			d.sets[s] = n
		}
	}
	return d
}

// perView is the count per page view, and which entity sets were read, for the summary.
func (u upstream) perView(views int) (float64, string) {
	var parts []string
	for _, s := range entitySets {
		if n := u.sets[s]; n != 0 {
			parts = append(parts, fmt.Sprintf("%s %.3g", s, float64(n)/float64(views)))
		}
	}
	if u.token != 0 {
		parts = append(parts, fmt.Sprintf("token %.3g", float64(u.token)/float64(views)))
	}
	if len(parts) == 0 {
		parts = []string{"-"}
	}
	return float64(u.api) / float64(views), strings.Join(parts, ", ")
}

// table is a summary printed after a benchmark's sub-benchmarks: one row per key, the last
// measurement of each (the framework runs a sub-benchmark several times while sizing it).
type table struct {
	mu    sync.Mutex
	title string
	head  []string
	keys  []string
	rows  map[string][]string
	notes []string
}

func newTable(title string, head ...string) *table {
	return &table{title: title, head: head, rows: map[string][]string{}}
}

func (t *table) set(key string, cells ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.rows[key]; !ok {
		t.keys = append(t.keys, key)
	}
	t.rows[key] = cells
}

func (t *table) note(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

// print writes the table to standard output, where `make bench` shows it after the figures.
func (t *table) print() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.keys) == 0 && len(t.notes) == 0 {
		return
	}
	fmt.Printf("\n== %s\n", t.title)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.head, "\t"))
	for _, k := range t.keys {
		fmt.Fprintln(tw, k+"\t"+strings.Join(t.rows[k], "\t"))
	}
	tw.Flush()
	for _, n := range t.notes {
		fmt.Println("  " + n)
	}
	fmt.Println()
}

func micros(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d.Nanoseconds())/1e3) }
