package erpnet

import "context"

// Reader is the read side of the Domain API. *Client implements it, and so does the cache in
// front of it, so the typed readers below work over either.
type Reader interface {
	List(ctx context.Context, q Query, out any) (next string, err error)
	ListPage(ctx context.Context, q Query, out any) (PageInfo, error)
	ListAll(ctx context.Context, q Query, out any) error
	Get(ctx context.Context, set, id string, q Query, out any) error
	Count(ctx context.Context, q Query) (int, error)
}

var _ Reader = (*Client)(nil)

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

// Page reads one page of q as entities of type T.
func Page[T Entity](ctx context.Context, r Reader, q Query) ([]T, PageInfo, error) {
	var rows []T
	p, err := r.ListPage(ctx, typed[T](q), &rows)
	return rows, p, err
}

// All reads every row of q as entities of type T, following next links (see Client.ListAll).
func All[T Entity](ctx context.Context, r Reader, q Query) ([]T, error) {
	var rows []T
	err := r.ListAll(ctx, typed[T](q), &rows)
	return rows, err
}

// One reads the entity id of type T, with q's options.
func One[T Entity](ctx context.Context, r Reader, id string, q Query) (T, error) {
	var e T
	q = typed[T](q)
	err := r.Get(ctx, q.set, id, q, &e)
	return e, err
}

// CountOf is the number of entities of type T matching q's filter.
func CountOf[T Entity](ctx context.Context, r Reader, q Query) (int, error) {
	if q.set == "" {
		var zero T
		q = q.From(zero.EntitySet())
	}
	return r.Count(ctx, q)
}
