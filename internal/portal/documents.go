package portal

import (
	"context"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// fetchDocument reads one document of set by id through the cache and checks it as every
// document fetched by id is checked: the viewer's customer, within the horizon, of a document
// type the instance lists. Anything else is ErrNotFound, the same answer as no document.
func fetchDocument[T any](ctx context.Context, s *Service, v *Viewer, set, id string, q erpnet.Query, types []string,
	owner func(T) (customerID string, doc erpnet.Document)) (T, error) {
	var zero T
	if !validID(id) {
		return zero, ErrNotFound
	}
	d, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindDocuments, set+":"+strings.ToLower(id), func(ctx context.Context) (T, error) {
		var d T
		err := s.erp.Get(ctx, set, id, q, &d)
		return d, err
	})
	if erpnet.IsNotFound(err) {
		return zero, ErrNotFound
	}
	if err != nil {
		return zero, err
	}
	customerID, doc := owner(d)
	if !s.visible(v, customerID, doc.DocumentDate.Time, doc.DocumentType.Entity, types) {
		return zero, ErrNotFound
	}
	return d, nil
}
