package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"
)

// TestDecodedSessionsAreKeptButStillChecked: a session cookie is decoded once, yet every request
// gets a session of its own to change, and the idle and absolute limits still apply to it.
func TestDecodedSessionsAreKeptButStillChecked(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	ck := newCookies(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), false, false, 30*time.Minute, 12*time.Hour, clk.Now)
	w := httptest.NewRecorder()
	if err := ck.saveSession(w, &session{UserID: "u1", Login: "ann", Issued: clk.Now().UnixMilli(), Customers: map[string]string{"cc": "c1"}}); err != nil {
		t.Fatal(err)
	}
	req := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/cc/", nil)
		for _, c := range w.Result().Cookies() {
			r.AddCookie(c)
		}
		return r
	}
	first, err := ck.session(req())
	if err != nil {
		t.Fatal(err)
	}
	first.Customers["cc"] = "c2" // as choosing another customer does, before the cookie is written again
	first.Seen = 0
	second, err := ck.session(req())
	if err != nil {
		t.Fatal(err)
	}
	if ck.decoded.len() != 1 {
		t.Errorf("%d decoded sessions kept, want 1", ck.decoded.len())
	}
	if got, want := second.Customers["cc"], "c1"; got != want {
		t.Errorf("the next request's customer = %q, want %q: a change leaked into the kept session", got, want)
	}
	if second.Seen == 0 {
		t.Error("the next request's last-seen time was changed by the one before")
	}

	tests := []struct {
		advance time.Duration
		valid   bool
	}{
		{29 * time.Minute, true},
		{2 * time.Minute, false}, // 31 minutes idle
	}
	for _, tc := range tests {
		clk.Advance(tc.advance)
		_, err := ck.session(req())
		if got := err == nil; got != tc.valid {
			t.Errorf("after %v more: valid = %v, want %v (err %v)", tc.advance, got, tc.valid, err)
		}
	}

	tampered := req()
	c, _ := tampered.Cookie(sessionCookie)
	tampered.Header.Del("Cookie")
	tampered.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.Value[:len(c.Value)-2] + "xx"})
	if _, err := ck.session(tampered); err == nil {
		t.Error("a tampered cookie is a session")
	}
}
