package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"
)

// TestSessionCookieNameAndLifetime: over https the session cookie is __Host- prefixed (no
// subdomain or plain-http page can set it), and it ends with the browser session unless the
// instance keeps people signed in.
func TestSessionCookieNameAndLifetime(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	tests := []struct {
		secure, remember bool
		name             string
		maxAge           int
	}{
		{true, false, "__Host-cc_session", 0},
		{true, true, "__Host-cc_session", int((12 * time.Hour).Seconds())},
		{false, false, "cc_session", 0},
	}
	for _, tt := range tests {
		ck := newCookies(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), tt.secure, tt.remember, 30*time.Minute, 12*time.Hour, clk.Now)
		w := httptest.NewRecorder()
		if err := ck.saveSession(w, &session{ID: "s1", UserID: "u1", Issued: clk.Now().UnixMilli()}); err != nil {
			t.Fatal(err)
		}
		cookies := w.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("%d cookies set", len(cookies))
		}
		got := cookies[0]
		if got.Name != tt.name || got.MaxAge != tt.maxAge || got.Path != "/" || got.Domain != "" || got.Secure != tt.secure || !got.HttpOnly {
			t.Errorf("secure %v remember %v: cookie %s Max-Age %d Path %q Domain %q Secure %v, want %s Max-Age %d",
				tt.secure, tt.remember, got.Name, got.MaxAge, got.Path, got.Domain, got.Secure, tt.name, tt.maxAge)
		}
		r := httptest.NewRequest(http.MethodGet, "/cc/", nil)
		r.AddCookie(got)
		if s, err := ck.session(r); err != nil || s.UserID != "u1" {
			t.Errorf("secure %v: reading it back: %v %v", tt.secure, s, err)
		}
	}
}
