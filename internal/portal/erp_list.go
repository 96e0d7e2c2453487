package portal

import (
	"context"
	"slices"

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
	// sorts compare rows by each sort key of the list, as Erp.Net orders them (the list's
	// default is "date", newest first; ties go by number), for sorting from the cache while
	// Erp.Net cannot be reached.
	sorts map[string]func(a, b R) int
}

// page is the page q names (q carries the page's $top, $skip and $count), its rows in the
// viewer's language, the count of every match and the page's totals per currency. The rows are
// shared: read, never changed.
//
// While Erp.Net cannot be reached, a page not in the cache is made from what is: the list's every
// row, kept when one page held them all, sorted and paged here; else the list as last shown, its
// Fallback set so the page says that other sorts and pages must wait.
func (l *erpList[D, X, R]) page(ctx context.Context, s *Service, v *Viewer, q erpnet.Query, p ListParams) (Page[R], error) {
	lang := s.langOf(v)
	key := q.String() + "\x00lang:" + lang
	inst, cust := s.scope(v.Current.CustomerID)
	whole := cache.Key{Instance: inst, Customer: cust, Query: "whole\x00" + q.Unpaged().String() + "\x00lang:" + lang}
	seen := cache.Key{Instance: inst, Customer: cust, Query: "seen\x00" + q.Unpaged().String() + "\x00lang:" + lang}
	gen := s.cache.Generation(ctx, inst, cust) // before the read: a write meanwhile is not kept over
	page, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, key, func(ctx context.Context) (Page[R], error) {
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
		out := Page[R]{Rows: rowsFor[R](len(docs)), Total: info.Count, AllTotals: info.Count <= len(docs)}
		var amounts []erpnet.Amount
		for i, d := range docs {
			out.Rows[i] = l.row(s, v, d, x, i)
			if a, ok := l.amount(d); ok {
				amounts = append(amounts, a)
			}
		}
		compactRows(out.Rows)
		out.Totals = keptMonies(sumByCurrency(amounts))
		// One more entry, sharing the page's rows: every row when they all came, else the
		// list as last shown.
		if out.AllTotals && q.Skipped() == 0 {
			cache.Keep(ctx, s.cache, whole, cache.KindLists, gen, out)
		} else {
			cache.Keep(ctx, s.cache, seen, cache.KindLists, gen, out)
		}
		return out, nil
	})
	if err == nil || !cache.StaleWorthy(err) {
		return page, err
	}
	// The newer of the two: a list that has grown past a page since its every row was kept is
	// shown as last seen.
	all, allAt, allOK := cache.Peek[Page[R]](ctx, s.cache, whole, cache.KindLists)
	last, lastAt, lastOK := cache.Peek[Page[R]](ctx, s.cache, seen, cache.KindLists)
	switch {
	case allOK && l.sorts != nil && (!lastOK || !lastAt.After(allAt)):
		v.Fresh.mark(s.now().Sub(allAt))
		return l.cut(all, p), nil
	case lastOK:
		v.Fresh.mark(s.now().Sub(lastAt))
		last.Fallback = true
		return last, nil
	}
	return page, err
}

// cut sorts every row of a list as p asks and returns p's page of them.
func (l *erpList[D, X, R]) cut(all Page[R], p ListParams) Page[R] {
	key, desc := p.Sort, p.Desc
	cmp, ok := l.sorts[key]
	if !ok {
		key, desc, cmp = "date", true, l.sorts["date"]
	}
	byNumber := l.sorts["number"]
	rows := slices.Clone(all.Rows)
	slices.SortStableFunc(rows, func(a, b R) int {
		c := cmp(a, b)
		if c == 0 && key != "number" {
			c = byNumber(a, b)
		}
		if desc {
			c = -c
		}
		return c
	})
	from := min((p.Page-1)*p.Size, len(rows))
	out := all
	out.Rows = rows[from:min(from+p.Size, len(rows))]
	return out
}
