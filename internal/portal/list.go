package portal

import (
	"errors"

	"context"
	"github.com/google/uuid"
	"sort"
	"strings"
	"time"
	"unique"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// ListParams are what a person asks of a list: order, search, date range and page.
type ListParams struct {
	Sort   string // a column key the page knows; "" = the page's default
	Desc   bool
	Search string
	Status string // a page-specific status filter key; "" = all
	From   time.Time
	To     time.Time
	Page   int // from 1
	Size   int
	// Group is the column key the server groups the rows of the page by ("" for none); the
	// portal serves the page that Page and Size name, as for any list.
	Group string
	// Filters are the person's filters on single columns (see ColumnFilter).
	Filters []ColumnFilter
}

// PageSizes are the page sizes offered; the first is the default.
var PageSizes = []int{25, 50, 100, 250}

// MaxOffset bounds how far into a list a page may start: far beyond any customer's documents,
// and small enough that page × size never overflows.
const MaxOffset = 1_000_000

// Normalize bounds the parameters: a page from 1 up to MaxOffset rows in, a size from PageSizes,
// a trimmed search. The size is settled first so that the page bound is computed without overflow.
func (p ListParams) Normalize() ListParams {
	ok := false
	for _, s := range PageSizes {
		ok = ok || s == p.Size
	}
	if !ok {
		p.Size = PageSizes[0]
	}
	if p.Page < 1 {
		p.Page = 1
	}
	if last := MaxOffset/p.Size + 1; p.Page > last {
		p.Page = last
	}
	p.Search = strings.TrimSpace(p.Search)
	if len(p.Search) > 100 {
		p.Search = p.Search[:100]
	}
	return p
}

// Page is one page of a list with what the footer shows.
type Page[T any] struct {
	Rows  []T
	Total int // rows matching, over all pages
	// Totals are the sums per currency: of every matching row when AllTotals, else of this page.
	Totals    []Money
	AllTotals bool
	// Fallback: Erp.Net could not be reached and the page asked for was not in the cache, so this
	// is the list as last shown, in its order and page then.
	Fallback bool
	// Hidden is how many of the customer's documents of the list's kind are older than the
	// viewer's horizon: counted so the page can say so, never summed into the totals.
	Hidden int
}

// Money is an amount in a currency, for views.
type Money struct {
	Value    float64
	Currency string
}

// String formats the amount as "1234.50 BGN".
func (m Money) String() string { return erpnet.Amount{Value: m.Value, Currency: m.Currency}.String() }

// sumByCurrency adds amounts per currency, currencies in alphabetical order.
func sumByCurrency(amounts []erpnet.Amount) []Money {
	sums := map[string]float64{}
	for _, a := range amounts {
		sums[a.Currency] += a.Value
	}
	out := make([]Money, 0, len(sums))
	for c, v := range sums {
		out = append(out, Money{Value: v, Currency: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// maxSearchHits bounds how many documents a search gathers before paging: a search is meant to
// find, not to list everything.
const maxSearchHits = 500

// searchIDs runs one query per searched field (Erp.Net has no `or`) and unites the ids found.
// Each query is already scoped by the caller's terms.
func (s *Service) searchIDs(ctx context.Context, v *Viewer, customerID string, queries []erpnet.Query) ([]erpnet.Literal, error) {
	seen := map[string]bool{}
	var ids []erpnet.Literal
	for _, q := range queries {
		rows, err := listAll[searchHit](ctx, s, v, customerID, cache.KindLists, q.Top(maxSearchHits))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			for _, id := range r.ids() {
				if !seen[id] && len(ids) < maxSearchHits {
					seen[id] = true
					ids = append(ids, erpnet.GUID(id))
				}
			}
		}
	}
	return ids, nil
}

// searchHit is a row of a search query: the document's own Id, or the document a line belongs to.
type searchHit struct {
	ID         string     `json:"Id"`
	SalesOrder erpnet.Ref `json:"SalesOrder"`
	Invoice    erpnet.Ref `json:"Invoice"`
}

func (h searchHit) ids() []string {
	switch {
	case h.SalesOrder.ID != "":
		return []string{h.SalesOrder.ID}
	case h.Invoice.ID != "":
		return []string{h.Invoice.ID}
	}
	return []string{h.ID}
}

// maxExportPages bounds an export at 100,000 rows.
const maxExportPages = 100

// stream reads every row of q page by page (1,000 a page, Erp.Net's recommended size), straight
// from Erp.Net without caching, and hands each to fn: exports never hold a whole list in memory.
func stream[T any](ctx context.Context, s *Service, q erpnet.Query, fn func(T) error) error {
	q = q.Top(1000)
	for range maxExportPages {
		var rows []T
		info, err := s.erp.ListPage(ctx, q, &rows)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if info.Next == "" {
			return nil
		}
		q = erpnet.NextPage(info.Next)
	}
	return errors.New("portal: export larger than 100,000 rows; narrow the filter")
}

// intern is s shared with every other copy of it: the few values that repeat on every cached row
// (states, currencies) are then held once, not once a row.
func intern(s string) string { return unique.Make(s).Value() }

// validID tells whether id is a GUID; anything else cannot name a document.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// sortDocuments orders a document list by the person's column (newest first when none or an
// unknown one is asked), with the document number as the tie-break, so paging is stable.
func sortDocuments(q erpnet.Query, p ListParams, sorts map[string]string) erpnet.Query {
	key, desc := p.Sort, p.Desc
	if _, ok := sorts[key]; !ok {
		key, desc = "date", true
	}
	q = q.OrderBy(sorts[key], desc)
	if key != "number" {
		q = q.OrderBy("DocumentNo", desc)
	}
	return q
}
