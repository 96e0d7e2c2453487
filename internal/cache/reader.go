package cache

import (
	"context"
	"fmt"
	"reflect"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Op is the kind of read a Reader caches.
type Op string

// Reads a Reader caches.
const (
	OpList  Op = "list"  // List, ListPage and ListAll
	OpGet   Op = "get"   // Get
	OpCount Op = "count" // Count
)

// KindFunc chooses the kind, and so the TTL, of a read of an entity set ("" for a next page).
type KindFunc func(op Op, set string) Kind

// DefaultKind is the usual KindFunc: access records and users are KindAccess, the catalogue
// and reference data KindProducts, counts KindCounts, single entities KindDocuments and every
// other listing KindLists.
func DefaultKind(op Op, set string) Kind {
	switch set {
	case erpnet.SetExternalAccess, erpnet.SetUsers:
		return KindAccess
	case erpnet.SetProducts, erpnet.SetMeasurementUnits, erpnet.SetCurrencies, erpnet.SetDocumentTypes,
		erpnet.SetEnterpriseCompanies:
		return KindProducts
	}
	switch op {
	case OpCount:
		return KindCounts
	case OpGet:
		return KindDocuments
	}
	return KindLists
}

// Reader is an erpnet.Reader that reads through the cache, for one instance and customer: the
// entries it makes belong to that customer, so InvalidateCustomer drops them. Every read hands
// the caller its own deep copy, so no caller can change what another reads.
//
// A stale answer is returned without error; use the Cache's Do directly where the page must say
// that what it shows is stale.
type Reader struct {
	cache    *Cache
	upstream erpnet.Reader
	instance string
	customer string
	kind     KindFunc
}

var _ erpnet.Reader = (*Reader)(nil)

// Reader returns a reader of upstream through c for the customer of instance ("" for data shared
// by all customers). A nil kind means DefaultKind.
func (c *Cache) Reader(upstream erpnet.Reader, instance, customer string, kind KindFunc) *Reader {
	if kind == nil {
		kind = DefaultKind
	}
	return &Reader{cache: c, upstream: upstream, instance: instance, customer: customer, kind: kind}
}

// page is a cached ListPage answer.
type page struct {
	rows reflect.Value // the decoded slice
	info erpnet.PageInfo
}

// List is erpnet.Client.List through the cache.
func (r *Reader) List(ctx context.Context, q erpnet.Query, out any) (string, error) {
	p, err := r.ListPage(ctx, q, out)
	return p.Next, err
}

// ListPage is erpnet.Client.ListPage through the cache.
func (r *Reader) ListPage(ctx context.Context, q erpnet.Query, out any) (erpnet.PageInfo, error) {
	dst, err := target(out)
	if err != nil {
		return erpnet.PageInfo{}, err
	}
	res, err := r.cache.Do(ctx, r.key("page", q, dst.Type()), r.kind(OpList, q.EntitySet()), func(ctx context.Context) (any, error) {
		rows := reflect.New(dst.Type())
		info, err := r.upstream.ListPage(ctx, q, rows.Interface())
		if err != nil {
			return nil, err
		}
		return page{rows: rows.Elem(), info: info}, nil
	})
	if err != nil {
		return erpnet.PageInfo{}, err
	}
	p := res.Value.(page)
	dst.Set(deepCopy(p.rows))
	return p.info, nil
}

// ListAll is erpnet.Client.ListAll through the cache.
func (r *Reader) ListAll(ctx context.Context, q erpnet.Query, out any) error {
	return r.read(ctx, "all", OpList, q.EntitySet(), q, out, func(ctx context.Context, v any) error {
		return r.upstream.ListAll(ctx, q, v)
	})
}

// Get is erpnet.Client.Get through the cache.
func (r *Reader) Get(ctx context.Context, set, id string, q erpnet.Query, out any) error {
	return r.read(ctx, "get", OpGet, set, q.From(set).Key(id), out, func(ctx context.Context, v any) error {
		return r.upstream.Get(ctx, set, id, q, v)
	})
}

// Count is erpnet.Client.Count through the cache.
func (r *Reader) Count(ctx context.Context, q erpnet.Query) (int, error) {
	n, _, err := Fetch(ctx, r.cache, r.key("count", q, nil), r.kind(OpCount, q.EntitySet()),
		func(ctx context.Context) (int, error) { return r.upstream.Count(ctx, q) })
	return n, err
}

// read caches what fill decodes into a fresh value of out's type, and copies it into out.
func (r *Reader) read(ctx context.Context, what string, op Op, set string, q erpnet.Query, out any,
	fill func(ctx context.Context, v any) error) error {
	dst, err := target(out)
	if err != nil {
		return err
	}
	res, err := r.cache.Do(ctx, r.key(what, q, dst.Type()), r.kind(op, set), func(ctx context.Context) (any, error) {
		v := reflect.New(dst.Type())
		if err := fill(ctx, v.Interface()); err != nil {
			return nil, err
		}
		return v.Elem(), nil
	})
	if err != nil {
		return err
	}
	dst.Set(deepCopy(res.Value.(reflect.Value)))
	return nil
}

// key names a read: what was asked, the query, and the Go type decoded into (two types decode
// different fields from the same answer, so they must not share an entry).
func (r *Reader) key(what string, q erpnet.Query, t reflect.Type) Key {
	s := what + " " + q.String()
	if t != nil {
		s += " as " + t.String()
	}
	return Key{Instance: r.instance, Customer: r.customer, Query: s}
}

// target is the settable value out points to.
func target(out any) (reflect.Value, error) {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return reflect.Value{}, fmt.Errorf("cache: need a non-nil pointer to decode into, got %T", out)
	}
	return v.Elem(), nil
}
