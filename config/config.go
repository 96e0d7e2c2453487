// Package config is the settings schema of Client Center: typed structs filled from a YAML file
// plus CLIENTCENTER_* environment overrides, defaults kept in one place (defaults.go), a Validate
// that names every wrong key, a redacted view that never shows secrets, and reloading on change.
package config

import (
	"time"
	_ "time/tzdata" // the zones, on machines without a zone database
)

// Config is the whole settings file: the process-wide settings and the list of Client Centers
// ("instances") served by this process.
type Config struct {
	// Listen is the TCP address the portal listens on, host:port.
	Listen string `mapstructure:"listen"`
	// PublicURL is the portal's address as browsers see it; it forms the sign-in redirect URL
	// and decides whether cookies are marked Secure.
	PublicURL string `mapstructure:"public_url"`
	// Session configures the signed and encrypted session cookie.
	Session Session `mapstructure:"session"`
	// Log configures the process log.
	Log Log `mapstructure:"log"`
	// ErpNet says how to reach the Erp.Net instance and its Domain API.
	ErpNet ErpNet `mapstructure:"erpnet"`
	// Cache configures the in-memory read cache in front of Erp.Net.
	Cache Cache `mapstructure:"cache"`
	// Metrics configures the Prometheus endpoint /metrics.
	Metrics Metrics `mapstructure:"metrics"`
	// Instances are the Client Centers served by this process, each under its own relative URL.
	Instances []Instance `mapstructure:"instances"`
}

// Session configures the session cookie.
type Session struct {
	// HashKey signs the cookie: base64 or hex of 32 random bytes.
	HashKey Secret `mapstructure:"hash_key"`
	// BlockKey encrypts the cookie: base64 or hex of 32 random bytes.
	BlockKey Secret `mapstructure:"block_key"`
	// IdleTimeout ends a session that has not been used for this long.
	IdleTimeout time.Duration `mapstructure:"idle_timeout"`
	// AbsoluteTimeout ends a session this long after sign-in, however busy.
	AbsoluteTimeout time.Duration `mapstructure:"absolute_timeout"`
	// Remember keeps the session cookie across browser restarts (until the absolute timeout);
	// false makes it end when the browser closes.
	Remember bool `mapstructure:"remember"`
}

// Log configures the process log.
type Log struct {
	// Level is one of debug, info, warn, error.
	Level string `mapstructure:"level"`
	// Format is json (for log collectors) or console (for people).
	Format string `mapstructure:"format"`
}

// ErpNet says how to reach the Erp.Net instance as its trusted application.
type ErpNet struct {
	// InstanceURL is the Erp.Net instance; everything else is found by its auto-discovery.
	InstanceURL string `mapstructure:"instance_url"`
	// ClientID is the trusted application's ApplicationUri.
	ClientID string `mapstructure:"client_id"`
	// ClientSecret is the trusted application's secret.
	ClientSecret Secret `mapstructure:"client_secret"`
	// Scopes asked for the client-credentials token; the legacy DomainApi, which Erp.Net calls
	// obsolete, is sent only when listed, for old servers that still need it.
	Scopes []string `mapstructure:"scopes"`
	// MaxConcurrent bounds the requests in flight toward Erp.Net, which runs one request of a
	// session (the portal's token) at a time and queues at most five more.
	MaxConcurrent int `mapstructure:"max_concurrent"`
	// RequestsPerMinute paces the requests toward Erp.Net, which refuses a session more than
	// 600 a minute.
	RequestsPerMinute int `mapstructure:"requests_per_minute"`
	// InstanceConcurrency is how many requests the portal, all its replicas together, may run
	// on the Erp.Net instance at once: Erp.Net allows two across every session of the instance,
	// shared with the tenant's other integrations. Held across replicas through cache.redis.
	InstanceConcurrency int `mapstructure:"instance_concurrency"`
	// Timeout bounds each call to Erp.Net.
	Timeout time.Duration `mapstructure:"timeout"`
	// MaxRetries bounds the retries of a call answered with 401, 429 or 503.
	MaxRetries int `mapstructure:"max_retries"`
}

// Metrics configures the Prometheus endpoint.
type Metrics struct {
	// Enabled serves /metrics.
	Enabled bool `mapstructure:"enabled"`
	// Token is required as "Authorization: Bearer <token>" to read /metrics. Without one, /metrics
	// refuses every request unless AllowAnonymous is set: counts of routes, sign-ins and Erp.Net
	// errors are for the operator, not for anyone who finds the URL.
	Token Secret `mapstructure:"token"`
	// AllowAnonymous serves /metrics without a token, for a portal whose /metrics a proxy or
	// network already keeps private.
	AllowAnonymous bool `mapstructure:"allow_anonymous"`
}

// Cache configures the read cache.
type Cache struct {
	// TTL is how long each kind of data is served from memory before Erp.Net is asked again.
	TTL CacheTTL `mapstructure:"ttl"`
	// MaxStale is how long a value may still be shown, marked stale, while Erp.Net fails.
	MaxStale time.Duration `mapstructure:"max_stale"`
	// AccessGrace is how long past its TTL a person's access may still be used, while Erp.Net
	// fails, for pages that only read: never for a change, User Management or after a revocation.
	AccessGrace time.Duration `mapstructure:"access_grace"`
	// MaxEntries bounds the number of cached values.
	MaxEntries int `mapstructure:"max_entries"`
	// Redis is the store several replicas of the portal share; without a URL each process
	// caches alone, in memory.
	Redis Redis `mapstructure:"redis"`
}

// Redis configures the store the replicas share (Redis or Valkey).
type Redis struct {
	// URL is redis://[:password@]host:port/db (rediss:// for TLS); it may hold a password, so
	// prefer CLIENTCENTER_CACHE_REDIS_URL. Empty: no shared store.
	URL Secret `mapstructure:"url"`
	// Prefix starts every key of this portal, so several may share one Redis.
	Prefix string `mapstructure:"prefix"`
	// Timeout bounds each call to Redis; a slower Redis counts as down, and each replica then
	// works alone until it answers again.
	Timeout time.Duration `mapstructure:"timeout"`
}

// CacheTTL holds the time-to-live of each kind of cached data.
type CacheTTL struct {
	// Access is the TTL of a user's external-access record: how fast a removed user loses access.
	Access time.Duration `mapstructure:"access"`
	// Documents is the TTL of single documents (an order, an invoice).
	Documents time.Duration `mapstructure:"documents"`
	// Lists is the TTL of document lists.
	Lists time.Duration `mapstructure:"lists"`
	// Reference is the TTL of slowly changing data: products, document types, companies.
	Reference time.Duration `mapstructure:"reference"`
	// Counts is the TTL of the home page's counters.
	Counts time.Duration `mapstructure:"counts"`
}

// Instance is one Client Center. Its boolean and list settings carry the names of the vendor's
// Client Center settings in snake_case.
type Instance struct {
	// Name identifies the instance in logs and messages; unique.
	Name string `mapstructure:"name"`
	// RelativeURL is the first path segment the instance is served under (cc → /cc/...); unique.
	RelativeURL string `mapstructure:"relative_url"`
	// Title is shown in the page header.
	Title string `mapstructure:"title"`
	// EnterpriseCompany is the enterprise company the instance sells for: its Id, or its
	// company's name as the portal looks it up.
	EnterpriseCompany string `mapstructure:"enterprise_company"`
	// Languages offered by the instance: a person reads its pages, and Erp.Net's multi-language
	// values, in the one they choose, else their browser's best match, else the first listed.
	Languages []string `mapstructure:"languages"`
	// IsNewOrderEnabled turns the New Order page on (vendor: IsNewOrderEnabled).
	IsNewOrderEnabled bool `mapstructure:"is_new_order_enabled"`
	// NewOrderDocumentType is the Id (or code) of the SalesOrders document type that New Order
	// creates (vendor: NewOrderDocumentType).
	NewOrderDocumentType string `mapstructure:"new_order_document_type"`
	// DraftDays: a New Order draft (an order in state New that a person began here and has not
	// placed) untouched for this many days is deleted from Erp.Net; 0 keeps drafts until placed.
	DraftDays int `mapstructure:"new_order_draft_days"`
	// IsOrdersEnabled turns the Orders section on (vendor: IsOrdersEnabled).
	IsOrdersEnabled bool `mapstructure:"is_orders_enabled"`
	// OrderDocumentTypes limits the listed orders to these document type Ids (or codes); empty
	// means all (vendor: OrderDocumentTypes).
	OrderDocumentTypes []string `mapstructure:"order_document_types"`
	// InvoiceDocumentTypes limits the listed invoices to these document type Ids (or codes);
	// empty means all (vendor: InvoiceDocumentTypes).
	InvoiceDocumentTypes []string `mapstructure:"invoice_document_types"`
	// HideLines hides document lines (vendor: HideLines).
	HideLines bool `mapstructure:"hide_lines"`
	// HideCustomerProducts hides the customer's own products: New Order's My products tab and the
	// ranking of what it orders most (vendor: HideCustomerProducts).
	HideCustomerProducts bool `mapstructure:"hide_customer_products"`
	// HideDistributionChannel hides the distribution channel (vendor: HideDistributionChannel).
	HideDistributionChannel bool `mapstructure:"hide_distribution_channel"`
	// DefaultStore is the code of the store for orders placed here (vendor: DefaultStore).
	DefaultStore string `mapstructure:"default_store"`
	// SiteChannel is the distribution channel code for orders placed here (vendor: SiteChannel).
	SiteChannel string `mapstructure:"site_channel"`
	// AvailabilityMax: New Order asks the person to call for a quantity above it, rather than
	// saying whether the default store has it; 0 means no limit (vendor: AvailabilityMax).
	AvailabilityMax int `mapstructure:"availability_max"`
	// BankAccounts names, per currency ("EUR"), the code of the enterprise company's payment
	// account (Finance_Payments_PaymentAccounts) whose bank account customers pay into; a
	// currency not named uses the active payment account in it with a bank account, the party's
	// default bank account first.
	BankAccounts map[string]string `mapstructure:"bank_accounts"`
	// DefaultColumns maps a list page to the column keys shown until a user chooses otherwise.
	DefaultColumns map[string][]string `mapstructure:"default_columns"`
	// SaveLayoutInERP keeps each person's list layouts in Erp.Net too, on their user record
	// (AdditionalDataJson, from Erp.Net 26.3.100.4), so they follow the person across browsers.
	SaveLayoutInERP bool `mapstructure:"save_layout_in_erp"`
	// Supplier is the tenant's name as the header shows it (the company the customers buy
	// from); default the enterprise_company setting when that is a name, not an Id.
	Supplier string `mapstructure:"supplier"`
	// Logo is the path of the tenant's logo (PNG, JPEG or SVG, at most 256 KiB), shown in the
	// header of every page; read when the settings load.
	Logo string `mapstructure:"logo"`
	// BrandColor is the tenant's colour ("#rrggbb") for the header, buttons and links; white
	// text must read on it (a contrast of at least 4.5:1).
	BrandColor string `mapstructure:"brand_color"`
	// Support is whom the customers ask, shown at the foot of every page and on error pages.
	Support Support `mapstructure:"support"`
	// TimeZone is the IANA name of the tenant's time zone (default Europe/Sofia): "today", "this
	// month", overdue days and the days-back horizon are counted in it.
	TimeZone string `mapstructure:"time_zone"`
}

// Support is the tenant's contact for its customers; each part is optional.
type Support struct {
	Email string `mapstructure:"email"`
	Phone string `mapstructure:"phone"`
	Hours string `mapstructure:"hours"` // e.g. "Mon–Fri 9:00–17:30"
}

// Location is the instance's time zone; UTC when TimeZone is not a zone (which Validate
// reports).
func (in Instance) Location() *time.Location {
	if loc, err := time.LoadLocation(in.TimeZone); err == nil && in.TimeZone != "" {
		return loc
	}
	return time.UTC
}
