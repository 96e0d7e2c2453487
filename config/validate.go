package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SupportedLanguages are the languages an instance may name for its data.
var SupportedLanguages = []string{"en", "bg"}

// KnownScopes are the scopes Erp.Net's identity server grants a trusted application.
var KnownScopes = []string{"read", "update", "DomainApi", "openid", "profile", "offline_access"}

// reservedPaths are top-level paths the portal serves itself, so no instance may take them.
var reservedPaths = []string{"healthz", "readyz", "metrics", "static", "auth"}

// IsReservedPath reports whether segment is a top-level path no instance may use.
func IsReservedPath(segment string) bool { return slices.Contains(reservedPaths, segment) }

var relativeURLPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Validate checks every setting and returns all problems at once as Problems, or nil.
func (c *Config) Validate() error { return c.validate().err() }

func (c *Config) validate() Problems {
	var ps Problems
	c.validateServer(&ps)
	c.validateErpNet(&ps)
	c.validateCache(&ps)
	if len(c.Instances) == 0 {
		ps.add("instances", "at least one instance is required")
	}
	for i := range c.Instances {
		c.validateInstance(&ps, i)
	}
	return ps
}

func (c *Config) validateServer(ps *Problems) {
	if _, port, err := net.SplitHostPort(c.Listen); err != nil {
		ps.add("listen", "%q is not host:port (e.g. 127.0.0.1:8080)", c.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		ps.add("listen", "port %q is not a number from 0 to 65535", port)
	}
	checkURL(ps, "public_url", c.PublicURL)

	hash, hashErr := DecodeKey(c.Session.HashKey.Value())
	if hashErr != nil {
		ps.add("session.hash_key", "%v", hashErr)
	}
	block, blockErr := DecodeKey(c.Session.BlockKey.Value())
	if blockErr != nil {
		ps.add("session.block_key", "%v", blockErr)
	}
	if hashErr == nil && blockErr == nil && string(hash) == string(block) {
		ps.add("session.block_key", "must differ from session.hash_key")
	}
	positive(ps, "session.idle_timeout", c.Session.IdleTimeout)
	positive(ps, "session.absolute_timeout", c.Session.AbsoluteTimeout)
	if c.Session.IdleTimeout > c.Session.AbsoluteTimeout && c.Session.AbsoluteTimeout > 0 {
		ps.add("session.idle_timeout", "%s is longer than session.absolute_timeout (%s)",
			FormatDuration(c.Session.IdleTimeout), FormatDuration(c.Session.AbsoluteTimeout))
	}

	oneOf(ps, "log.level", c.Log.Level, "debug", "info", "warn", "error")
	oneOf(ps, "log.format", c.Log.Format, "json", "console")
}

func (c *Config) validateErpNet(ps *Problems) {
	e := c.ErpNet
	checkURL(ps, "erpnet.instance_url", e.InstanceURL)
	if e.ClientID == "" {
		ps.add("erpnet.client_id", "is required (the trusted application's ApplicationUri)")
	}
	if !e.ClientSecret.IsSet() {
		ps.add("erpnet.client_secret", "is required")
	}
	for i, s := range e.Scopes {
		if !slices.Contains(KnownScopes, s) {
			ps.add(fmt.Sprintf("erpnet.scopes[%d]", i), "%q is not one of %v", s, KnownScopes)
		}
	}
	if !slices.Contains(e.Scopes, "read") {
		ps.add("erpnet.scopes", "must include read")
	}
	if e.MaxConcurrent < 1 {
		ps.add("erpnet.max_concurrent", "must be at least 1, got %d", e.MaxConcurrent)
	}
	if e.RequestsPerMinute < 1 {
		ps.add("erpnet.requests_per_minute", "must be at least 1, got %d", e.RequestsPerMinute)
	}
	// Erp.Net runs two requests at once for the whole instance, whatever the sessions.
	if e.InstanceConcurrency < 1 || e.InstanceConcurrency > 2 {
		ps.add("erpnet.instance_concurrency", "must be 1 or 2 (Erp.Net runs two requests at once for the whole instance), got %d", e.InstanceConcurrency)
	}
	positive(ps, "erpnet.timeout", e.Timeout)
	if e.MaxRetries < 0 {
		ps.add("erpnet.max_retries", "must not be negative, got %d", e.MaxRetries)
	}
}

func (c *Config) validateCache(ps *Problems) {
	t := c.Cache.TTL
	positive(ps, "cache.ttl.access", t.Access)
	positive(ps, "cache.ttl.documents", t.Documents)
	positive(ps, "cache.ttl.lists", t.Lists)
	positive(ps, "cache.ttl.reference", t.Reference)
	positive(ps, "cache.ttl.counts", t.Counts)
	if c.Cache.MaxStale < 0 {
		ps.add("cache.max_stale", "must not be negative, got %s", FormatDuration(c.Cache.MaxStale))
	}
	// Access is who may see what: kept past its TTL for minutes of an outage, never for hours.
	if g := c.Cache.AccessGrace; g < 0 || g > time.Hour {
		ps.add("cache.access_grace", "must be from 0 to 1h, got %s", FormatDuration(g))
	}
	if c.Cache.MaxEntries < 1 {
		ps.add("cache.max_entries", "must be at least 1, got %d", c.Cache.MaxEntries)
	}
	if u := c.Cache.Redis.URL.Value(); u != "" && !strings.HasPrefix(u, "redis://") && !strings.HasPrefix(u, "rediss://") && !strings.HasPrefix(u, "unix://") {
		ps.add("cache.redis.url", "must start with redis://, rediss:// or unix://")
	}
	positive(ps, "cache.redis.timeout", c.Cache.Redis.Timeout)
}

// checkURL requires an absolute http or https URL without query or fragment.
func checkURL(ps *Problems, key, raw string) {
	if raw == "" {
		ps.add(key, "is required (an absolute http or https URL)")
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		ps.add(key, "%q is not a URL", raw)
	case u.User != nil:
		// Checked first so that the messages below never echo a password.
		ps.add(key, "must not contain a user name or password")
	case u.Scheme != "http" && u.Scheme != "https":
		ps.add(key, "%q must start with http:// or https://", raw)
	case u.Host == "":
		ps.add(key, "%q has no host", raw)
	case u.RawQuery != "" || u.Fragment != "":
		ps.add(key, "%q must not have a query or fragment", raw)
	}
}

func positive(ps *Problems, key string, d time.Duration) {
	if d <= 0 {
		ps.add(key, "must be longer than 0, got %s", FormatDuration(d))
	}
}

func oneOf(ps *Problems, key, got string, allowed ...string) {
	if !slices.Contains(allowed, got) {
		ps.add(key, "%q is not one of %v", got, allowed)
	}
}
