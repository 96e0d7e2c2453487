package portal

import (
	"context"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// erpList is a list Erp.Net filters, sorts and pages (Orders, Invoices): a page is one call with
// $top, $skip and $count, cached with what else the page needs of Erp.Net, and its rows are made
// from it once per language and horizon and kept beside it (see derived). The in-memory
// counterpart, for lists Erp.Net cannot sort or search as the page must, is memoryList.
type erpList[D, X, R any] struct {
	name string // names the kept rows in the cache
	// extra reads what a page needs besides its documents, in the same cache entry so the two
	// are kept and dropped together (Invoices: the payment statuses); nil when nothing.
	extra func(ctx context.Context, s *Service, v *Viewer, docs []D) (X, error)
	// row makes the row of a document, with the extra of the page and its place in it.
	row func(s *Service, v *Viewer, d D, x X, i int) R
	// amount is what a document adds to the page's totals; false leaves it out (a cancelled one).
	amount func(d D) (erpnet.Amount, bool)
}

// fetchedPage is a page of documents as Erp.Net answered it, with the page's extra.
type fetchedPage[D, X any] struct {
	Docs  []D
	Total int
	Extra X
}

// page is the page q names (q carries the page's $top, $skip and $count), its rows in the
// viewer's language, the count of every match and the page's totals per currency. The rows are
// shared: read, never changed.
func (l *erpList[D, X, R]) page(ctx context.Context, s *Service, v *Viewer, q erpnet.Query) (Page[R], error) {
	key := q.String()
	fp, version, err := cachedAt(ctx, s, v, v.Current.CustomerID, cache.KindLists, key, func(ctx context.Context) (fetchedPage[D, X], error) {
		var fp fetchedPage[D, X]
		info, err := s.erp.ListPage(ctx, q, &fp.Docs)
		if err != nil {
			return fp, err
		}
		fp.Total = info.Count
		if l.extra != nil {
			fp.Extra, err = l.extra(ctx, s, v, fp.Docs)
		}
		return fp, err
	})
	if err != nil {
		return Page[R]{}, err
	}
	// Rows are text in the viewer's language and name what lies within the horizon only.
	rowsKey := l.name + "-rows\x00" + s.langOf(v) + "\x00" + dateKey(v.Horizon(s.now())) + "\x00" + key
	made, _ := derived(s, v.Current.CustomerID, cache.KindLists, rowsKey, version, func() (Page[R], error) {
		out := Page[R]{Rows: make([]R, len(fp.Docs)), Total: fp.Total, AllTotals: fp.Total <= len(fp.Docs)}
		var amounts []erpnet.Amount
		for i, d := range fp.Docs {
			out.Rows[i] = l.row(s, v, d, fp.Extra, i)
			if a, ok := l.amount(d); ok {
				amounts = append(amounts, a)
			}
		}
		out.Totals = sumByCurrency(amounts)
		return out, nil
	})
	return made, nil
}
