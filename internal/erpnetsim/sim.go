// Package erpnetsim is a faithful fake of one Erp.Net instance, served as an http.Handler:
// auto-discovery, the identity server at /id, the Domain API (OData v4) at /api/domain/odata/,
// Erp.Net's error shape, deterministic seed data and knobs for faults. Tests, the demo and the
// benchmarks point the portal at it exactly as they would at a real instance.
//
// The package is split by responsibility: sim.go (wiring), identity.go (OIDC/OAuth2),
// discovery.go, faults.go (knobs and counters), session_limits.go (Erp.Net's request limits),
// transactions*.go (front-end transactions), errorshape.go, schema.go (entity sets), store.go
// (entities), seed.go (demo data), odata_*.go (the query engine and writes), pdf.go (printouts).
package erpnetsim

import (
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Demo credentials, fixed so the README and the tests can name them. They are demo-only.
const (
	DemoClientID     = "cc-demo"
	DemoClientSecret = "cc-demo-secret"
	DemoPassword     = "demo"
)

// Options configure a simulated instance. The zero value is a usable demo instance.
type Options struct {
	// BaseURL is the instance URL as clients see it (e.g. "http://127.0.0.1:8090"). When empty it
	// is derived from each request's Host, which suits httptest servers.
	BaseURL string
	// ClientID and ClientSecret are the trusted application's credentials.
	ClientID, ClientSecret string
	// Password is the password of every seeded user.
	Password string
	// Scale multiplies the main customer's document count (1 = demo size, 0 means 1).
	Scale int
	// Now is the clock; seed dates are laid out relative to it. Default time.Now.
	Now func() time.Time
	// TokenLifetime of access tokens (default one hour, as Erp.Net).
	TokenLifetime time.Duration
	// Faults are the initial fault knobs.
	Faults Faults
	// Limits are the per-session and instance-wide request limits; the zero value is Erp.Net's
	// documented defaults.
	Limits Limits
}

// Sim is one simulated Erp.Net instance.
type Sim struct {
	opts  Options
	store *store
	id    *identity
	flt   *faultState

	mux *http.ServeMux
	txs *transactions
	// tx is the transaction a view made by within serves; nil on the instance itself.
	tx *transaction
	// writes counts Domain API requests that may change data (all but reads and GetPrintout).
	writes atomic.Int64
}

// WriteCalls counts the Domain API requests that could change data: POST (but GetPrintout),
// PATCH and DELETE. Tests use it to prove that a page view changed nothing.
func (s *Sim) WriteCalls() int64 { return s.writes.Load() }

// New builds a simulated instance with its seed data.
func New(opts Options) *Sim {
	if opts.ClientID == "" {
		opts.ClientID = DemoClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DemoClientSecret
	}
	if opts.Password == "" {
		opts.Password = DemoPassword
	}
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = time.Hour
	}
	s := &Sim{opts: opts}
	s.store = newStore()
	seed(s.store, opts.Now(), opts.Scale)
	s.id = newIdentity(s)
	s.flt = newFaultState(opts.Faults, opts.Limits, opts.Now)
	s.txs = newTransactions()
	s.mux = http.NewServeMux()
	s.routes()
	return s
}

// routes registers every endpoint of the instance.
func (s *Sim) routes() {
	// Auto-discovery: current and older path.
	s.mux.HandleFunc("GET /sys/auto-discovery", s.autoDiscovery)
	s.mux.HandleFunc("GET /tools/auto-discovery", s.autoDiscovery)
	// Identity server.
	s.id.register(s.mux)
	// Domain API; a request with a TransactionId header is served inside that transaction.
	s.mux.Handle("POST /api/domain/odata/BeginTransaction", s.requireToken(http.HandlerFunc(s.beginTransaction)))
	s.mux.Handle("POST /api/domain/odata/EndTransaction", s.requireToken(http.HandlerFunc(s.endTransaction)))
	s.mux.Handle("/api/domain/odata/", s.requireToken(http.HandlerFunc(s.serveODataIn)))
	// Knobs, loopback only.
	s.mux.HandleFunc("/_sim/", s.serveControl)
}

// ServeHTTP serves the instance, passing every request through the fault knobs first.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.mux.ServeHTTP(w, r)
		return
	}
	s.flt.serve(w, r, s.mux)
}

// baseURL is the instance URL for this request, without a trailing slash.
func (s *Sim) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return strings.TrimRight(s.opts.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// odataRoot is the Domain API service root for this request, with a trailing slash.
func (s *Sim) odataRoot(r *http.Request) string { return s.baseURL(r) + "/api/domain/odata/" }
