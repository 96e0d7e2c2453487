package erpnet

import "context"

// Typed readers for the tests of this package, which check the simulator's answers entity by
// entity; the portal reads through Client's methods and All.

// Page reads one page of q as entities of type T.
func Page[T Entity](ctx context.Context, c *Client, q Query) ([]T, PageInfo, error) {
	var rows []T
	p, err := c.ListPage(ctx, typed[T](q), &rows)
	return rows, p, err
}

// One reads the entity id of type T, with q's options.
func One[T Entity](ctx context.Context, c *Client, id string, q Query) (T, error) {
	var e T
	q = typed[T](q)
	err := c.Get(ctx, q.set, id, q, &e)
	return e, err
}

// CountOf is the number of entities of type T matching q's filter.
func CountOf[T Entity](ctx context.Context, c *Client, q Query) (int, error) {
	if q.set == "" {
		var zero T
		q = q.From(zero.EntitySet())
	}
	return c.Count(ctx, q)
}
