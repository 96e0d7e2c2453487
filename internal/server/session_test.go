package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	idle, absolute := env.Config.Session.IdleTimeout, env.Config.Session.AbsoluteTimeout

	b, _ := env.SignIn(t, "cc", "basic@orbis.example")
	b.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	clk.Advance(idle - time.Minute)
	if p := b.Get("/cc/profile"); p.Status != 200 {
		t.Fatalf("within the idle timeout: %s", p)
	}
	clk.Advance(idle + time.Second)
	if p := b.Get("/cc/profile"); p.Status != http.StatusFound || !strings.HasPrefix(p.Header.Get("Location"), "/auth/login") {
		t.Errorf("after the idle timeout: %s → %q, want a redirect to sign in", p, p.Header.Get("Location"))
	}

	// A busy session still ends at the absolute timeout.
	b, _ = env.SignIn(t, "cc", "basic@orbis.example")
	b.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for elapsed := idle / 2; elapsed <= absolute; elapsed += idle / 2 {
		clk.Advance(idle / 2)
		if p := b.Get("/cc/profile"); p.Status != 200 {
			t.Fatalf("busy session ended early after %v: %s", elapsed, p)
		}
	}
	clk.Advance(time.Second) // just past the absolute timeout, long within the idle one
	if p := b.Get("/cc/profile"); p.Status != http.StatusFound {
		t.Errorf("after the absolute timeout: %s, want a redirect to sign in", p)
	}
}
