package erpnetsim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// heldRequests sends requests that the instance's latency holds until the test ends them.
type heldRequests struct {
	t      *testing.T
	base   string
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newHeld(t *testing.T, base string) *heldRequests {
	ctx, cancel := context.WithCancel(t.Context())
	h := &heldRequests{t: t, base: base, ctx: ctx, cancel: cancel}
	t.Cleanup(h.end)
	return h
}

// send starts a GetVersion with token that the test does not wait for.
func (h *heldRequests) send(token string) {
	h.wg.Go(func() {
		req, _ := http.NewRequestWithContext(h.ctx, http.MethodGet, h.base+"/api/domain/odata/GetVersion", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	})
}

// end abandons every held request and waits for them.
func (h *heldRequests) end() {
	h.cancel()
	h.wg.Wait()
}

// waitFor polls cond; the bound only turns a hang into a failure, it measures nothing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for giveUp := time.Now().Add(30 * time.Second); !cond(); runtime.Gosched() {
		if time.Now().After(giveUp) {
			t.Fatalf("never: %s", what)
		}
	}
}

func TestSessionRunsOneRequestAndQueuesFive(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	token, other := appToken(t, srv.URL), appToken(t, srv.URL)
	sim.SetFaults(erpnetsim.Faults{Latency: 10 * time.Minute})
	held := newHeld(t, srv.URL)
	held.send(token)
	waitFor(t, "the first request runs", func() bool { return sim.PeakConcurrent() == 1 })
	for range 5 {
		held.send(token)
	}
	waitFor(t, "five requests queue", func() bool { return sim.Waiting() == 5 })
	if got, want := sim.PeakConcurrent(), int64(1); got != want {
		t.Errorf("requests of one session running at once = %d, want %d", got, want)
	}

	resp := apiGet(t, srv.URL, "GetVersion", token)
	if got, want := resp.StatusCode, http.StatusTooManyRequests; got != want {
		t.Errorf("seventh request of the session: got %d, want %d", got, want)
	}
	if got := resp.Header.Get("Retry-After"); got != "" {
		t.Errorf("Retry-After = %q, want none (Erp.Net documents none)", got)
	}
	// Another session has its own queue: it waits for a slot of the instance, not refused.
	held.send(other)
	waitFor(t, "the other session's request runs", func() bool { return sim.PeakConcurrent() == 2 })
	held.end()
	// Queued requests whose clients left leave the queue without running.
	waitFor(t, "the queue empties", func() bool { return sim.Waiting() == 0 })
	if got, want := sim.PeakConcurrent(), int64(2); got != want {
		t.Errorf("peak running = %d, want %d", got, want)
	}
}

func TestInstanceRunsTwoRequestsAtOnce(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	tokens := []string{appToken(t, srv.URL), appToken(t, srv.URL), appToken(t, srv.URL)}
	sim.SetFaults(erpnetsim.Faults{Latency: 10 * time.Minute})
	held := newHeld(t, srv.URL)
	for _, tok := range tokens {
		held.send(tok)
	}
	waitFor(t, "two run and one waits", func() bool { return sim.PeakConcurrent() == 2 && sim.Waiting() == 1 })
	held.end()
	if got, want := sim.PeakConcurrent(), int64(2); got != want {
		t.Errorf("peak running across sessions = %d, want %d", got, want)
	}
}

func TestSessionRequestsPerMinute(t *testing.T) {
	clock := newFakeClock()
	srv, _ := startSim(t, erpnetsim.Options{Now: clock.Now, Limits: erpnetsim.Limits{SessionRPM: 3}})
	token, other := appToken(t, srv.URL), appToken(t, srv.URL)
	steps := []struct {
		advance time.Duration
		token   string
		want    int
	}{
		{0, token, http.StatusOK},
		{10 * time.Second, token, http.StatusOK},
		{10 * time.Second, token, http.StatusOK},
		{0, token, http.StatusTooManyRequests},
		{0, other, http.StatusOK}, // per session
		{39 * time.Second, token, http.StatusTooManyRequests},
		{time.Second, token, http.StatusOK}, // the first request is a minute old
		{0, token, http.StatusTooManyRequests},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		resp := apiGet(t, srv.URL, "GetVersion", st.token)
		if resp.StatusCode != st.want {
			t.Errorf("step %d: got %d, want %d", i+1, resp.StatusCode, st.want)
		}
	}
}

func TestLimitsCanBeTurnedOff(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{Limits: erpnetsim.Limits{SessionConcurrent: -1, GlobalConcurrent: -1}})
	token := appToken(t, srv.URL)
	sim.SetFaults(erpnetsim.Faults{Latency: 10 * time.Minute})
	held := newHeld(t, srv.URL)
	for range 3 {
		held.send(token)
	}
	waitFor(t, "three requests of one session run at once", func() bool { return sim.PeakConcurrent() == 3 })
	if got := sim.Waiting(); got != 0 {
		t.Errorf("waiting = %d, want 0", got)
	}
}

func TestErrorShapeKnob(t *testing.T) {
	tests := []struct {
		shape       string
		wantWrapped bool
	}{
		{"", true},
		{erpnetsim.ErrorsWrapped, true},
		{erpnetsim.ErrorsTopLevel, false},
	}
	for _, tt := range tests {
		t.Run("shape "+tt.shape, func(t *testing.T) {
			srv, sim := startSim(t, erpnetsim.Options{})
			token := appToken(t, srv.URL)
			sim.SetFaults(erpnetsim.Faults{ErrorShape: tt.shape})
			resp := apiGet(t, srv.URL, "No_Such_Set", token)
			body, _ := io.ReadAll(resp.Body)
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("error body %s: %v", body, err)
			}
			fields := got
			if inner, ok := got["error"].(map[string]any); ok {
				fields = inner
			}
			if _, wrapped := got["error"]; wrapped != tt.wantWrapped {
				t.Errorf("body %s: wrapped = %v, want %v", body, wrapped, tt.wantWrapped)
			}
			if msg, _ := fields["message"].(string); msg == "" {
				t.Errorf("body %s has no message", body)
			}
			if _, ok := fields["code"]; !ok {
				t.Errorf("body %s has no code", body)
			}
		})
	}
}

func TestCultureIsRecorded(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	token := appToken(t, srv.URL)
	tests := []struct {
		name string
		edit func(*http.Request)
		want string
	}{
		{"URL first", func(r *http.Request) {
			q := r.URL.Query()
			q.Set("culture", "bg")
			r.URL.RawQuery = q.Encode()
			r.Header.Set("Accept-Language", "de")
		}, "bg"},
		{"cookie", func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: ".AspNetCore.Culture", Value: "c=ro|uic=ro"})
			r.Header.Set("Accept-Language", "de")
		}, "ro"},
		{"Accept-Language", func(r *http.Request) { r.Header.Set("Accept-Language", "de-DE,de;q=0.9") }, "de-DE"},
		{"none", func(r *http.Request) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := sim.CultureCalls(tt.want)
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/domain/odata/GetVersion", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			tt.edit(req)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got, want := sim.CultureCalls(tt.want)-before, int64(1); got != want {
				t.Errorf("requests counted for culture %q = %d, want %d", tt.want, got, want)
			}
		})
	}
}
