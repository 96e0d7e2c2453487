package portal

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// memoryList is a list the portal filters, sorts and pages itself: Erp.Net can neither sort nor
// search it as the page must (PaymentBalances has no $orderby; a search spans fields Erp.Net
// cannot `or`), so every row of a bounded set is read in one cached call and the rest happens
// here. The matching rows in their order are kept in the cache beside what they were made from
// (see derived), so a warm page is a slice of them, not a new filter and sort of the whole set.
type memoryList[R any] struct {
	name string // names the kept results in the cache
	// sorts are the sortable column keys; the default sort, then ties, break every tie.
	sorts       map[string]func(a, b R) int
	defaultSort string
	defaultDesc bool
	ties        []string
	// match tells whether a row matches the person's filters; needle is the search, lower case.
	match func(r R, p ListParams, needle string) bool
	// amount is what a row adds to the totals.
	amount func(r R) Money
}

// Sortable tells whether the list can sort by a column key.
func (l *memoryList[R]) Sortable(key string) bool { _, ok := l.sorts[key]; return ok }

// matched is the rows matching a person's filters, in the asked order, with their totals: as
// places in the whole set, which it shares, so a kept result costs 4 bytes a row.
type matched[R any] struct {
	all    []R
	idx    []int32
	Totals []Money
}

// matching is the rows matching p in the asked order, with their totals. rows are the whole set
// as cached under key and version (see cachedAt); both are shared: read, never changed.
func (l *memoryList[R]) matching(s *Service, customerID string, rows []R, key string, version time.Time, p ListParams) matched[R] {
	sortKey, desc := p.Sort, p.Desc
	if !l.Sortable(sortKey) {
		sortKey, desc = l.defaultSort, l.defaultDesc
	}
	asked := strings.Join([]string{l.name, sortKey, strconv.FormatBool(desc), p.Search, p.Status,
		dateKey(p.From), dateKey(p.To), filtersKey(p.Filters), key}, "\x00")
	out, _ := derived(s, customerID, cache.KindLists, asked, version, func() (matched[R], error) {
		needle := strings.ToLower(p.Search)
		var idx []int32
		for i, r := range rows {
			if l.match(r, p, needle) {
				idx = append(idx, int32(i))
			}
		}
		slices.SortStableFunc(idx, func(i, j int32) int {
			a, b := rows[i], rows[j]
			c := l.sorts[sortKey](a, b)
			for _, t := range append([]string{l.defaultSort}, l.ties...) {
				c = cmp.Or(c, l.sorts[t](a, b))
			}
			if desc {
				return -c
			}
			return c
		})
		amounts := make([]erpnet.Amount, len(idx))
		for k, i := range idx {
			m := l.amount(rows[i])
			amounts[k] = erpnet.Amount{Value: m.Value, Currency: m.Currency}
		}
		return matched[R]{all: rows, idx: idx, Totals: sumByCurrency(amounts)}, nil
	})
	return out
}

// page is one page of the matching rows (copies, the caller's to change), with their count and
// the totals of all of them.
func (m matched[R]) page(p ListParams) Page[R] {
	start := min((p.Page-1)*p.Size, len(m.idx))
	at := m.idx[start:min(start+p.Size, len(m.idx))]
	rows := make([]R, len(at))
	for k, i := range at {
		rows[k] = m.all[i]
	}
	return Page[R]{Rows: rows, Total: len(m.idx), Totals: m.Totals, AllTotals: true}
}

// each hands every matching row, in order, to fn, until fn fails.
func (m matched[R]) each(fn func(R) error) error {
	for _, i := range m.idx {
		if err := fn(m.all[i]); err != nil {
			return err
		}
	}
	return nil
}

// dateKey is a date filter as part of a cache key; "" when unset.
func dateKey(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
