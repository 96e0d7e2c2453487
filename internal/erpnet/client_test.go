package erpnet

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func okRows(w http.ResponseWriter, r *http.Request) { writeRows(w, "", guid(1)) }

func TestDiscovery(t *testing.T) {
	tests := []struct {
		name     string
		old      bool
		noRoot   bool
		wantRoot string
	}{
		{name: "current path", wantRoot: "/api/domain/odata/"},
		{name: "older path after 404", old: true, wantRoot: "/api/domain/odata/"},
		{name: "root from the site Url", noRoot: true, wantRoot: "/api/domain/odata/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, okRows)
			f.oldDiscoveryOnly, f.noODataRoot = tt.old, tt.noRoot
			c, _ := newTestClient(t, f, nil)
			if got, want := c.ODataRoot(), f.srv.URL+tt.wantRoot; got != want {
				t.Errorf("ODataRoot() = %q, want %q", got, want)
			}
			if got, want := c.Authority(), f.srv.URL+"/id"; got != want {
				t.Errorf("Authority() = %q, want %q", got, want)
			}
		})
	}
}

func TestNewClientDefersDiscoveryWhileInstanceIsDown(t *testing.T) {
	f := newFake(t, okRows)
	f.discoveryStatus.Store(http.StatusServiceUnavailable)
	c, _ := newTestClient(t, f, nil)
	if got := c.ODataRoot(); got != "" {
		t.Fatalf("ODataRoot() while down = %q, want empty", got)
	}
	var rows []SalesOrder
	_, err := c.List(context.Background(), From(SetSalesOrders), &rows)
	if !IsUnavailable(err) {
		t.Fatalf("List while down: err = %v, want unavailable", err)
	}

	f.discoveryStatus.Store(0)
	if _, err := c.List(context.Background(), From(SetSalesOrders), &rows); err != nil {
		t.Fatalf("List after recovery: %v", err)
	}
	if got, want := len(rows), 1; got != want {
		t.Errorf("rows = %d, want %d", got, want)
	}
	if c.ODataRoot() == "" {
		t.Error("ODataRoot() still empty after a successful call")
	}
}

func TestNewClientRefusesBadConfig(t *testing.T) {
	f := newFake(t, okRows)
	f.discoveryStatus.Store(http.StatusNotFound) // no discovery on either path is not an outage
	f.oldDiscoveryOnly = true
	mux := http.NewServeMux()
	mux.HandleFunc("/", http.NotFound)
	noDiscovery := httptest.NewServer(mux)
	defer noDiscovery.Close()

	tests := []struct {
		name string
		cfg  Config
	}{
		{"no scheme", Config{InstanceURL: "erp.example", ClientID: "app", ClientSecret: "secret"}},
		{"no secret", Config{InstanceURL: f.srv.URL, ClientID: "app"}},
		{"no auto-discovery", Config{InstanceURL: noDiscovery.URL, ClientID: "app", ClientSecret: "secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(context.Background(), tt.cfg)
			if err == nil {
				t.Fatal("NewClient succeeded, want an error")
			}
			if !strings.HasPrefix(err.Error(), "erpnet: ") {
				t.Errorf("error %q lacks the erpnet: prefix", err)
			}
		})
	}
}

func TestUnreachableInstanceIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, err := NewClient(context.Background(), Config{InstanceURL: url, ClientID: "app", ClientSecret: "secret"})
	if err != nil {
		t.Fatalf("NewClient with the instance down: %v, want a client", err)
	}
	_, err = c.Count(context.Background(), From(SetSalesOrders))
	if !IsUnavailable(err) || !errors.Is(err, ErrUnavailable) {
		t.Errorf("Count: err = %v, want unavailable", err)
	}
}

func TestRenewsTokenOnceOn401(t *testing.T) {
	tests := []struct {
		name         string
		refuse       func(auth string) bool
		wantErr      bool
		wantTokens   int32
		wantAPICalls int32
	}{
		{name: "first token refused", refuse: func(a string) bool { return a == "Bearer tok-1" }, wantTokens: 2, wantAPICalls: 2},
		{name: "every token refused", refuse: func(string) bool { return true }, wantErr: true, wantTokens: 2, wantAPICalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.refuse(r.Header.Get("Authorization")) {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				okRows(w, r)
			})
			c, _ := newTestClient(t, f, nil)
			var rows []SalesOrder
			_, err := c.List(context.Background(), From(SetSalesOrders), &rows)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			var e *Error
			if tt.wantErr && (!errors.As(err, &e) || e.Status != http.StatusUnauthorized) {
				t.Errorf("err = %v, want an *Error with status 401", err)
			}
			if got := f.tokens.Load(); got != tt.wantTokens {
				t.Errorf("tokens fetched = %d, want %d", got, tt.wantTokens)
			}
			if got := f.apiCalls.Load(); got != tt.wantAPICalls {
				t.Errorf("API calls = %d, want %d", got, tt.wantAPICalls)
			}
		})
	}
}

func TestTokenIsReusedUntilItExpires(t *testing.T) {
	f := newFake(t, okRows)
	clock := newFakeClock()
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.Now = clock.Now })
	ctx := context.Background()
	var rows []SalesOrder
	for range 3 {
		if _, err := c.List(ctx, From(SetSalesOrders), &rows); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := f.tokens.Load(), int32(1); got != want {
		t.Fatalf("tokens for 3 calls = %d, want %d", got, want)
	}
	clock.Advance(time.Hour) // expires_in was 3600
	if _, err := c.List(ctx, From(SetSalesOrders), &rows); err != nil {
		t.Fatal(err)
	}
	if got, want := f.tokens.Load(), int32(2); got != want {
		t.Errorf("tokens after expiry = %d, want %d", got, want)
	}
}

func TestRefusedCredentialsAreNotAnOutage(t *testing.T) {
	f := newFake(t, okRows)
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.ClientSecret = "wrong" })
	_, err := c.Count(context.Background(), From(SetSalesOrders))
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || !strings.Contains(e.Message, "invalid_client") {
		t.Fatalf("err = %v, want a 400 invalid_client *Error", err)
	}
	if IsUnavailable(err) {
		t.Error("refused credentials reported as unavailability")
	}
	if got := f.apiCalls.Load(); got != 0 {
		t.Errorf("API calls without a token = %d, want 0", got)
	}
}

func TestRetriesHonourRetryAfter(t *testing.T) {
	clock := newFakeClock()
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantMin    time.Duration
		wantMax    time.Duration
	}{
		{name: "429 seconds", status: http.StatusTooManyRequests, retryAfter: "2", wantMin: 2 * time.Second, wantMax: 2 * time.Second},
		{name: "503 HTTP date", status: http.StatusServiceUnavailable,
			retryAfter: clock.Now().Add(3 * time.Second).Format(http.TimeFormat), wantMin: 3 * time.Second, wantMax: 3 * time.Second},
		{name: "429 without header backs off", status: http.StatusTooManyRequests, wantMin: backoffBase / 2, wantMax: backoffBase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				calls++
				if calls == 1 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.WriteHeader(tt.status)
					return
				}
				okRows(w, r)
			})
			c, rec := newTestClient(t, f, func(cfg *Config) { cfg.Now = clock.Now })
			var rows []SalesOrder
			if _, err := c.List(context.Background(), From(SetSalesOrders), &rows); err != nil {
				t.Fatalf("List: %v", err)
			}
			waits := rec.recorded()
			if len(waits) != 1 {
				t.Fatalf("waits = %v, want one", waits)
			}
			if got := waits[0]; got < tt.wantMin || got > tt.wantMax {
				t.Errorf("wait = %v, want within [%v, %v]", got, tt.wantMin, tt.wantMax)
			}
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	tests := []struct {
		name   string
		status int
		check  func(error) bool
	}{
		{"503 stays unavailable", http.StatusServiceUnavailable, IsUnavailable},
		{"429 stays rate limited", http.StatusTooManyRequests, IsRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tt.status) })
			c, rec := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = 2 })
			_, err := c.Count(context.Background(), From(SetSalesOrders))
			if !tt.check(err) {
				t.Errorf("err = %v, want it classified", err)
			}
			if got, want := f.apiCalls.Load(), int32(3); got != want {
				t.Errorf("attempts = %d, want %d", got, want)
			}
			if got, want := len(rec.recorded()), 2; got != want {
				t.Errorf("waits = %d, want %d", got, want)
			}
		})
	}
}

func TestRetryAfterBeyondDeadlineGivesUpAtOnce(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c, rec := newTestClient(t, f, nil)
	_, err := c.Count(context.Background(), From(SetSalesOrders))
	if !IsRateLimited(err) {
		t.Fatalf("err = %v, want rate limited", err)
	}
	if got := rec.recorded(); len(got) != 0 {
		t.Errorf("waited %v past the deadline, want no wait", got)
	}
}

func TestErrorAnswers(t *testing.T) {
	tests := []struct {
		name        string
		answer      http.HandlerFunc
		wantStatus  int
		wantCode    int
		wantMessage string
		notFound    bool
		duplicate   bool
		unavailable bool
	}{
		{name: "business error", answer: func(w http.ResponseWriter, r *http.Request) {
			erpError(w, 500, 2029, "Released documents cannot be changed.", "at Aloe.Server stack")
		}, wantStatus: 500, wantCode: 2029, wantMessage: "Released documents cannot be changed."},
		{name: "duplicate", answer: func(w http.ResponseWriter, r *http.Request) {
			erpError(w, 500, 2129, "Prohibited duplication in table Crm_Sales_SalesOrders.", "")
		}, wantStatus: 500, wantCode: 2129, wantMessage: "Prohibited duplication in table Crm_Sales_SalesOrders.", duplicate: true},
		{name: "not found", answer: func(w http.ResponseWriter, r *http.Request) {
			erpError(w, 404, 0, "Entity not found.", "")
		}, wantStatus: 404, wantMessage: "Entity not found.", notFound: true},
		{name: "proxy page", answer: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("<html>upstream down</html>"))
		}, wantStatus: 502, wantMessage: "Bad Gateway", unavailable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.answer)
			c, _ := newTestClient(t, f, nil)
			var o SalesOrder
			err := c.Get(context.Background(), SetSalesOrders, guid(7), Query{}, &o)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Status != tt.wantStatus || e.Code != tt.wantCode || e.Message != tt.wantMessage {
				t.Errorf("got status %d code %d message %q, want %d %d %q",
					e.Status, e.Code, e.Message, tt.wantStatus, tt.wantCode, tt.wantMessage)
			}
			if got := IsNotFound(err); got != tt.notFound {
				t.Errorf("IsNotFound = %v, want %v", got, tt.notFound)
			}
			if got := IsDuplicate(err); got != tt.duplicate {
				t.Errorf("IsDuplicate = %v, want %v", got, tt.duplicate)
			}
			if got := IsUnavailable(err); got != tt.unavailable {
				t.Errorf("IsUnavailable = %v, want %v", got, tt.unavailable)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "erpnet: ") {
				t.Errorf("Error() = %q, want the erpnet: prefix", msg)
			}
			if tt.wantCode != 0 && !strings.Contains(msg, "2") {
				t.Errorf("Error() = %q lacks the code", msg)
			}
			if e.Info != "" && strings.Contains(msg, e.Info) {
				t.Errorf("Error() = %q shows the diagnostic info", msg)
			}
		})
	}
}

func TestCallDeadline(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers in time
	})
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond })
	_, err := c.Count(context.Background(), From(SetSalesOrders))
	if !IsUnavailable(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow answer: err = %v, want a deadline (unavailable)", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Count(ctx, From(SetSalesOrders))
	if !errors.Is(err, context.Canceled) || IsUnavailable(err) {
		t.Errorf("cancelled call: err = %v, want context.Canceled, not unavailable", err)
	}
}

func TestDebugLogNamesTheCallButNotTheToken(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	f := newFake(t, okRows)
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.Logger = zap.New(core) })
	var rows []SalesOrder
	if _, err := c.List(context.Background(), From(SetSalesOrders), &rows); err != nil {
		t.Fatal(err)
	}
	calls := logs.FilterMessage("erpnet: call").All()
	if len(calls) != 1 {
		t.Fatalf("call log lines = %d, want 1", len(calls))
	}
	fields := calls[0].ContextMap()
	for key, want := range map[string]any{"method": "GET", "set": SetSalesOrders, "status": int64(200), "attempt": int64(1)} {
		if got := fields[key]; got != want {
			t.Errorf("log field %s = %v, want %v", key, got, want)
		}
	}
	if _, ok := fields["duration"]; !ok {
		t.Error("log line has no duration")
	}
	for _, e := range logs.All() {
		for k, v := range e.ContextMap() {
			if s, ok := v.(string); ok && strings.Contains(s, "tok-") {
				t.Errorf("log field %s carries the token: %q", k, s)
			}
		}
	}
}
