package testenv

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/server"
)

// Upstream counts what the portals of a test asked the simulator's Domain API: the requests by
// entity set and how many ran at once at most.
type Upstream struct {
	mu       sync.Mutex
	bySet    map[string]int
	inFlight atomic.Int64
	maxSeen  atomic.Int64
}

// Calls is the number of Domain API requests to an entity set (its name as in the URL) so far.
func (u *Upstream) Calls(set string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.bySet[set]
}

// MaxInFlight is the most Domain API requests that ran at once, from every portal together.
func (u *Upstream) MaxInFlight() int { return int(u.maxSeen.Load()) }

func (u *Upstream) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/api/domain/odata/")
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		set, _, _ := strings.Cut(rest, "/")
		set, _, _ = strings.Cut(set, "(")
		u.mu.Lock()
		u.bySet[set]++
		u.mu.Unlock()
		n := u.inFlight.Add(1)
		for {
			m := u.maxSeen.Load()
			if n <= m || u.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
		defer u.inFlight.Add(-1)
		h.ServeHTTP(w, r)
	})
}

// NewReplicas starts one simulator and n portals sharing the Redis at redisURL, as replicas of one
// deployment behind a load balancer: the same settings and session keys, and the first one's URL
// as the public URL everyone signs in through. Each has its own Erp.Net session and cache.
func NewReplicas(t testing.TB, n int, redisURL string, opts Options) ([]*Env, *Upstream) {
	t.Helper()
	sim := erpnetsim.New(erpnetsim.Options{Now: opts.Now, Scale: opts.Scale, Version: opts.ERPVersion})
	up := &Upstream{bySet: map[string]int{}}
	simSrv := httptest.NewServer(up.wrap(sim))
	t.Cleanup(simSrv.Close)
	handlers := make([]http.Handler, n)
	urls := make([]string, n)
	for i := range n {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handlers[i].ServeHTTP(w, r) }))
		t.Cleanup(srv.Close)
		urls[i] = srv.URL
	}
	base := NewConfig(simSrv.URL, urls[0], opts.Instances)
	base.Cache.Redis.URL = config.Secret(redisURL)
	// A test machine running many tests under the race detector is slow: a Redis taking longer
	// than the production default to answer must not count as down there.
	base.Cache.Redis.Timeout = 2 * time.Second
	if opts.Configure != nil {
		opts.Configure(base)
	}
	if err := base.Validate(); err != nil {
		t.Fatalf("testenv: settings: %v", err)
	}
	envs := make([]*Env, n)
	for i := range n {
		cfg := *base
		srv, err := server.NewServer(server.Deps{Config: &cfg, Logger: zap.NewNop(), Now: opts.Now, Version: Version})
		if err != nil {
			t.Fatalf("testenv: replica %d: %v", i, err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		handlers[i] = srv
		envs[i] = &Env{Sim: sim, SimURL: simSrv.URL, PortalURL: urls[i], Server: srv, Config: &cfg, transport: http.DefaultTransport}
	}
	return envs, up
}

// On is a browser with the same cookies (the same person, signed in once) that sends its
// requests to another replica, as a load balancer without sticky sessions would.
func (b *Browser) On(e *Env) *Browser {
	return &Browser{t: b.t, env: e, Client: b.Client}
}

// CopyCookies is a new browser on e holding the cookies b has now: the same session, kept after
// b signs out.
func (b *Browser) CopyCookies(e *Env) *Browser {
	jar, _ := cookiejar.New(nil)
	for _, u := range []string{b.env.PortalURL, e.PortalURL} {
		pu, _ := url.Parse(u)
		jar.SetCookies(pu, b.Client.Jar.Cookies(pu))
	}
	return &Browser{t: b.t, env: e, Client: &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: b.Client.Transport}}
}
