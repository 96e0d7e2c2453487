package server

import (
	"testing"
	"time"
)

// The stale notice's age reads right in both languages, one and many alike.
func TestHumanAgeGrammar(t *testing.T) {
	tests := []struct {
		d      time.Duration
		en, bg string
	}{
		{30 * time.Second, "less than a minute", "по-малко от минута"},
		{time.Minute, "1 minute", "1 минута"},
		{10 * time.Minute, "10 minutes", "10 минути"},
		{time.Hour, "1 hour", "1 час"},
		{5 * time.Hour, "5 hours", "5 часа"},
		{3 * 24 * time.Hour, "3 days", "3 дни"},
	}
	for _, tt := range tests {
		if got := humanAge("en", tt.d); got != tt.en {
			t.Errorf("%v in English: %q, want %q", tt.d, got, tt.en)
		}
		if got := humanAge("bg", tt.d); got != tt.bg {
			t.Errorf("%v in Bulgarian: %q, want %q", tt.d, got, tt.bg)
		}
	}
}
