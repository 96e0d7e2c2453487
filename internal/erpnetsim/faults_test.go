package erpnetsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestOutageFailsEverythingButTheKnobs(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	token := appToken(t, srv.URL)
	sim.SetFaults(erpnetsim.Faults{Outage: true})
	tests := []struct {
		path string
		want int
	}{
		{"/sys/auto-discovery", http.StatusServiceUnavailable},
		{"/id/.well-known/openid-configuration", http.StatusServiceUnavailable},
		{"/api/domain/odata/GetVersion", http.StatusServiceUnavailable},
		{"/_sim/faults", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("got %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	sim.SetFaults(erpnetsim.Faults{})
	if resp := apiGet(t, srv.URL, "GetVersion", token); resp.StatusCode != http.StatusOK {
		t.Errorf("after the outage: got %d, want 200", resp.StatusCode)
	}
}

func TestLatencyGivesWayToTheClientsDeadline(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	token := appToken(t, srv.URL)
	sim.SetFaults(erpnetsim.Faults{Latency: 10 * time.Minute})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/domain/odata/GetVersion", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the client's deadline to pass first", err)
	}
	// Close waits for running handlers: it returns only if the delay ended with the request.
	srv.Close()
}

func TestErrorRateAnswersErpNetServerErrors(t *testing.T) {
	tests := []struct {
		rate     float64
		requests int
		want500  int
	}{
		{0, 4, 0},
		{0.5, 4, 2},
		{0.25, 8, 2},
		{1, 4, 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("rate %v", tt.rate), func(t *testing.T) {
			srv, sim := startSim(t, erpnetsim.Options{})
			token := appToken(t, srv.URL)
			sim.SetFaults(erpnetsim.Faults{ErrorRate: tt.rate})
			got := 0
			for range tt.requests {
				resp := apiGet(t, srv.URL, "GetVersion", token)
				if resp.StatusCode != http.StatusInternalServerError {
					continue
				}
				got++
				var body struct {
					Error struct {
						Code          int
						Message, Type string
					}
				}
				if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
					t.Fatal(err)
				}
				if body.Error.Code != 2029 || body.Error.Message != "Simulated server error." ||
					body.Error.Type != "Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException" {
					t.Errorf("got error body %+v, want Erp.Net's shape with code 2029", body.Error)
				}
			}
			if got != tt.want500 {
				t.Errorf("got %d server errors in %d requests, want %d", got, tt.requests, tt.want500)
			}
		})
	}
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	clock := newFakeClock()
	srv, sim := startSim(t, erpnetsim.Options{Now: clock.Now})
	token := appToken(t, srv.URL)
	sim.SetFaults(erpnetsim.Faults{RateLimit: 2})
	steps := []struct {
		advance        time.Duration
		wantStatus     int
		wantRetryAfter string
	}{
		{0, http.StatusOK, ""},
		{0, http.StatusOK, ""},
		{0, http.StatusTooManyRequests, "60"},
		{45 * time.Second, http.StatusTooManyRequests, "15"},
		{15 * time.Second, http.StatusOK, ""},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		resp := apiGet(t, srv.URL, "GetVersion", token)
		if resp.StatusCode != st.wantStatus || resp.Header.Get("Retry-After") != st.wantRetryAfter {
			t.Errorf("request %d: got %d Retry-After %q, want %d %q", i+1, resp.StatusCode,
				resp.Header.Get("Retry-After"), st.wantStatus, st.wantRetryAfter)
		}
	}
}

func TestMaxConcurrentRefusesTheOneTooMany(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	token := appToken(t, srv.URL)
	sim.SetFaults(erpnetsim.Faults{MaxConcurrent: 1, Latency: 10 * time.Minute})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/domain/odata/GetVersion", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	// Wait until the first request is held by the latency; the bound only guards against a hang.
	for giveUp := time.Now().Add(30 * time.Second); sim.PeakConcurrent() < 1; runtime.Gosched() {
		if time.Now().After(giveUp) {
			t.Fatal("the first request never came in flight")
		}
	}
	resp := apiGet(t, srv.URL, "GetVersion", token)
	cancel()
	<-done
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("second request in flight: got %d Retry-After %q, want 429 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if got := sim.PeakConcurrent(); got != 1 {
		t.Errorf("got peak %d in flight, want 1", got)
	}
}

func TestKnobsAnswerLoopbackOnly(t *testing.T) {
	sim := erpnetsim.New(erpnetsim.Options{})
	tests := []struct {
		remote string
		want   int
	}{
		{"192.0.2.1:4000", http.StatusForbidden},
		{"10.1.2.3:4000", http.StatusForbidden},
		{"[2001:db8::1]:4000", http.StatusForbidden},
		{"127.0.0.1:4000", http.StatusOK},
		{"[::1]:4000", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.remote, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/_sim/faults", strings.NewReader(`{"Outage":true}`))
			req.RemoteAddr = tt.remote
			rec := httptest.NewRecorder()
			sim.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("got %d, want %d", rec.Code, tt.want)
			}
			if got := sim.CurrentFaults().Outage; got != (tt.want == http.StatusOK) {
				t.Errorf("got Outage %v after the call", got)
			}
			sim.SetFaults(erpnetsim.Faults{})
		})
	}
}

func TestKnobsEndpointMergesAndValidates(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	post := func(body string) int {
		resp, err := http.Post(srv.URL+"/_sim/faults", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		body       string
		wantStatus int
		want       erpnetsim.Faults
	}{
		{`{"ErrorRate":0.5,"Latency":"250ms"}`, http.StatusOK, erpnetsim.Faults{ErrorRate: 0.5, Latency: 250 * time.Millisecond}},
		{`{"RateLimit":600,"TokenLifetime":"30s"}`, http.StatusOK,
			erpnetsim.Faults{ErrorRate: 0.5, Latency: 250 * time.Millisecond, RateLimit: 600, TokenLifetime: 30 * time.Second}},
		{`{"ErrorRate":2}`, http.StatusBadRequest,
			erpnetsim.Faults{ErrorRate: 0.5, Latency: 250 * time.Millisecond, RateLimit: 600, TokenLifetime: 30 * time.Second}},
		{`{"Latency":"soon"}`, http.StatusBadRequest,
			erpnetsim.Faults{ErrorRate: 0.5, Latency: 250 * time.Millisecond, RateLimit: 600, TokenLifetime: 30 * time.Second}},
		{`{"Outrage":true}`, http.StatusBadRequest,
			erpnetsim.Faults{ErrorRate: 0.5, Latency: 250 * time.Millisecond, RateLimit: 600, TokenLifetime: 30 * time.Second}},
		{`{"ErrorRate":0,"Latency":"0s","RateLimit":0,"TokenLifetime":"0s","MaxConcurrent":2}`, http.StatusOK,
			erpnetsim.Faults{MaxConcurrent: 2}},
		{`{"ErrorShape":"top-level","LatencyJitter":"30ms"}`, http.StatusOK,
			erpnetsim.Faults{MaxConcurrent: 2, ErrorShape: erpnetsim.ErrorsTopLevel, LatencyJitter: 30 * time.Millisecond}},
		{`{"ErrorShape":"flat"}`, http.StatusBadRequest,
			erpnetsim.Faults{MaxConcurrent: 2, ErrorShape: erpnetsim.ErrorsTopLevel, LatencyJitter: 30 * time.Millisecond}},
		{`{"ErrorShape":"","LatencyJitter":"-1s"}`, http.StatusBadRequest,
			erpnetsim.Faults{MaxConcurrent: 2, ErrorShape: erpnetsim.ErrorsTopLevel, LatencyJitter: 30 * time.Millisecond}},
		{`{"ErrorShape":"","LatencyJitter":"0s"}`, http.StatusOK, erpnetsim.Faults{MaxConcurrent: 2}},
	}
	for _, tt := range tests {
		if got := post(tt.body); got != tt.wantStatus {
			t.Errorf("POST %s: got %d, want %d", tt.body, got, tt.wantStatus)
		}
		if got := sim.CurrentFaults(); got != tt.want {
			t.Errorf("after POST %s: got %+v, want %+v", tt.body, got, tt.want)
		}
	}
	resp, err := http.Get(srv.URL + "/_sim/faults")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got["MaxConcurrent"] != 2.0 || got["Latency"] != "0s" {
		t.Errorf("GET /_sim/faults: got %v, want MaxConcurrent 2 and Latency 0s", got)
	}
}

func TestCallCountersCountPerEntitySet(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	token := appToken(t, srv.URL)
	for _, path := range []string{
		"Crm_Sales_SalesOrders?$top=1",
		"Crm_Sales_SalesOrders/$count",
		"Crm_Sales_SalesOrders(00000000-0000-0000-0000-000000000000)/Lines",
		"Crm_Sales_Customers?$top=1",
		"GetVersion",
	} {
		apiGet(t, srv.URL, path, token)
	}
	tests := []struct {
		set  string
		want int64
	}{
		{"Crm_Sales_SalesOrders", 3},
		{"Crm_Sales_Customers", 1},
		{"GetVersion", 1},
		{"Crm_Invoicing_Invoices", 0},
		{"token", 1},
	}
	for _, tt := range tests {
		if got := sim.Calls(tt.set); got != tt.want {
			t.Errorf("Calls(%q): got %d, want %d", tt.set, got, tt.want)
		}
	}
	if got := sim.TotalAPICalls(); got != 5 {
		t.Errorf("TotalAPICalls: got %d, want 5", got)
	}

	resp, err := http.Get(srv.URL + "/_sim/calls")
	if err != nil {
		t.Fatal(err)
	}
	var counts map[string]int64
	err = json.NewDecoder(resp.Body).Decode(&counts)
	resp.Body.Close()
	if err != nil || counts["Crm_Sales_SalesOrders"] != 3 || counts["token"] != 1 || counts["_total"] != 5 {
		t.Errorf("GET /_sim/calls: got %v (%v), want the same counts", counts, err)
	}

	reset, err := http.Post(srv.URL+"/_sim/calls/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	reset.Body.Close()
	if reset.StatusCode != http.StatusNoContent || sim.Calls("Crm_Sales_SalesOrders") != 0 || sim.TotalAPICalls() != 0 {
		t.Errorf("after reset: got status %d, %d calls, want 204 and none", reset.StatusCode, sim.TotalAPICalls())
	}
}
