package cache

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Fetch is Do for values of type T: the fetched value is cached as a T and returned as one. Like
// every cached value, it is shared: do not modify it.
func Fetch[T any](ctx context.Context, c *Cache, key Key, kind Kind, fetch func(ctx context.Context) (T, error)) (T, Result, error) {
	res, err := c.do(ctx, key, kind, func(ctx context.Context) (any, error) { return fetch(ctx) }, codecFor[T](c))
	if err != nil {
		var zero T
		return zero, res, err
	}
	v, ok := res.Value.(T)
	if !ok && res.Value != nil {
		var zero T
		return zero, res, fmt.Errorf("cache: key %q holds a %T, not a %T", key.Query, res.Value, zero)
	}
	return v, res, nil
}

// Keep stores v under key as if fetched now, for kind's TTL (and kept for MaxStale past it, as
// any value): for what the portal learns of Erp.Net's data in passing, such as a list whose
// every row came in one page. gen is the customer's generation when v was read (Generation): a
// value read before a write of the customer is not kept as the data after it.
func Keep(ctx context.Context, c *Cache, key Key, kind Kind, gen uint64, v any) {
	if c.Generation(ctx, key.Instance, key.Customer) != gen {
		return
	}
	c.put(c.storeKey(ctx, key), &entry{value: v, fetched: c.cfg.Now()}, c.TTL(kind))
}

// Peek returns the value under key of kind, fresh or up to MaxStale past its TTL, with when it
// was fetched; it makes no call. For what to show while Erp.Net cannot be reached, marked stale.
func Peek[T any](ctx context.Context, c *Cache, key Key, kind Kind) (T, time.Time, bool) {
	var zero T
	e, ok := c.lookup(c.storeKey(ctx, key))
	if !ok || c.cfg.Now().Sub(e.fetched) >= c.TTL(kind)+c.cfg.MaxStale {
		return zero, time.Time{}, false
	}
	v, ok := e.value.(T)
	return v, e.fetched, ok
}

// Derive returns compute's result for an input of the given version (its FetchedAt), computed
// once per key and version and kept like a fetched value of kind: in key's customer scope, so
// InvalidateCustomer drops it too. An input refetched has a new version and so a new result. A
// computation is not an upstream call and is not counted as one; concurrent first callers may
// each compute (it is work in memory, not a call to Erp.Net). Errors are not kept.
func Derive[T any](ctx context.Context, c *Cache, key Key, kind Kind, version time.Time, compute func() (T, error)) (T, error) {
	key.Query = "derived\x00" + strconv.FormatInt(version.UnixNano(), 36) + "\x00" + key.Query
	k := c.storeKey(ctx, key)
	if e, ok := c.lookup(k); ok {
		if v, ok := e.value.(T); ok {
			return v, nil
		}
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.put(k, &entry{value: v, fetched: version}, c.TTL(kind))
	return v, nil
}
