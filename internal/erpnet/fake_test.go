package erpnet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"
)

// fakeInstance is a minimal Erp.Net instance for the client's error paths: auto-discovery, a
// token endpoint handing out "tok-1", "tok-2", ..., and a Domain API served by the test's handler.
type fakeInstance struct {
	srv *httptest.Server
	// api serves everything under /api/domain/odata/ (the path is left as sent).
	api http.HandlerFunc
	// discoveryStatus, when not 0, is answered by /sys/auto-discovery instead of the document.
	discoveryStatus atomic.Int32
	// oldDiscoveryOnly makes /sys/auto-discovery answer 404, as older servers do.
	oldDiscoveryOnly bool
	// noODataRoot leaves ODataServiceRoot out of the DomainAPI site.
	noODataRoot bool
	// noTokenEndpoint leaves token_endpoint out of the identity server's discovery document.
	noTokenEndpoint bool
	tokens          atomic.Int32
	apiCalls        atomic.Int32
}

// fakeTokenPath is where the fake's discovery document puts the token endpoint: not Erp.Net's
// usual /id/connect/token, so a client that guessed the path would fail.
const fakeTokenPath = "/id/oauth2/issue"

func newFake(t *testing.T, api http.HandlerFunc) *fakeInstance {
	t.Helper()
	f := &fakeInstance{api: api}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sys/auto-discovery", func(w http.ResponseWriter, r *http.Request) {
		if s := f.discoveryStatus.Load(); s != 0 {
			w.WriteHeader(int(s))
			return
		}
		if f.oldDiscoveryOnly {
			http.NotFound(w, r)
			return
		}
		f.discovery(w)
	})
	mux.HandleFunc("GET /tools/auto-discovery", func(w http.ResponseWriter, r *http.Request) { f.discovery(w) })
	mux.HandleFunc("GET /id/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		doc := map[string]string{"issuer": f.srv.URL + "/id", "token_endpoint": f.srv.URL + fakeTokenPath}
		if f.noTokenEndpoint {
			delete(doc, "token_endpoint")
		}
		json.NewEncoder(w).Encode(doc)
	})
	mux.HandleFunc("POST "+fakeTokenPath, func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		if id != "app" || secret != "secret" || r.PostFormValue("grant_type") != "client_credentials" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		n := f.tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"tok-%d","expires_in":3600,"token_type":"Bearer","scope":"read update"}`, n)
	})
	mux.HandleFunc("/api/domain/odata/", func(w http.ResponseWriter, r *http.Request) {
		f.apiCalls.Add(1)
		f.api(w, r)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeInstance) discovery(w http.ResponseWriter) {
	api := map[string]any{"Type": "DomainAPI", "Status": "Working", "Url": f.srv.URL + "/api", "System": false}
	if !f.noODataRoot {
		api["AdditionalProperties"] = map[string]string{"ODataServiceRoot": f.srv.URL + "/api/domain/odata/"}
	}
	doc := map[string]any{"Host": "fake", "DbName": "fake", "WebSites": []any{
		map[string]any{"Type": "WebClient", "Status": "Working", "Url": f.srv.URL + "/client"},
		map[string]any{"Type": "DomainAPI", "Status": "NotWorking", "Url": f.srv.URL + "/broken"},
		map[string]any{"Type": "ID", "Status": "Working", "Url": f.srv.URL + "/id", "System": true},
		api,
	}}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(doc)
}

// sleepRecorder stands in for the client's waits between retries: it records them and returns
// at once, so tests check the waits without taking them.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleepRecorder) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient is a client of f with recorded waits; edit adjusts the config.
func newTestClient(t *testing.T, f *fakeInstance, edit func(*Config)) (*Client, *sleepRecorder) {
	t.Helper()
	cfg := Config{InstanceURL: f.srv.URL, ClientID: "app", ClientSecret: "secret", Now: newFakeClock().Now}
	if edit != nil {
		edit(&cfg)
	}
	c, err := NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	rec := &sleepRecorder{}
	c.sleep = rec.sleep
	return c, rec
}

// writeRows answers a collection of rows with ids; next, when not "", is the nextLink.
func writeRows(w http.ResponseWriter, next string, ids ...string) {
	rows := make([]map[string]any, len(ids))
	for i, id := range ids {
		rows[i] = map[string]any{"@odata.id": "Crm_Sales_SalesOrders(" + id + ")", "Id": id, "DocumentNo": "SO-" + id[:4]}
	}
	env := map[string]any{"@odata.context": "$metadata#Crm_Sales_SalesOrders", "value": rows}
	if next != "" {
		env["@odata.nextLink"] = next
	}
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal")
	json.NewEncoder(w).Encode(env)
}

// erpError answers Erp.Net's error shape.
func erpError(w http.ResponseWriter, status, code int, message, info string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": code, "message": message, "info": info,
		"type": "Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException"}})
}

// guid is a deterministic id for row n.
func guid(n int) string { return fmt.Sprintf("%08x-0000-4000-8000-000000000000", n) }

// fakeClock is the shared settable clock; tests move it by hand.
type fakeClock = clock.Fake

func newFakeClock() *fakeClock { return clock.NewFake(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) }
