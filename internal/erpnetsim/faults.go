package erpnetsim

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/odata"
)

// Faults are the knobs that make the instance misbehave on purpose. The zero value is a healthy
// instance. The knobs endpoint /_sim/ is never affected.
type Faults struct {
	// Latency delays every request before it is answered; a client that gives up earlier gets
	// nothing, as with a slow real server.
	Latency time.Duration
	// LatencyJitter adds up to this much more to each request's Latency, drawn at random, so
	// benchmarks see answers of uneven speed (Latency 20ms, LatencyJitter 30ms: 20–50 ms).
	LatencyJitter time.Duration
	// ErrorRate is the fraction (0..1) of Domain API requests answered 500 with Erp.Net's error
	// body. The failures are spread evenly rather than drawn at random, so runs are reproducible:
	// 0.5 fails every second request, 1 fails all.
	ErrorRate float64
	// Outage makes every request fail with 503.
	Outage bool
	// FailAction names a bound action (e.g. "ChangeState") that is answered 500, as a request
	// the server failed after the ones before it succeeded.
	FailAction string
	// RateLimit is the number of Domain API requests a minute above which the instance answers
	// 429 with Retry-After; 0 turns it off. The minute is a fixed window on the instance's clock.
	RateLimit int
	// MaxConcurrent is the number of Domain API requests the instance holds at once, running or
	// queued under its Limits; one more is answered 429 with Retry-After. 0 turns it off.
	MaxConcurrent int
	// TokenLifetime overrides the access-token lifetime of Options when above 0.
	TokenLifetime time.Duration
	// ErrorShape chooses how Domain API errors are written: ErrorsWrapped ("" means it), the
	// {"error":{...}} form seen from a real server, or ErrorsTopLevel, the {"message",...} form
	// that Erp.Net's docs also show.
	ErrorShape string
}

// Values of Faults.ErrorShape.
const (
	ErrorsWrapped  = "wrapped"
	ErrorsTopLevel = "top-level"
)

// odataPrefix is the path of the Domain API's service root.
const odataPrefix = "/api/domain/odata/"

// faultState holds the current knobs and the request counters.
type faultState struct {
	now func() time.Time

	mu          sync.Mutex
	f           Faults
	errDebt     float64 // accumulated ErrorRate; a request fails each time it reaches 1
	windowStart time.Time
	windowCount int
	calls       map[string]int64
	cultures    map[string]int64
	apiCalls    int64
	held        int64 // Domain API requests running or queued
	inFlight    int64 // Domain API requests running
	peak        int64

	limits *odata.SessionLimits
	// session names a request's session for the limits.
	session func(*http.Request) string
}

// newFaultState starts with knobs f and the instance's Limits, measuring time with now and
// telling sessions apart with session.
func newFaultState(f Faults, lim Limits, now func() time.Time, session func(*http.Request) string) *faultState {
	return &faultState{now: now, f: f, calls: map[string]int64{}, cultures: map[string]int64{},
		limits: odata.NewSessionLimits(lim, now), session: session}
}

// serve applies the knobs and limits to a request in this order: count it, outage, rate-limit
// knob, MaxConcurrent knob, the session's and the instance's limits (waiting in their queues),
// latency, error rate, error shape; then hands it to next.
func (f *faultState) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	api := f.count(r)
	knobs := f.current()
	if knobs.Outage {
		http.Error(w, "The instance is not available (simulated outage).", http.StatusServiceUnavailable)
		return
	}
	if api {
		if wait, ok := f.admitRate(); !ok {
			tooManyRequests(w, wait)
			return
		}
		if !f.hold() {
			tooManyRequests(w, 1)
			return
		}
		defer f.unhold()
		release, why := f.limits.Admit(r.Context(), f.session(r))
		switch why {
		case odata.RefusedRate, odata.RefusedQueue:
			// Erp.Net documents no Retry-After for its own limits: the client must back off.
			http.Error(w, "Too many requests.", http.StatusTooManyRequests)
			return
		case odata.Abandoned:
			return
		}
		defer release()
		f.enter()
		defer f.leave()
		if knobs.ErrorShape == ErrorsTopLevel {
			tw := &odata.TopLevelErrors{ResponseWriter: w}
			defer tw.Finish()
			w = tw
		}
	}
	if delay := knobs.Latency + jitter(knobs.LatencyJitter); delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if api && knobs.FailAction != "" && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/"+knobs.FailAction) {
		odata.WriteServerError(w, "Simulated server error.",
			"The instance's fault knobs (FailAction) failed this action on purpose.")
		return
	}
	if api && f.shouldFail() {
		odata.WriteServerError(w, "Simulated server error.",
			"The instance's fault knobs (ErrorRate) failed this request on purpose.")
		return
	}
	next.ServeHTTP(w, r)
}

// jitter is a random duration in [0, d].
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// tooManyRequests answers 429 asking the client to wait; the body is plain text, as a throttling
// front end writes it (UNCONFIRMED what Erp.Net puts in it).
func tooManyRequests(w http.ResponseWriter, wait int) {
	w.Header().Set("Retry-After", strconv.Itoa(wait))
	http.Error(w, "Too many requests.", http.StatusTooManyRequests)
}

// callKey is the counter a path adds to: the entity set (or function, or $metadata) a Domain API
// request names, or "token" for the token endpoint; api tells Domain API requests apart.
func callKey(path string) (key string, api bool) {
	if rest, ok := strings.CutPrefix(path, odataPrefix); ok {
		if i := strings.IndexAny(rest, "(/?"); i >= 0 {
			rest = rest[:i]
		}
		return rest, true
	}
	if path == "/id/connect/token" {
		return "token", false
	}
	return "", false
}

// count records a request, and the culture a Domain API request asked for, and reports whether
// it is a Domain API request.
func (f *faultState) count(r *http.Request) bool {
	key, api := callKey(r.URL.Path)
	if key == "" && !api {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[key]++
	if api {
		f.apiCalls++
		f.cultures[requestCulture(r)]++
	}
	return api
}

// requestCulture is the language a request asks for, in Erp.Net's order of priority: the URL
// parameter culture=, the .AspNetCore.Culture cookie ("c=bg|uic=bg"), then Accept-Language;
// "" when none.
func requestCulture(r *http.Request) string {
	if c := r.URL.Query().Get("culture"); c != "" {
		return c
	}
	if ck, err := r.Cookie(".AspNetCore.Culture"); err == nil {
		for part := range strings.SplitSeq(ck.Value, "|") {
			if c, ok := strings.CutPrefix(part, "c="); ok && c != "" {
				return c
			}
		}
	}
	al := r.Header.Get("Accept-Language")
	if i := strings.IndexAny(al, ",;"); i >= 0 {
		al = al[:i]
	}
	return strings.TrimSpace(al)
}

// current is a copy of the knobs.
func (f *faultState) current() Faults {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.f
}

// set replaces the knobs and starts the rate window and the error spread afresh, so a test that
// sets knobs sees them act from its next request.
func (f *faultState) set(k Faults) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.f = k
	f.errDebt, f.windowStart, f.windowCount = 0, time.Time{}, 0
}

// admitRate counts a request against the minute's window; when it is full it returns the seconds
// until the window ends.
func (f *faultState) admitRate() (retryAfter int, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f.RateLimit <= 0 {
		return 0, true
	}
	now := f.now()
	if f.windowStart.IsZero() || now.Before(f.windowStart) || now.Sub(f.windowStart) >= time.Minute {
		f.windowStart, f.windowCount = now, 0
	}
	if f.windowCount >= f.f.RateLimit {
		left := f.windowStart.Add(time.Minute).Sub(now)
		return max(1, int(math.Ceil(left.Seconds()))), false
	}
	f.windowCount++
	return 0, true
}

// hold admits a Domain API request under MaxConcurrent, which counts the running and the queued.
func (f *faultState) hold() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f.MaxConcurrent > 0 && f.held >= int64(f.f.MaxConcurrent) {
		return false
	}
	f.held++
	return true
}

// unhold ends a request hold admitted.
func (f *faultState) unhold() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.held--
}

// enter records a request that starts running, and the peak running at once.
func (f *faultState) enter() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight++
	f.peak = max(f.peak, f.inFlight)
}

// leave ends a request enter recorded.
func (f *faultState) leave() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight--
}

// shouldFail spreads ErrorRate evenly over requests.
func (f *faultState) shouldFail() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f.ErrorRate <= 0 {
		return false
	}
	f.errDebt += f.f.ErrorRate
	if f.errDebt >= 1-1e-9 {
		f.errDebt--
		return true
	}
	return false
}
