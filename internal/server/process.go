package server

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
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
	metrics     *metrics
	health      *erpHealth
	now         func() time.Time
	log         *zap.Logger
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
		n.Revocations, n.metrics, n.health = p.Revocations, p.metrics, p.health
		if reflect.DeepEqual(p.erpnetCfg, cfg.ErpNet) {
			n.ERP = p.ERP
		}
		// The cache holds one Erp.Net's data: another instance starts with an empty one.
		if reflect.DeepEqual(p.cacheCfg, cfg.Cache) && p.erpnetCfg.InstanceURL == cfg.ErpNet.InstanceURL {
			n.Cache = p.Cache
		}
	}
	if n.Revocations == nil {
		n.Revocations = newMemoryRevocations(now)
	}
	if n.health == nil {
		n.health = &erpHealth{now: now, log: log}
	}
	if n.metrics == nil {
		n.metrics = newMetrics(func() cache.Stats { return n.current().Cache.Stats() }, n.health.upValue)
	}
	n.metrics.process.Store(n)
	if n.Cache == nil {
		n.Cache = cache.New(cacheConfig(cfg, now))
	}
	if n.ERP == nil {
		var err error
		n.ERP, err = erpnet.NewClient(context.Background(), erpnet.Config{InstanceURL: cfg.ErpNet.InstanceURL,
			ClientID: cfg.ErpNet.ClientID, ClientSecret: cfg.ErpNet.ClientSecret.Value(), Scopes: cfg.ErpNet.Scopes,
			MaxConcurrent: cfg.ErpNet.MaxConcurrent, RequestsPerMinute: cfg.ErpNet.RequestsPerMinute,
			Timeout: cfg.ErpNet.Timeout, MaxRetries: cfg.ErpNet.MaxRetries,
			Logger: log.Named("erpnet"), HTTPClient: &http.Client{Transport: n.metrics.transport(http.DefaultTransport)}})
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
	}
	erp := n.ERP
	n.health.setCheck(func(ctx context.Context) (string, error) { return erp.GetVersion(ctx) })
	return n, nil
}

// current is the newest Process sharing these metrics, for the gauges that read the cache.
func (p *Process) current() *Process { return p.metrics.process.Load() }

// processRef is the newest Process, read by the metrics of every Process that shares them.
type processRef = atomic.Pointer[Process]
