package server

import (
	"strconv"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"
)

// TestRevocationsExpireWithWhatTheyName: a mark holds until its time is up and is then dropped,
// so a busy day of sign-outs does not grow the process for good.
func TestRevocationsExpireWithWhatTheyName(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	r := newMemoryRevocations(clk.Now)
	for i := range 1000 {
		r.Revoke("s"+strconv.Itoa(i), clk.Now().Add(12*time.Hour))
	}
	tests := []struct {
		after     time.Duration
		id        string
		revoked   bool
		wantMarks int
	}{
		{0, "s1", true, 1001},
		{11 * time.Hour, "s999", true, 1001},
		{13 * time.Hour, "s1", false, 1}, // the sweep of the probe's Revoke leaves only the probe
	}
	start := clk.Now()
	for _, tt := range tests {
		clk.Advance(start.Add(tt.after).Sub(clk.Now()))
		if got := r.IsRevoked(tt.id); got != tt.revoked {
			t.Errorf("after %s: IsRevoked(%s) = %v, want %v", tt.after, tt.id, got, tt.revoked)
		}
		r.Revoke("probe", clk.Now().Add(time.Minute))
		if got := r.size(); got != tt.wantMarks {
			t.Errorf("after %s: %d marks held, want %d", tt.after, got, tt.wantMarks)
		}
	}
	if at, ok := r.RevokedAt("probe"); !ok || !at.Equal(clk.Now()) {
		t.Errorf("RevokedAt(probe) = %v, %v; want now", at, ok)
	}
}
