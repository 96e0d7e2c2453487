package portal

import (
	"context"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// erpList is a list Erp.Net filters, sorts and pages (Orders, Invoices): a page is one call with
// $top, $skip and $count, cached with what else the page needs of Erp.Net. What is cached is the
// page as shown: its rows in the viewer's language, its count and totals, never Erp.Net's whole
// documents (a page of 25 sales orders as decoded is ten times its rows). The key names the
// language; the horizon is in the query itself. The in-memory counterpart, for lists Erp.Net
// cannot sort or search as the page must, is memoryList.
type erpList[D, X, R any] struct {
	// extra reads what a page needs besides its documents, in the same fetch (Invoices: the
	// payment statuses); nil when nothing.
	extra func(ctx context.Context, s *Service, v *Viewer, docs []D) (X, error)
	// row makes the row of a document, with the extra of the page and its place in it.
	row func(s *Service, v *Viewer, d D, x X, i int) R
	// amount is what a document adds to the page's totals; false leaves it out (a cancelled one).
	amount func(d D) (erpnet.Amount, bool)
}

// page is the page q names (q carries the page's $top, $skip and $count), its rows in the
// viewer's language, the count of every match and the page's totals per currency. The rows are
// shared: read, never changed.
func (l *erpList[D, X, R]) page(ctx context.Context, s *Service, v *Viewer, q erpnet.Query) (Page[R], error) {
	key := q.String() + "\x00lang:" + s.langOf(v)
	return cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, key, func(ctx context.Context) (Page[R], error) {
		var docs []D
		info, err := s.erp.ListPage(ctx, q, &docs)
		if err != nil {
			return Page[R]{}, err
		}
		var x X
		if l.extra != nil {
			if x, err = l.extra(ctx, s, v, docs); err != nil {
				return Page[R]{}, err
			}
		}
		out := Page[R]{Rows: make([]R, len(docs)), Total: info.Count, AllTotals: info.Count <= len(docs)}
		var amounts []erpnet.Amount
		for i, d := range docs {
			out.Rows[i] = l.row(s, v, d, x, i)
			if a, ok := l.amount(d); ok {
				amounts = append(amounts, a)
			}
		}
		compactRows(out.Rows)
		out.Totals = sumByCurrency(amounts)
		return out, nil
	})
}
