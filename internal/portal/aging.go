package portal

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// AgingBuckets name the aging buckets of the due-payments summary, in order: by whole days past
// the due date as of today.
var AgingBuckets = []struct{ Key, Label string }{
	{"current", "Not yet due"},
	{"1-30", "1–30 days overdue"},
	{"31-60", "31–60 days overdue"},
	{"61-90", "61–90 days overdue"},
	{"over-90", "Over 90 days overdue"},
}

// agingBucket is the index in AgingBuckets of an item daysPast days past its due date (zero or
// less: not yet due).
func agingBucket(daysPast int) int {
	switch {
	case daysPast <= 0:
		return 0
	case daysPast <= 30:
		return 1
	case daysPast <= 60:
		return 2
	case daysPast <= 90:
		return 3
	}
	return 4
}

// daysPast is the number of whole calendar days from due to today (negative before it).
func daysPast(due, today time.Time) int {
	return int(dateOf(today).Sub(dateOf(due)).Hours() / 24)
}

// DueSummary is the aging summary of everything the customer still owes within the viewer's
// horizon, per currency, as of a day.
type DueSummary struct {
	AsOf       time.Time
	ByCurrency []Aging
	// Hidden is how many open items are older than the viewer's horizon: counted, so the page
	// can say that its totals are of what the viewer may see, but never summed or shown.
	Hidden int
}

// Aging is one currency's summary: the total remaining and its split into AgingBuckets.
type Aging struct {
	Currency  string
	Count     int
	Remaining Money
	Overdue   Money // the buckets past their due date together
	Buckets   []AgingAmount
}

// AgingAmount is one bucket of an Aging.
type AgingAmount struct {
	Key, Label string
	Count      int
	Amount     Money
	Overdue    bool
}

// DueSummary ages every open item of the customer within the horizon by the portal's clock. It
// reads the same cached listing as the Due Payments list, so the page costs one call, and it
// ignores the list's filters on purpose: the summary is the whole picture.
func (s *Service) DueSummary(ctx context.Context, v *Viewer) (DueSummary, error) {
	rows, key, version, err := s.openItems(ctx, v)
	if err != nil {
		return DueSummary{}, err
	}
	// Kept beside the open items, made again when they are refetched or the day changes.
	sum, err := derived(s, v.Current.CustomerID, cache.KindLists, "aging\x00"+s.today().Format(time.DateOnly)+"\x00"+key, version,
		func() (DueSummary, error) { return s.aging(rows), nil })
	if err != nil {
		return DueSummary{}, err
	}
	sum.Hidden, err = s.hiddenOpenItems(ctx, v)
	return sum, err
}

// hiddenOpenItems counts the customer's open items older than the viewer's horizon (0 without
// one): one cached $count, so that everyone sees the same debt or is told why not.
func (s *Service) hiddenOpenItems(ctx context.Context, v *Viewer) (int, error) {
	h := s.horizon(v)
	if h.IsZero() {
		return 0, nil
	}
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return 0, err
	}
	return s.countHidden(ctx, v, erpnet.From(erpnet.SetPaymentBalances).Where(append(terms, erpnet.Eq("Direction", erpnet.Enum("Incoming")),
		erpnet.Ge("RemainingAmountValue", erpnet.Decimal(0.01)), beforeDay("RefDocumentDate", h))...))
}

// aging splits open items into buckets per currency. Amounts are added in whole cents, so the
// totals are exact whatever the order of the items.
func (s *Service) aging(items []DuePayment) DueSummary {
	today := s.today()
	type acc struct {
		count   int
		total   int64
		counts  [5]int
		buckets [5]int64
	}
	byCur := map[string]*acc{}
	for _, it := range items {
		a := byCur[it.Remaining.Currency]
		if a == nil {
			a = &acc{}
			byCur[it.Remaining.Currency] = a
		}
		cents := int64(math.Round(it.Remaining.Value * 100))
		b := agingBucket(daysPast(it.DueDate, today))
		a.count++
		a.total += cents
		a.counts[b]++
		a.buckets[b] += cents
	}
	out := DueSummary{AsOf: today}
	for cur, a := range byCur {
		ag := Aging{Currency: cur, Count: a.count, Remaining: Money{float64(a.total) / 100, cur}}
		var overdue int64
		for i, bk := range AgingBuckets {
			ag.Buckets = append(ag.Buckets, AgingAmount{Key: bk.Key, Label: bk.Label, Count: a.counts[i],
				Amount: Money{float64(a.buckets[i]) / 100, cur}, Overdue: i > 0})
			if i > 0 {
				overdue += a.buckets[i]
			}
		}
		ag.Overdue = Money{float64(overdue) / 100, cur}
		out.ByCurrency = append(out.ByCurrency, ag)
	}
	sort.Slice(out.ByCurrency, func(i, j int) bool { return out.ByCurrency[i].Currency < out.ByCurrency[j].Currency })
	return out
}
