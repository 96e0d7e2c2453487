// Package portal is what the pages need, in the portal's own terms, for one Client Center:
// the person's access and customers, counts, the profile, documents. Every read is scoped to the
// viewer's customer and days-back horizon, goes through the cache and is never another
// customer's; writes go straight to Erp.Net and invalidate that customer's cache.
package portal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Deps are a Service's dependencies.
type Deps struct {
	Instance config.Instance
	ERP      *erpnet.Client
	Cache    *cache.Cache
	Now      func() time.Time
	Logger   *zap.Logger
	// Locks are the locks replicas share (the Redis store); nil in a process alone.
	Locks Locker
}

// Locker takes a short lock held across replicas: ok is false while another holds it; an error
// means the store did not answer.
type Locker interface {
	Lock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error)
}

// Service serves one Client Center.
type Service struct {
	inst  config.Instance
	erp   *erpnet.Client
	cache *cache.Cache
	now   func() time.Time
	// loc is the tenant's time zone, the one "today" is counted in.
	loc *time.Location
	log *zap.Logger
	// lang is the language Erp.Net's multi-language values (product names, document types,
	// company names) are shown in when the viewer chose none (see Viewer.Lang): the instance's
	// first language, English where a value has none.
	lang string
	// docTypes are the Ids of the document types the settings name by code, resolved once.
	docTypes docTypeIDs
	// roles is which roles the connected Erp.Net has, asked once.
	roles roleProbe
	// msgs limits and de-duplicates the messages written on documents.
	msgs *messageGuard
	// draftLocks and locks run a person's draft saves and placings one at a time (lockDrafts).
	draftLocks *keyedLocks
	locks      Locker
	// version is the connected Erp.Net's version, asked once (LayoutsInERP).
	version versionProbe
}

// New builds the service of one Client Center.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = zap.NewNop()
	}
	// Every line this service logs names its Client Center.
	log := d.Logger.With(zap.String("instance", d.Instance.Name))
	lang := "en"
	if len(d.Instance.Languages) > 0 {
		lang = d.Instance.Languages[0]
	}
	return &Service{inst: d.Instance, erp: d.ERP, cache: d.Cache, now: d.Now, log: log, lang: lang, loc: d.Instance.Location(), msgs: &messageGuard{}, draftLocks: &keyedLocks{}, locks: d.Locks}
}

// Viewer is the signed-in person as this Client Center sees them: their customers (with role
// and horizon) and the one they act for now.
type Viewer struct {
	UserID, Login, Name string
	Accesses            []Access
	Current             *Access
	// Lang is the language the person reads Erp.Net's multi-language values in on this request
	// (English where a value has none); "" is the instance's first language.
	Lang string
	// Fresh records whether anything this request read came from a stale cache entry while
	// Erp.Net failed. A Viewer is made per request (see Service.Viewer), so it is this request's.
	Fresh *Freshness
	// policy is how stale this request may use the person's access records.
	policy AccessPolicy
}

// Access is one customer the person may act for, from Erp.Net's external-access record.
type Access struct {
	ID             string // the external-access record
	CustomerID     string
	CustomerName   string
	CustomerNumber string
	PartyID        string
	PartyCode      string // the party's code: a company is found by it, not by assuming its Id is the party's
	Role           access.Role
	DaysBack       *int // nil: unlimited
}

// Horizon is the oldest document date the viewer may see, counted back from today (a calendar
// date at UTC midnight, see Service.today), or the zero time when unlimited.
func (v *Viewer) Horizon(today time.Time) time.Time {
	if v.Current == nil || v.Current.DaysBack == nil {
		return time.Time{}
	}
	y, m, d := today.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -*v.Current.DaysBack)
}

// Kind is what sort of refusal an Error is; the server alone decides what it means in HTTP.
type Kind int

// The kinds of refusal.
const (
	KindNotFound    Kind = iota + 1 // nothing there for this viewer
	KindConflict                    // the request meets a state that no longer allows it
	KindInvalid                     // what was asked cannot be done as asked
	KindForbidden                   // the person may not, e.g. an account without access
	KindUnavailable                 // not possible right now, e.g. the customer lacks a setting
	KindSetup                       // the Client Center or Erp.Net is not set up for it
	KindTooMany                     // the person asked too often; later it will work
)

// Error is a refusal the person should read: its kind, where the vendor has one a CC code, and
// a heading and message as keys of the message catalog, the message with its arguments, so
// the server shows them in the person's language.
type Error struct {
	Kind    Kind
	Code    string
	Heading string
	Message string
	Args    []any
}

func (e *Error) Error() string { return e.Code + " " + fmt.Sprintf(e.Message, e.Args...) }

// ErrNotFound is a document or file that does not exist for this viewer: not theirs, beyond
// their horizon, or not there at all — deliberately the same answer.
var ErrNotFound = errors.New("portal: not found")

// CodeTexts are the vendor's texts of the CC codes, kept so tenants can look them up.
var CodeTexts = map[string]string{
	"CC002": "The logged user is not defined as a Person.",
	"CC003": "Parent party of the logged user is empty.",
	"CC004": "The parent party is not defined as a customer.",
	"CC005": "The Client Center is not setup correctly - Enterprise Company is not set in the definition of the web site.",
	"CC006": "The parent party does not have customer agreement for the enterprise company of the Client Center.",
	"CC007": "ServicedByEnterpriseCompanyLocation is null.",
	"CC008": "Not well formatted JSON string.",
	"CC009": "Incorrect setup of Client Center - the option NewOrderDocumentType is set, but DocumentType is null.",
	"CC010": "The logged-in user does not have a defined role.",
}

// CodeFixes are the vendor's second sentences of the CC codes: what the tenant's administrator
// does about them (ErpNetDocs/tech modules/crm/clientcenter/reference.md).
var CodeFixes = map[string]string{
	"CC002": "Please define Person object for this user to use the Client Center.",
	"CC003": "Please set parent party to the company on behalf of which the user is entering Client Center.",
	"CC004": "It should be customer in order to use Client Center.",
	"CC005": "Please set Enterprise company accordingly.",
	"CC006": "Create customer agreement for this party.",
	"CC007": "Please set ServicedByEnterpriseCompanyLocation to the asigned ParentParty.Customer for this user.",
	"CC010": "Please add the user to the Crm_Customer_External_Access table and assign an appropriate role.",
}

func ccErr(kind Kind, code, heading, msg string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Heading: heading, Message: msg, Args: args}
}

// Freshness records, for one request, whether anything on the page came from a stale cache
// entry while Erp.Net failed, and how old the oldest such value was.
type Freshness struct {
	mu    sync.Mutex
	stale bool
	age   time.Duration
	// until is the earliest end of TTL of the values read: what is made of them is as fresh as
	// they are until then. Zero while nothing was read through the cache.
	until time.Time
}

// Until is when the first of the values read stops being fresh (the zero time if none was
// read): a page made of them may be kept until then, and no longer.
func (f *Freshness) Until() time.Time {
	if f == nil {
		return time.Time{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.until
}

func (f *Freshness) read(expires time.Time) {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.until.IsZero() || expires.Before(f.until) {
		f.until = expires
	}
}

// Stale tells whether any value served was stale; a nil Freshness never is.
func (f *Freshness) Stale() bool {
	if f == nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stale
}

// Age is the age of the oldest stale value served.
func (f *Freshness) Age() time.Duration {
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.age
}

func (f *Freshness) mark(age time.Duration) {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stale = true
	f.age = max(f.age, age)
}

// scope names whose data a cache entry is: the instance and the customer ("" for data shared by
// every customer), so writes for a customer can drop exactly that customer's entries.
func (s *Service) scope(customerID string) (string, string) { return s.inst.RelativeURL, customerID }

// cached reads through the cache: one upstream call per key however many ask at once, stale
// values marked on the viewer's freshness when Erp.Net fails (v may be nil for reads made before
// there is a viewer).
func cached[T any](ctx context.Context, s *Service, v *Viewer, customerID string, kind cache.Kind, key string, fetch func(context.Context) (T, error)) (T, error) {
	val, _, err := cachedAt(ctx, s, v, customerID, kind, key, fetch)
	return val, err
}

// cachedAt is cached with the time the value was fetched: its version, under which what is
// computed from it can be kept (see derived).
func cachedAt[T any](ctx context.Context, s *Service, v *Viewer, customerID string, kind cache.Kind, key string, fetch func(context.Context) (T, error)) (T, time.Time, error) {
	inst, cust := s.scope(customerID)
	val, res, err := cache.Fetch(ctx, s.cache, cache.Key{Instance: inst, Customer: cust, Query: key}, kind, fetch)
	if err != nil {
		return val, time.Time{}, err
	}
	if v != nil {
		v.Fresh.read(res.Expires)
		if res.Stale {
			v.Fresh.mark(res.Age)
		}
	}
	return val, res.FetchedAt, nil
}

// derived is compute's result kept in the cache beside the value it is made from, under key and
// that value's version (its fetch time, from cachedAt) in the same customer's scope: a refetched
// value has a new version, so what is made from it is made again, and a write that drops the
// customer's entries drops it too. key must name everything else compute depends on (the
// language, the day, the horizon); the result is shared, so never change it.
func derived[T any](s *Service, customerID string, kind cache.Kind, key string, version time.Time, compute func() (T, error)) (T, error) {
	inst, cust := s.scope(customerID)
	return cache.Derive(context.Background(), s.cache, cache.Key{Instance: inst, Customer: cust, Query: key}, kind, version, compute)
}

// listAll reads every row of q through the cache.
func listAll[T any](ctx context.Context, s *Service, v *Viewer, customerID string, kind cache.Kind, q erpnet.Query) ([]T, error) {
	return cached(ctx, s, v, customerID, kind, q.String(), func(ctx context.Context) ([]T, error) {
		var out []T
		err := s.erp.ListAll(ctx, q, &out)
		return out, err
	})
}

// customerRef is the one place the customer scope of a query is made: every document query of
// the portal filters on it, and every document fetched by id is checked against it.
func customerRef(customerID string) erpnet.Literal {
	return erpnet.NewRef(erpnet.SetCustomers, customerID)
}

var errSetup = func(code, msg string, args ...any) error {
	return ccErr(KindSetup, code, "This Client Center is not set up correctly", msg, args...)
}

// zapFields are the log fields of an audit event: who, for which customer, what.
func zapFields(v *Viewer, kv ...string) []zap.Field {
	fields := []zap.Field{zap.String("user", v.Login)}
	if v.Current != nil {
		fields = append(fields, zap.String("customer", v.Current.CustomerNumber))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		fields = append(fields, zap.String(kv[i], kv[i+1]))
	}
	return fields
}
