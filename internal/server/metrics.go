package server

import (
	"crypto/subtle"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/clientcenter/clientcenter/internal/cache"
)

// metrics are the portal's Prometheus metrics, on a registry of its own (not the global one),
// so every Server, in tests too, counts only itself.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	upstream *prometheus.CounterVec
	upLat    *prometheus.HistogramVec
	signIns  prometheus.Counter
	signOuts prometheus.Counter
	// process is the newest Process these metrics count for: they outlive settings reloads.
	process processRef
}

func newMetrics(stats func() cache.Stats, erpUp func() float64) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "clientcenter_http_requests_total",
			Help: "HTTP requests served, by route and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "clientcenter_http_request_duration_seconds",
			Help: "Time to serve a request, by route.", Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route"}),
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "clientcenter_erpnet_requests_total",
			Help: "Requests sent to Erp.Net, by status (\"error\" when no answer came)."}, []string{"status"}),
		upLat: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "clientcenter_erpnet_request_duration_seconds",
			Help: "Time Erp.Net took to answer.", Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 15}}, []string{"status"}),
		signIns:  prometheus.NewCounter(prometheus.CounterOpts{Name: "clientcenter_signins_total", Help: "Completed sign-ins."}),
		signOuts: prometheus.NewCounter(prometheus.CounterOpts{Name: "clientcenter_signouts_total", Help: "Sign-outs."}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.upstream, m.upLat, m.signIns, m.signOuts,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cacheCounter := func(name, help string, read func(cache.Stats) uint64) {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "clientcenter_cache_" + name + "_total", Help: help},
			func() float64 { return float64(read(stats())) }))
	}
	cacheCounter("hits", "Reads served fresh from the cache.", func(s cache.Stats) uint64 { return s.Hits })
	cacheCounter("misses", "Reads that had to wait for Erp.Net.", func(s cache.Stats) uint64 { return s.Misses })
	cacheCounter("stale", "Stale values served while Erp.Net failed.", func(s cache.Stats) uint64 { return s.StaleServed })
	cacheCounter("evictions", "Entries dropped to stay within the cap.", func(s cache.Stats) uint64 { return s.Evictions })
	cacheCounter("fetches", "Fetches made from Erp.Net.", func(s cache.Stats) uint64 { return s.UpstreamCalls })
	cacheCounter("fetch_failures", "Fetches from Erp.Net that failed.", func(s cache.Stats) uint64 { return s.UpstreamFails })
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "clientcenter_erpnet_up",
		Help: "1 when the last health check (made at most every 10 s, on /readyz) found Erp.Net answering."}, erpUp))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "clientcenter_cache_entries", Help: "Entries held in the cache."},
		func() float64 { return float64(stats().Entries) }))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "clientcenter_redis_up",
		Help: "1 while the store the replicas share (cache.redis) answers, 0 while it does not (each replica then works alone); NaN without one."},
		func() float64 {
			p := m.process.Load()
			switch {
			case p == nil || p.Shared == nil:
				return math.NaN()
			case p.Shared.Up():
				return 1
			}
			return 0
		}))
	return m
}

// observe counts every request by its route pattern (never the raw path: ids would explode the labels).
func (m *metrics) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
}

// transport counts and times every request to Erp.Net.
func (m *metrics) transport(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		start := time.Now()
		resp, err := next.RoundTrip(r)
		status := "error"
		if err == nil {
			status = strconv.Itoa(resp.StatusCode)
		}
		m.upstream.WithLabelValues(status).Inc()
		m.upLat.WithLabelValues(status).Observe(time.Since(start).Seconds())
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// showMetrics handles "GET /metrics": Prometheus text, behind the bearer token. With no token set
// it refuses everyone, unless the settings allow anonymous reads.
func (s *Server) showMetrics() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	token := s.cfg.Metrics.Token.Value()
	open := token == "" && s.cfg.Metrics.AllowAnonymous
	return func(c *gin.Context) {
		if token == "" && !open {
			c.String(http.StatusForbidden, "metrics need a token: set metrics.token (or CLIENTCENTER_METRICS_TOKEN)")
			return
		}
		if !open && subtle.ConstantTimeCompare([]byte(c.GetHeader("Authorization")), []byte("Bearer "+token)) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
			c.String(http.StatusUnauthorized, "unauthorized")
			return
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}
