package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/server"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// scale is the simulator's size knob for every benchmark: the main customer has about 10,000 orders.
const scale = 25

// rig is a simulator and a portal in-process on loopback, with the portal's cache and its clock
// in the benchmarks' hands. The portal and the simulator share a frozen clock, so sessions and
// tokens never age during a run; the cache has a clock of its own, frozen too, so a warm page
// stays warm for a whole measurement and a benchmark can expire every entry at once by moving it.
type rig struct {
	*testenv.Env
	Cache    *cache.Cache
	CacheClk *clock.Fake
	// Customer is the main customer's Id: the scope of its cached data.
	Customer string

	transport *http.Transport
	closers   []func()

	mu       sync.Mutex
	sessions []*http.Client
	ids      map[string]string // path placeholder → a document Id of the main customer
}

var (
	sharedOnce sync.Once
	shared     *rig
)

// TestMain closes the shared rig after the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.close()
	}
	os.Exit(code)
}

// sharedRig is one rig at the benchmarks' scale for every benchmark of the run: seeding 10,000
// orders and signing in 64 browsers is done once.
func sharedRig(b *testing.B) *rig {
	b.Helper()
	sharedOnce.Do(func() { shared = newRig(b, scale) })
	if shared == nil {
		b.Fatal("bench: the shared rig failed to start")
	}
	return shared
}

func newRig(b *testing.B, scale int) *rig {
	b.Helper()
	clk := clock.NewFake(time.Now())
	r := &rig{CacheClk: clock.NewFake(clk.Now()), ids: map[string]string{},
		transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}}
	// The rig's clock stands still, so Erp.Net's 600 requests a minute would never refill: the
	// benchmarks measure the portal, not that allowance.
	sim := erpnetsim.New(erpnetsim.Options{Now: clk.Now, Scale: scale, Limits: erpnetsim.Limits{SessionRPM: -1}})
	simSrv := httptest.NewServer(sim)
	r.closers = append(r.closers, simSrv.Close)
	portalSrv := httptest.NewUnstartedServer(nil)
	cfg := testenv.NewConfig(simSrv.URL, "http://"+portalSrv.Listener.Addr().String(), nil)
	cfg.ErpNet.RequestsPerMinute = 1 << 30
	// New Order is off by default; the benchmarks visit every page there is.
	cfg.Instances[0].IsNewOrderEnabled, cfg.Instances[0].NewOrderDocumentType = true, erpnetsim.SalesOrderTypeCode
	if err := cfg.Validate(); err != nil {
		b.Fatalf("bench: settings: %v", err)
	}
	r.Cache = cache.New(cacheConfig(cfg, r.CacheClk.Now))
	srv, err := server.NewServer(server.Deps{Config: cfg, Logger: accessLogger(), Cache: r.Cache, Now: clk.Now})
	if err != nil {
		b.Fatalf("bench: portal: %v", err)
	}
	portalSrv.Config.Handler = srv
	portalSrv.Start()
	r.closers = append(r.closers, portalSrv.Close, r.transport.CloseIdleConnections)
	r.Env = &testenv.Env{Sim: sim, SimURL: simSrv.URL, PortalURL: portalSrv.URL, Server: srv, Config: cfg}
	r.Customer = r.lookupID(b, erpnet.From(erpnet.SetCustomers).Where(erpnet.Eq("Number", erpnet.Str(erpnetsim.MainCustomerNumber))))
	return r
}

func (r *rig) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
}

// accessLogger is the production log (JSON, info level) written nowhere, so that every request
// pays for its access-log line as it does when the portal runs for real.
func accessLogger() *zap.Logger {
	ec := zap.NewProductionEncoderConfig()
	ec.EncodeTime = zapcore.ISO8601TimeEncoder
	return zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(ec), zapcore.AddSync(io.Discard), zap.InfoLevel))
}

// cacheConfig is the portal's cache as its settings describe it, on the rig's cache clock.
func cacheConfig(cfg *config.Config, now func() time.Time) cache.Config {
	t := cfg.Cache.TTL
	return cache.Config{MaxEntries: cfg.Cache.MaxEntries, MaxStale: cfg.Cache.MaxStale, Now: now,
		TTL: map[cache.Kind]time.Duration{cache.KindAccess: t.Access, cache.KindDocuments: t.Documents,
			cache.KindLists: t.Lists, cache.KindProducts: t.Reference, cache.KindCounts: t.Counts}}
}

// longestTTL is the longest time any kind of data is served from the cache.
func (r *rig) longestTTL() time.Duration {
	t := r.Config.Cache.TTL
	return max(t.Access, t.Documents, t.Lists, t.Reference, t.Counts)
}

// lookupID returns the Id of the first entity q finds, read straight from the simulator.
func (r *rig) lookupID(b *testing.B, q erpnet.Query) string {
	b.Helper()
	var out struct {
		Value []struct {
			ID string `json:"Id"`
		} `json:"value"`
	}
	r.API(b, q.Select("Id").Top(1).String(), &out)
	if len(out.Value) == 0 {
		b.Fatalf("bench: nothing matches %s", q)
	}
	return out.Value[0].ID
}

// poolLogins are the people of the main customer whose sessions the benchmarks use, round robin:
// Owner, Admin and Billing, who all open every page the portal has for a customer. The first
// sees every order (no days-back horizon); Billing sees a year back.
var poolLogins = []string{"owner@orbis.example", "admin@orbis.example", "billing@orbis.example"}

// sessionClients returns n signed-in browsers (made once, kept for the run), sharing one
// keep-alive transport. They do not follow redirects: a redirect means a session was lost.
func (r *rig) sessionClients(b *testing.B, n int) []*http.Client {
	b.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.sessions) < n {
		br, landing := r.SignIn(b, "cc", poolLogins[len(r.sessions)%len(poolLogins)])
		if landing.Status != http.StatusOK {
			b.Fatalf("bench: sign-in landed on %s", landing)
		}
		r.sessions = append(r.sessions, &http.Client{Jar: br.Client.Jar, Transport: r.transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
	}
	return r.sessions[:n]
}

// resolve fills a page path's placeholders: {order} and {invoice} become the Id of the main
// customer's latest order or invoice.
func (r *rig) resolve(b *testing.B, path string) string {
	b.Helper()
	for ph, set := range map[string]string{"{order}": erpnet.SetSalesOrders, "{invoice}": erpnet.SetInvoices} {
		if !strings.Contains(path, ph) {
			continue
		}
		r.mu.Lock()
		id, ok := r.ids[ph]
		r.mu.Unlock()
		if !ok {
			id = r.lookupID(b, erpnet.From(set).Where(erpnet.Eq("Customer", erpnet.NewRef(erpnet.SetCustomers, r.Customer))).
				OrderBy("DocumentDate", true))
			r.mu.Lock()
			r.ids[ph] = id
			r.mu.Unlock()
		}
		path = strings.ReplaceAll(path, ph, id)
	}
	return path
}

// fetch opens a page with a session and returns its status and body.
func fetch(b *testing.B, client *http.Client, target string) (int, []byte) {
	b.Helper()
	resp, err := client.Get(target)
	if err != nil {
		b.Fatalf("bench: GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatalf("bench: GET %s: %v", target, err)
	}
	return resp.StatusCode, body
}

var totalAttr = regexp.MustCompile(`data-total="(\d+)"`)

// listTotal is the "in all" count a list page shows, or "".
func listTotal(body []byte) string {
	if m := totalAttr.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}
