package erpnet

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestErrorBodiesInBothDocumentedShapes(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Error
	}{
		{"wrapped, every field",
			`{"error":{"code":2029,"message":"Released documents cannot be changed.","type":"Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException","info":"at Aloe.Server","messageFormat":"{0} documents cannot be changed.","parameters":["Released",3]}}`,
			Error{Code: 2029, Message: "Released documents cannot be changed.", Type: "Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException",
				Info: "at Aloe.Server", MessageFormat: "{0} documents cannot be changed.", Parameters: []string{"Released", "3"}}},
		{"top level",
			`{"message":"Prohibited duplication in table Crm_Sales_SalesOrders.","code":2129,"type":"EnterpriseOneServerException","info":"diag"}`,
			Error{Code: 2129, Message: "Prohibited duplication in table Crm_Sales_SalesOrders.", Type: "EnterpriseOneServerException", Info: "diag"}},
		{"code 0 with a .NET exception",
			`{"error":{"code":0,"message":"Specified method is not supported.","type":"System.NotSupportedException"}}`,
			Error{Message: "Specified method is not supported.", Type: "System.NotSupportedException"}},
		{"top level, type only",
			`{"type":"InvalidOperationException"}`,
			Error{Message: "Internal Server Error", Type: "InvalidOperationException"}},
		{"code as a string", `{"error":{"code":"2129","message":"dup"}}`, Error{Code: 2129, Message: "dup"}},
		{"OAuth2 error is not the shape", `{"error":"invalid_client"}`,
			Error{Message: "Internal Server Error", Info: `{"error":"invalid_client"}`}},
		{"empty body", ``, Error{Message: "Internal Server Error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeError("GET X", http.StatusInternalServerError, []byte(tt.body))
			want := tt.want
			want.Op, want.Status = "GET X", http.StatusInternalServerError
			if got.Code != want.Code || got.Message != want.Message || got.Type != want.Type || got.Info != want.Info ||
				got.MessageFormat != want.MessageFormat || !slices.Equal(got.Parameters, want.Parameters) {
				t.Errorf("got %+v, want %+v", *got, want)
			}
		})
	}
}

func TestErrorTextNamesTheExceptionWhenThereIsNoCode(t *testing.T) {
	e := &Error{Op: "GET X", Status: 500, Message: "Not supported.", Type: "System.NotSupportedException", Info: "secret stack"}
	if got, want := e.Error(), "erpnet: GET X: NotSupportedException: Not supported. (HTTP 500)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// okCount answers a $count.
func okCount(w http.ResponseWriter, r *http.Request) { w.Write([]byte("1")) }

func TestTokenEndpointComesFromDiscovery(t *testing.T) {
	f := newFake(t, okCount)
	c, _ := newTestClient(t, f, nil)
	if _, err := c.Count(context.Background(), From(SetSalesOrders)); err != nil {
		t.Fatal(err)
	}
	if got, want := f.tokens.Load(), int32(1); got != want {
		t.Errorf("tokens issued at %s = %d, want %d", fakeTokenPath, got, want)
	}
}

func TestDiscoveryWithoutTokenEndpointFails(t *testing.T) {
	f := newFake(t, okRows)
	f.noTokenEndpoint = true
	_, err := NewClient(context.Background(), Config{InstanceURL: f.srv.URL, ClientID: "app", ClientSecret: "secret"})
	if err == nil || !strings.Contains(err.Error(), "token_endpoint") {
		t.Errorf("NewClient = %v, want an error naming token_endpoint", err)
	}
}

func TestAmountAndQuantityValuesFromNumbersOrStrings(t *testing.T) {
	tests := []struct {
		body   string
		want   float64
		wantOK bool
	}{
		{`{"Value":3.55,"Currency":"EUR","Unit":"kg"}`, 3.55, true},
		{`{"Value":"3.55","Currency":"EUR","Unit":"kg"}`, 3.55, true},
		{`{"Value":"-1234567.891","Currency":"EUR","Unit":"kg"}`, -1234567.891, true},
		{`{"Value":"1e3","Currency":"EUR","Unit":"kg"}`, 1000, true},
		{`{"Value":null,"Currency":"EUR","Unit":"kg"}`, 0, true},
		{`{"Value":"","Currency":"EUR","Unit":"kg"}`, 0, true},
		{`{"Currency":"EUR","Unit":"kg"}`, 0, true},
		{`{"Value":"NaN","Currency":"EUR","Unit":"kg"}`, 0, false},
		{`{"Value":"3,55","Currency":"EUR","Unit":"kg"}`, 0, false},
		{`{"Value":true,"Currency":"EUR","Unit":"kg"}`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			var a Amount
			errA := json.Unmarshal([]byte(tt.body), &a)
			var q Quantity
			errQ := json.Unmarshal([]byte(tt.body), &q)
			if (errA == nil) != tt.wantOK || (errQ == nil) != tt.wantOK {
				t.Fatalf("errors %v, %v; want ok %v", errA, errQ, tt.wantOK)
			}
			if !tt.wantOK {
				return
			}
			if got, want := a, (Amount{Value: tt.want, Currency: "EUR"}); got != want {
				t.Errorf("amount = %+v, want %+v", got, want)
			}
			if got, want := q, (Quantity{Value: tt.want, Unit: "kg"}); got != want {
				t.Errorf("quantity = %+v, want %+v", got, want)
			}
		})
	}
}

func TestCultureIsSentInTheURL(t *testing.T) {
	var mu sync.Mutex
	var got []string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.Query()["culture"]...)
		mu.Unlock()
		okCount(w, r)
	})
	c, _ := newTestClient(t, f, nil)
	tests := []struct {
		ctx  context.Context
		want []string
	}{
		{WithCulture(context.Background(), "bg"), []string{"bg"}},
		{context.Background(), nil},
		{WithCulture(context.Background(), ""), nil},
	}
	for _, tt := range tests {
		got = nil
		if _, err := c.Count(tt.ctx, From(SetSalesOrders).Where(Eq("DocumentNo", Str("A B")))); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("culture parameters = %v, want %v", got, tt.want)
		}
	}
}

func TestWithCultureParam(t *testing.T) {
	tests := []struct{ target, want string }{
		{"GetVersion", "GetVersion?culture=bg"},
		{"Set?$top=5&$filter=A%20eq%201", "Set?$top=5&$filter=A%20eq%201&culture=bg"},
		{"http://x/api/Set?$skiptoken=9&culture=en", "http://x/api/Set?$skiptoken=9&culture=bg"},
	}
	for _, tt := range tests {
		if got := withCultureParam(tt.target, "bg"); got != tt.want {
			t.Errorf("withCultureParam(%q) = %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestPaceKeepsAnyWindowWithinTheAllowance(t *testing.T) {
	for _, rpm := range []int{600, 60, 7, 1} {
		p := newPace(rpm)
		start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		var sent []time.Time
		// A caller that sends whenever the pace allows, for five minutes of the pace's time.
		for now := start; now.Before(start.Add(5 * time.Minute)); now = now.Add(10 * time.Millisecond) {
			for p.reserve(now) == 0 {
				sent = append(sent, now)
			}
		}
		if got := sent[rpm-1]; !got.Equal(start) {
			t.Errorf("rpm %d: request %d went at %v, want the whole allowance at once", rpm, rpm, got.Sub(start))
		}
		worst := 0
		for i, at := range sent {
			n := 0
			for _, later := range sent[i:] {
				if later.Sub(at) < paceWindow {
					n++
				}
			}
			worst = max(worst, n)
		}
		if worst != rpm {
			t.Errorf("rpm %d: at most %d requests within a window, want %d", rpm, worst, rpm)
		}
		if got, want := len(sent), 5*rpm; got < want*9/10 || got > want {
			t.Errorf("rpm %d: %d requests in five minutes, want about %d", rpm, got, want)
		}
	}
}

func TestExportGate(t *testing.T) {
	var g ExportGate
	type step struct {
		key     string
		release string // instead of acquiring, release the first hold of this key
		wantOK  bool
	}
	steps := []step{
		{key: "a", wantOK: true},
		{key: "a", wantOK: false},
		{key: "b", wantOK: true},
		{release: "a"},
		{release: "a"}, // a second release is harmless
		{key: "a", wantOK: true},
		{key: "b", wantOK: false},
	}
	held := map[string][]func(){}
	for i, st := range steps {
		if st.release != "" {
			held[st.release][0]()
			continue
		}
		release, ok := g.TryAcquire(st.key)
		if ok != st.wantOK {
			t.Errorf("step %d: TryAcquire(%q) ok = %v, want %v", i+1, st.key, ok, st.wantOK)
		}
		if ok {
			held[st.key] = append(held[st.key], release)
		}
	}
	if got, want := g.Running(), 2; got != want {
		t.Errorf("Running() = %d, want %d", got, want)
	}
}

func TestBackoffWithoutRetryAfterGrows(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTooManyRequests) })
	c, rec := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = 4 })
	_, err := c.Count(context.Background(), From(SetSalesOrders))
	if !IsRateLimited(err) {
		t.Fatalf("err = %v, want rate limited", err)
	}
	waits := rec.recorded()
	if len(waits) != 4 {
		t.Fatalf("waits = %v, want 4", waits)
	}
	for i, got := range waits {
		ceiling := backoffBase << i
		if got < ceiling/2 || got > ceiling {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, got, ceiling/2, ceiling)
		}
	}
}

func TestPaceBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	f := newFake(t, okCount)
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.RequestsPerMinute = 1; cfg.Timeout = 30 * time.Second })
	if _, err := c.Count(context.Background(), From(SetSalesOrders)); err != nil {
		t.Fatal(err)
	}
	// The next turn is a minute away, past the deadline: the call fails without waiting.
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	_, err := c.Count(ctx, From(SetSalesOrders))
	if !errors.Is(err, context.DeadlineExceeded) || !IsUnavailable(err) {
		t.Errorf("err = %v, want a deadline", err)
	}
}
