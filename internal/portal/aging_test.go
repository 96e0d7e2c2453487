package portal

import (
	"testing"
	"time"
)

func TestAgingBucketBoundaries(t *testing.T) {
	// Late in the day, so a clock that counted hours instead of calendar days would be caught.
	now := time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC)
	s := New(Deps{Now: func() time.Time { return now }})
	tests := []struct {
		daysPast int
		want     string
	}{
		{-10, "current"},
		{0, "current"},
		{1, "1-30"},
		{30, "1-30"},
		{31, "31-60"},
		{60, "31-60"},
		{61, "61-90"},
		{90, "61-90"},
		{91, "over-90"},
		{400, "over-90"},
	}
	for _, tt := range tests {
		due := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -tt.daysPast)
		sum := s.aging([]DuePayment{{DueDate: due, Remaining: Money{Value: 12.34, Currency: "BGN"}}})
		if len(sum.ByCurrency) != 1 {
			t.Fatalf("%d days: %d currencies, want 1", tt.daysPast, len(sum.ByCurrency))
		}
		var got []string
		for _, b := range sum.ByCurrency[0].Buckets {
			if b.Count > 0 {
				got = append(got, b.Key)
			}
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("due %s (%d days past on %s): buckets %v, want [%s]", due.Format("2006-01-02"), tt.daysPast, now.Format("2006-01-02 15:04"), got, tt.want)
		}
	}
}

func TestAgingSumsPerCurrencyInCents(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	s := New(Deps{Now: func() time.Time { return now }})
	item := func(daysPast int, v float64, cur string) DuePayment {
		return DuePayment{DueDate: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -daysPast), Remaining: Money{Value: v, Currency: cur}}
	}
	// Ten times 0.10 is exactly 1.00 only when added in cents.
	var items []DuePayment
	for range 10 {
		items = append(items, item(5, 0.10, "EUR"))
	}
	items = append(items, item(-3, 100.50, "BGN"), item(45, 20.25, "BGN"), item(120, 7.25, "BGN"))
	sum := s.aging(items)
	if got := len(sum.ByCurrency); got != 2 {
		t.Fatalf("currencies = %d, want 2", got)
	}
	if got, want := sum.AsOf, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("AsOf = %s, want %s", got, want)
	}
	bgn, eur := sum.ByCurrency[0], sum.ByCurrency[1]
	tests := []struct {
		name string
		got  Money
		want string
	}{
		{"BGN remaining", bgn.Remaining, "128.00 BGN"},
		{"BGN overdue", bgn.Overdue, "27.50 BGN"},
		{"BGN not yet due", bgn.Buckets[0].Amount, "100.50 BGN"},
		{"BGN 31-60", bgn.Buckets[2].Amount, "20.25 BGN"},
		{"BGN over 90", bgn.Buckets[4].Amount, "7.25 BGN"},
		{"EUR 1-30", eur.Buckets[1].Amount, "1.00 EUR"},
	}
	for _, tt := range tests {
		if got := tt.got.String(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, got, tt.want)
		}
	}
	if eur.Buckets[1].Amount.Value != 1.0 || eur.Count != 10 {
		t.Errorf("EUR 1-30 = %v over %d items, want exactly 1 over 10", eur.Buckets[1].Amount.Value, eur.Count)
	}
}
