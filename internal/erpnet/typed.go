package erpnet

import "context"

// typed completes q for entities of type T: T's entity set when q names none, and Id selected
// (the default properties plus Id when q selects nothing), since Erp.Net leaves Id out otherwise.
func typed[T Entity](q Query) Query {
	if q.set == "" && q.next == "" {
		var zero T
		q = q.From(zero.EntitySet())
	}
	if q.next != "" {
		return q
	}
	return q.withID()
}

// All reads every row of q as entities of type T, following next links (see Client.ListAll).
func All[T Entity](ctx context.Context, c *Client, q Query) ([]T, error) {
	var rows []T
	err := c.ListAll(ctx, typed[T](q), &rows)
	return rows, err
}
