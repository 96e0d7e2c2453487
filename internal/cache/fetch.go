package cache

import (
	"context"
	"fmt"
)

// Fetch is Do for values of type T: the fetched value is cached as a T and returned as one. Like
// every cached value, it is shared: do not modify it.
func Fetch[T any](ctx context.Context, c *Cache, key Key, kind Kind, fetch func(ctx context.Context) (T, error)) (T, Result, error) {
	res, err := c.Do(ctx, key, kind, func(ctx context.Context) (any, error) { return fetch(ctx) })
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
