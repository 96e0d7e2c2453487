// Package server is the portal's HTTP side: the Gin engine, middleware, sessions, sign-in and
// one handler file per page or action, for every configured Client Center.
package server

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// Deps are what the portal handler needs from the process. ERP and Cache are built from the
// settings when not given; Now defaults to time.Now.
type Deps struct {
	Config *config.Config
	Logger *zap.Logger
	ERP    *erpnet.Client
	Cache  *cache.Cache
	Now    func() time.Time
	// Revocations holds ended sessions; default in memory, for one process.
	Revocations Revocations
	// Process holds what outlives a settings reload (client, cache, revocations, metrics);
	// built from Config when nil, with ERP, Cache and Revocations used where given.
	Process *Process
	// Version is the release /readyz reports to the operators (customers' pages do not show
	// it); "dev" when empty.
	Version string
}

// Server is the portal handler with everything its handlers use.
type Server struct {
	cfg       *config.Config
	log       *zap.Logger
	erp       *erpnet.Client
	cache     *cache.Cache
	now       func() time.Time
	cookies   *cookies
	instances []*instance
	byPath    map[string]*instance
	secure    bool
	publicURL string
	version   string
	orderKey  []byte // signs New Order ids
	assets    string // the content hash of the static files
	handler   http.Handler
	engine    *gin.Engine

	oidcOnce sync.Mutex
	oidc     *oidcClient
	metrics  *metrics
	health   *erpHealth
	// revocations are the sessions ended before their time, checked on every request.
	revocations Revocations
	process     *Process
	// users finds the people who sign in, for every Client Center at once.
	users *portal.Directory
	// exports lets each session run one ZIP or CSV export at a time (see startExport).
	exports erpnet.ExportGate
}

// instance is one Client Center as served: its settings and its portal service.
type instance struct {
	cfg   config.Instance
	base  string // "/cc"
	svc   *portal.Service
	lists lists
	brand brand
	// pages are the pages kept to be served again (see keepPages).
	pages *pageCache
	// secure marks the cookies of the instance's own (a list's order) Secure, as the session's.
	secure bool
	// swept is when abandoned New Order drafts were last looked for (UnixNano; see sweepDrafts).
	swept atomic.Int64
}

// lists are an instance's list pages, made once with its links.
type lists struct {
	orders   *listSpec[portal.OrderRow]
	invoices *listSpec[portal.InvoiceRow]
	due      *listSpec[portal.DuePayment]
	payments *listSpec[portal.PaymentRow]
}

func newLists(base string) lists {
	return lists{orders: ordersList(base), invoices: invoicesList(base), due: duePaymentsList(base), payments: paymentsList(base)}
}

// NewServer builds the portal with its routes; Server is an http.Handler.
func NewServer(deps Deps) (*Server, error) {
	if deps.Config == nil || deps.Logger == nil {
		return nil, errors.New("server: Config and Logger are required")
	}
	cfg := deps.Config
	s := &Server{cfg: cfg, log: deps.Logger, now: deps.Now, version: cmp.Or(deps.Version, "dev"),
		publicURL: strings.TrimRight(cfg.PublicURL, "/"), byPath: map[string]*instance{}}
	if s.now == nil {
		s.now = time.Now
	}
	proc := deps.Process
	if proc == nil {
		proc = &Process{ERP: deps.ERP, Cache: deps.Cache, Revocations: deps.Revocations, erpnetCfg: cfg.ErpNet, cacheCfg: cfg.Cache}
		var err error
		if proc, err = proc.Next(cfg, deps.Logger, s.now); err != nil {
			return nil, err
		}
	}
	s.process, s.erp, s.cache, s.revocations, s.metrics, s.health = proc, proc.ERP, proc.Cache, proc.Revocations, proc.metrics, proc.health
	if s.publicURL == "" {
		s.publicURL = "http://" + cfg.Listen
	}
	s.secure = strings.HasPrefix(s.publicURL, "https://")
	hash, block, err := cfg.Session.Keys()
	if err != nil {
		return nil, fmt.Errorf("server: session keys: %w", err)
	}
	s.orderKey = orderIDKey(hash)
	s.cookies = newCookies(hash, block, s.secure, cfg.Session.Remember, cfg.Session.IdleTimeout, cfg.Session.AbsoluteTimeout, s.now)
	s.users = portal.NewDirectory(portal.Deps{ERP: s.erp, Cache: s.cache, Now: s.now, Logger: deps.Logger})
	for _, ic := range cfg.Instances {
		b, err := newBrand(ic)
		if err != nil {
			return nil, err
		}
		in := &instance{cfg: ic, base: "/" + ic.RelativeURL, lists: newLists("/" + ic.RelativeURL), brand: b, pages: newPageCache(), secure: s.secure}
		in.svc = portal.New(portal.Deps{Instance: ic, ERP: s.erp, Cache: s.cache, Now: s.now, Logger: deps.Logger, Locks: s.sharedLocks()})
		s.instances = append(s.instances, in)
		s.byPath[ic.RelativeURL] = in
	}
	static, _ := fs.Sub(web.FS, "static")
	s.assets = assetsHash(static)
	s.handler = s.routes()
	return s, nil
}

// Route is one registered route, for tests that walk every route.
type Route struct{ Method, Path string }

// Routes lists every route the portal registered.
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.engine.Routes() {
		out = append(out, Route{Method: r.Method, Path: r.Path})
	}
	return out
}

// ServeHTTP serves the portal.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// gate lets the request through when the role has capability c and the optional feature check
// passes. A disabled feature is 404 for everybody; a role too low is 403. Neither says whether a
// document exists.
func (s *Server) gate(c access.Capability, enabled func(*instance) bool) gin.HandlerFunc {
	return func(ctx *gin.Context) {
		if enabled != nil && !enabled(instanceOf(ctx)) {
			s.fail(ctx, errNotFound)
			return
		}
		vw := viewerOf(ctx)
		if vw == nil || vw.Current == nil || !vw.Current.Role.Can(c) {
			s.fail(ctx, errForbidden)
			return
		}
		ctx.Next()
	}
}

// healthz handles "GET /healthz": the process is up.
func (s *Server) healthz(c *gin.Context) { c.String(http.StatusOK, "ok") }

// showIndex handles "GET /": the only Client Center, or a list of them.
func (s *Server) showIndex(c *gin.Context) {
	if len(s.instances) == 1 {
		c.Redirect(http.StatusFound, s.instances[0].base+"/")
		return
	}
	var list []web.Instance
	for _, in := range s.instances {
		list = append(list, web.Instance{Name: in.cfg.Name, Title: in.cfg.Title, Base: in.base})
	}
	s.show(c, http.StatusOK, web.Index(s.page(c, "Client Centers"), list))
}

func cacheConfig(cfg *config.Config, now func() time.Time) cache.Config {
	t := cfg.Cache.TTL
	return cache.Config{MaxEntries: cfg.Cache.MaxEntries, MaxStale: cfg.Cache.MaxStale, Now: now,
		TTL: map[cache.Kind]time.Duration{cache.KindAccess: t.Access, cache.KindDocuments: t.Documents,
			cache.KindLists: t.Lists, cache.KindProducts: t.Reference, cache.KindCounts: t.Counts}}
}
