package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/shared"
)

// Process is what outlives a settings reload: the Erp.Net client (its token, its session and the
// limiter toward Erp.Net), the cache, the ended sessions, Erp.Net's health and the metrics. A
// reload builds a new Server on the same Process (see Next), so the cache is not emptied, the
// counters not reset, two limiters never share the session, and a signed-out session stays ended.
type Process struct {
	erpnetCfg   config.ErpNet
	cacheCfg    config.Cache
	ERP         *erpnet.Client
	Cache       *cache.Cache
	Revocations Revocations
	// Shared is the store the replicas share (cache.redis), nil without one.
	Shared     *shared.Store
	memoryRevs *memoryRevocations
	metrics    *metrics
	health     *erpHealth
	now        func() time.Time
	log        *zap.Logger
}

// NewProcess builds the parts of the portal that live as long as the process.
func NewProcess(cfg *config.Config, log *zap.Logger, now func() time.Time) (*Process, error) {
	return (*Process)(nil).Next(cfg, log, now)
}

// Next is the Process for settings cfg: p's parts where their settings did not change, new ones
// where they did (a new Erp.Net client when erpnet.* changed, a new cache when cache.* did). The
// ended sessions and the metrics are always kept. p may be nil.
func (p *Process) Next(cfg *config.Config, log *zap.Logger, now func() time.Time) (*Process, error) {
	if now == nil {
		now = time.Now
	}
	n := &Process{erpnetCfg: cfg.ErpNet, cacheCfg: cfg.Cache, now: now, log: log}
	if p != nil {
		n.memoryRevs, n.metrics, n.health = p.memoryRevs, p.metrics, p.health
		if p.cacheCfg.Redis == cfg.Cache.Redis && p.erpnetCfg.InstanceURL == cfg.ErpNet.InstanceURL {
			n.Shared = p.Shared
		}
		if reflect.DeepEqual(p.erpnetCfg, cfg.ErpNet) && n.Shared == p.Shared {
			n.ERP = p.ERP
		}
		// The cache holds one Erp.Net's data: another instance starts with an empty one.
		if reflect.DeepEqual(p.cacheCfg, cfg.Cache) && p.erpnetCfg.InstanceURL == cfg.ErpNet.InstanceURL {
			n.Cache = p.Cache
		}
	}
	if n.Shared == nil && cfg.Cache.Redis.URL.IsSet() {
		// Every key names the Erp.Net instance too: portals of two instances sharing a Redis,
		// or one moved to another instance, never read each other's data.
		st, err := shared.Open(shared.Config{URL: cfg.Cache.Redis.URL.Value(), Prefix: cfg.Cache.Redis.Prefix + instanceTag(cfg) + ":",
			Timeout: cfg.Cache.Redis.Timeout, Logger: log.Named("shared")})
		if err != nil {
			return nil, fmt.Errorf("server: cache.redis.url: %w", err)
		}
		n.Shared = st
	}
	if n.memoryRevs == nil {
		n.memoryRevs = newMemoryRevocations(now)
	}
	n.Revocations = n.memoryRevs
	if n.Shared != nil {
		n.Revocations = &sharedRevocations{local: n.memoryRevs, store: n.Shared, now: now}
	}
	if n.health == nil {
		n.health = &erpHealth{now: now, log: log}
	}
	if n.metrics == nil {
		n.metrics = newMetrics(func() cache.Stats { return n.current().Cache.Stats() }, n.health.upValue)
	}
	n.metrics.process.Store(n)
	if n.Cache == nil {
		cc := cacheConfig(cfg, now)
		if n.Shared != nil {
			cc.Shared = n.Shared
		}
		n.Cache = cache.New(cc)
	}
	if n.ERP == nil {
		// The session's own limit, and within it the instance's: one process alone holds both
		// itself; replicas hold the instance's together through the shared store's semaphore.
		ec := erpnet.Config{InstanceURL: cfg.ErpNet.InstanceURL,
			ClientID: cfg.ErpNet.ClientID, ClientSecret: cfg.ErpNet.ClientSecret.Value(), Scopes: cfg.ErpNet.Scopes,
			MaxConcurrent: min(cfg.ErpNet.MaxConcurrent, cfg.ErpNet.InstanceConcurrency), RequestsPerMinute: cfg.ErpNet.RequestsPerMinute,
			Timeout: cfg.ErpNet.Timeout, MaxRetries: cfg.ErpNet.MaxRetries,
			Logger: log.Named("erpnet"), HTTPClient: &http.Client{Transport: n.metrics.transport(http.DefaultTransport)}}
		if n.Shared != nil {
			ec.Gate = n.Shared.Semaphore("erpnet", cfg.ErpNet.InstanceConcurrency, cfg.ErpNet.Timeout+10*time.Second)
		}
		var err error
		n.ERP, err = erpnet.NewClient(context.Background(), ec)
		if err != nil {
			if n.Shared != nil && (p == nil || n.Shared != p.Shared) {
				_ = n.Shared.Close()
			}
			return nil, fmt.Errorf("server: %w", err)
		}
	}
	erp := n.ERP
	n.health.setCheck(func(ctx context.Context) (string, error) { return erp.GetVersion(ctx) })
	// The store of settings no longer in force is closed once their successor stands.
	if p != nil && p.Shared != nil && p.Shared != n.Shared {
		_ = p.Shared.Close()
	}
	return n, nil
}

// instanceTag names the Erp.Net instance in the shared store's keys.
func instanceTag(cfg *config.Config) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimRight(cfg.ErpNet.InstanceURL, "/"))))
	return hex.EncodeToString(sum[:6])
}

// current is the newest Process sharing these metrics, for the gauges that read the cache.
func (p *Process) current() *Process { return p.metrics.process.Load() }

// processRef is the newest Process, read by the metrics of every Process that shares them.
type processRef = atomic.Pointer[Process]

// Close stops what the Server's process runs in the background: the shared store's watch.
func (s *Server) Close() error {
	if s.process != nil && s.process.Shared != nil {
		return s.process.Shared.Close()
	}
	return nil
}
