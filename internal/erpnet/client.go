// Package erpnet is the client of Erp.Net's Domain API (OData v4), the only way the portal talks
// to Erp.Net. It finds the instance's endpoints by auto-discovery, authenticates with the
// trusted application's client-credentials token, bounds and paces its requests as Erp.Net
// requires, builds every $filter through a typed query builder, and turns Erp.Net's answers into
// typed entities and errors.
package erpnet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sync/singleflight"
)

// Config configures a Client. Only InstanceURL, ClientID and ClientSecret are required.
type Config struct {
	// InstanceURL is the Erp.Net instance, e.g. "https://acme.my.erp.net".
	InstanceURL string
	// ClientID and ClientSecret are the trusted application's credentials.
	ClientID, ClientSecret string
	// Scopes asked with the token; default ["read", "update"]. Erp.Net documents the legacy
	// "DomainApi" as obsolete: add it only for an old server that refuses the others.
	Scopes []string
	// MaxConcurrent bounds the requests in flight toward Erp.Net; default 1, because Erp.Net
	// runs one request of a session (one access token) at a time and queues at most five more.
	MaxConcurrent int
	// RequestsPerMinute paces the requests toward Erp.Net, which refuses a session more than 600
	// in a minute; default 600.
	RequestsPerMinute int
	// Timeout bounds each call (waiting for a slot, retries and paging step included) unless the
	// caller's context ends sooner; default 15s.
	Timeout time.Duration
	// MaxRetries bounds the retries of a call answered 429 or 503; default 3, negative for none.
	MaxRetries int
	// MaxPages bounds how many @odata.nextLink pages ListAll follows; default 50.
	MaxPages int
	// HTTPClient sends the requests; default a new http.Client (deadlines come from contexts).
	HTTPClient *http.Client
	// Logger receives a debug line per request and warnings; default none.
	Logger *zap.Logger
	// Now is the clock, used for token expiry and Retry-After dates; default time.Now.
	Now func() time.Time
	// Gate, when set, holds every request to the Domain API to the portal's share of the Erp.Net
	// instance's concurrent requests across all its replicas (see package shared); the session's
	// own limits above still hold per replica.
	Gate Gate
}

// Gate holds one of the requests the portal may have running on the Erp.Net instance at once.
type Gate interface {
	// Acquire waits for a slot, a bulk call behind every waiting page view and a page view in
	// turn with those of other fair keys (customers), and returns its release; it fails only
	// when ctx ends.
	Acquire(ctx context.Context, bulk bool, fairKey string) (release func(), err error)
}

// Defaults for Config.
const (
	DefaultMaxConcurrent     = 1
	DefaultRequestsPerMinute = 600
	DefaultTimeout           = 15 * time.Second
	DefaultMaxRetries        = 3
	DefaultMaxPages          = 50
)

// withDefaults fills the zero fields of cfg.
func (cfg Config) withDefaults() Config {
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{"read", "update"}
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.RequestsPerMinute <= 0 {
		cfg.RequestsPerMinute = DefaultRequestsPerMinute
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	} else if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.InstanceURL = strings.TrimRight(cfg.InstanceURL, "/")
	return cfg
}

// Client is a client of one Erp.Net instance's Domain API. It is safe for concurrent use.
type Client struct {
	cfg   Config
	log   *zap.Logger
	slots *limiter
	pace  *pace
	// txSlot holds the one transaction Erp.Net allows a session to have open.
	txSlot chan struct{}

	// discovery state: found once, then fixed.
	discoverMu chan struct{} // a one-slot lock that waiters can abandon
	endpoints  struct {
		sync.RWMutex
		authority, odataRoot, tokenURL string
	}

	// token cache.
	tokenMu     sync.Mutex
	token       *cachedToken
	tokenFlight singleflight.Group

	// sleep waits between retries; tests replace it to observe waits without taking them.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewClient validates cfg and returns a client of the instance.
//
// It tries auto-discovery at once with ctx. When the instance cannot be reached (network error,
// timeout, 502/503/504) the client is still returned: discovery is retried on the next call, so
// the portal starts, and shows "Erp.Net is not reachable", while Erp.Net is down. An instance that
// answers but does not describe a working Domain API is a configuration error and fails here.
func NewClient(ctx context.Context, cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	u, err := url.Parse(cfg.InstanceURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("erpnet: instance URL %q is not an http(s) URL", cfg.InstanceURL)
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("erpnet: client id and client secret are required")
	}
	c := &Client{
		cfg:        cfg,
		log:        cfg.Logger,
		slots:      newLimiter(cfg.MaxConcurrent),
		pace:       newPace(cfg.RequestsPerMinute),
		txSlot:     make(chan struct{}, 1),
		discoverMu: make(chan struct{}, 1),
		sleep:      sleepCtx,
	}
	if err := c.Discover(ctx); err != nil {
		if !IsUnavailable(err) {
			return nil, err
		}
		c.log.Warn("erpnet: instance not reachable, discovery deferred to the first call",
			zap.String("instance", cfg.InstanceURL), zap.Error(err))
	}
	return c, nil
}

// Authority is the instance's identity server (the OAuth2/OIDC issuer, "{instance}/id"), or ""
// while discovery has not succeeded yet (see Discover).
func (c *Client) Authority() string {
	c.endpoints.RLock()
	defer c.endpoints.RUnlock()
	return c.endpoints.authority
}

// ODataRoot is the Domain API service root, ending in a slash, or "" before discovery.
func (c *Client) ODataRoot() string {
	c.endpoints.RLock()
	defer c.endpoints.RUnlock()
	return c.endpoints.odataRoot
}

// InstanceURL is the configured instance URL without a trailing slash.
func (c *Client) InstanceURL() string { return c.cfg.InstanceURL }

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
