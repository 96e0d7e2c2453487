package portal

import (
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
)

// At 22:30 UTC on 30 November it is already 1 December in Sofia (UTC+2): the tenant's today,
// this month, the horizon and a delivery date's "past" all follow the tenant's clock.
func TestDaysAreTheTenantsDays(t *testing.T) {
	now := time.Date(2026, 11, 30, 22, 30, 0, 0, time.UTC)
	days := 30
	v := &Viewer{Accesses: []Access{{DaysBack: &days}}}
	v.Current = &v.Accesses[0]
	tests := []struct {
		zone                  string
		today, month, horizon string
	}{
		{"Europe/Sofia", "2026-12-01", "2026-12-01", "2026-11-01"},
		{"UTC", "2026-11-30", "2026-11-01", "2026-10-31"},
		{"America/New_York", "2026-11-30", "2026-11-01", "2026-10-31"},
	}
	// At 03:00 UTC on 1 December it is still 30 November in New York (UTC-5).
	tests = append(tests, struct {
		zone                  string
		today, month, horizon string
	}{"America/New_York@03:00", "2026-11-30", "2026-11-01", "2026-10-31"})
	for _, tt := range tests {
		zone, at := tt.zone, now
		if z, ok := strings.CutSuffix(zone, "@03:00"); ok {
			zone, at = z, time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
		}
		s := New(Deps{Instance: config.Instance{TimeZone: zone}, Now: func() time.Time { return at }})
		day := func(t time.Time) string { return t.Format(time.DateOnly) }
		if got := day(s.today()); got != tt.today {
			t.Errorf("%s: today %s, want %s", tt.zone, got, tt.today)
		}
		if got := day(s.orderDay()); got != tt.today {
			t.Errorf("%s: the first delivery day %s, want %s", tt.zone, got, tt.today)
		}
		noLimit := &Viewer{Accesses: []Access{{}}}
		noLimit.Current = &noLimit.Accesses[0]
		if got := day(s.monthStart(noLimit)); got != tt.month {
			t.Errorf("%s: this month from %s, want %s", tt.zone, got, tt.month)
		}
		if got := day(s.horizon(v)); got != tt.horizon {
			t.Errorf("%s: a 30-day horizon from %s, want %s", tt.zone, got, tt.horizon)
		}
	}
}
