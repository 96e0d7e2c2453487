package erpnetsim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// txAPI is a client of a simulated instance that may send a TransactionId header.
type txAPI struct {
	*apiClient
	srvURL string
}

func newTxAPI(t *testing.T, opts erpnetsim.Options) *txAPI {
	t.Helper()
	srv := httptest.NewServer(erpnetsim.New(opts))
	t.Cleanup(srv.Close)
	return &txAPI{apiClient: &apiClient{t: t, base: srv.URL + "/api/domain/odata/", token: appToken(t, srv.URL)}, srvURL: srv.URL}
}

// in sends a request inside transaction tr ("" for none) and returns the status and body.
func (c *txAPI) in(tr, method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	if tr != "" {
		req.Header.Set("TransactionId", tr)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// begin opens a front-end transaction and returns its id.
func (c *txAPI) begin() string {
	c.t.Helper()
	status, body := c.in("", "POST", "BeginTransaction", map[string]any{"model": "frontend", "trackChanges": true})
	if status != http.StatusOK || len(body) == 0 {
		c.t.Fatalf("BeginTransaction: %d %s", status, body)
	}
	return string(body)
}

// end ends transaction tr, committing or discarding.
func (c *txAPI) end(tr string, commit bool) {
	c.t.Helper()
	if status, body := c.in("", "POST", "EndTransaction?tr="+url.QueryEscape(tr), map[string]bool{"commit": commit}); status/100 != 2 {
		c.t.Fatalf("EndTransaction: %d %s", status, body)
	}
}

func TestTransactionWritesShowOnlyInsideUntilCommit(t *testing.T) {
	tests := []struct {
		commit   bool
		wantSeen int // status of reading the order outside after EndTransaction
	}{
		{commit: true, wantSeen: http.StatusOK},
		{commit: false, wantSeen: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(map[bool]string{true: "commit", false: "discard"}[tt.commit], func(t *testing.T) {
			api := newTxAPI(t, erpnetsim.Options{})
			refs := api.refs()
			tr := api.begin()
			id := "7a1e0000-0000-4000-8000-000000000001"
			status, body := api.in(tr, "POST", "Crm_Sales_SalesOrders", newOrder(id, refs, 2))
			if status != http.StatusCreated {
				t.Fatalf("create inside: %d %s", status, body)
			}
			id = createdID(t, body) // the server chooses the Id
			path := "Crm_Sales_SalesOrders(" + id + ")"
			if status, _ := api.in(tr, "PATCH", path, map[string]any{"DocumentNotes": "inside"}); status != http.StatusNoContent {
				t.Fatalf("patch inside: %d", status)
			}
			if status, body := api.in(tr, "GET", path+"?$select=DocumentNotes", nil); status != http.StatusOK || !strings.Contains(string(body), "inside") {
				t.Errorf("read inside: %d %s, want the transaction's own writes", status, body)
			}
			if status, _ := api.in("", "GET", path, nil); status != http.StatusNotFound {
				t.Errorf("read outside before the end: %d, want 404", status)
			}
			api.end(tr, tt.commit)
			status, body = api.in("", "GET", path+"?$select=DocumentNotes&$expand=Lines", nil)
			if status != tt.wantSeen {
				t.Fatalf("read outside after the end: %d %s, want %d", status, body, tt.wantSeen)
			}
			if tt.commit && (!strings.Contains(string(body), "inside") || !strings.Contains(string(body), `"Lines":[{`)) {
				t.Errorf("committed order %s, want its notes and lines", body)
			}
			if status, _ := api.in(tr, "GET", path, nil); status != http.StatusInternalServerError {
				t.Errorf("request with the ended transaction's id: %d, want 500", status)
			}
		})
	}
}

func TestOneOpenTransactionPerSession(t *testing.T) {
	api := newTxAPI(t, erpnetsim.Options{})
	tr := api.begin()
	status, body := api.in("", "POST", "BeginTransaction", map[string]any{"model": "frontend", "trackChanges": true})
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	if status != http.StatusInternalServerError || e.Error.Message != erpnetsim.MsgTransactionOpen {
		t.Errorf("second BeginTransaction: %d %s, want 500 %q", status, body, erpnetsim.MsgTransactionOpen)
	}
	// Another session (token) is not affected, and cannot use this session's transaction.
	other := &txAPI{apiClient: &apiClient{t: t, base: api.base, token: appToken(t, api.srvURL)}}
	other.end(other.begin(), false)
	if status, _ := other.in(tr, "GET", "GetVersion", nil); status != http.StatusInternalServerError {
		t.Errorf("another session with this transaction's id: %d, want 500", status)
	}
	api.end(tr, false)
	api.end(api.begin(), false) // after the end, a new one may begin
}

func TestTransactionExpiresAfter25Minutes(t *testing.T) {
	clock := newFakeClock()
	api := newTxAPI(t, erpnetsim.Options{Now: clock.Now})
	tr := api.begin()
	steps := []struct {
		advance time.Duration
		want    int
	}{
		{0, http.StatusOK},
		{erpnetsim.TransactionLifetime - time.Second, http.StatusOK},
		{time.Second, http.StatusInternalServerError},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		if status, body := api.in(tr, "GET", "GetVersion", nil); status != st.want {
			t.Errorf("step %d: %d %s, want %d", i+1, status, body, st.want)
		}
	}
	api.end(api.begin(), false) // the expired one no longer blocks the session
}

func TestBeginTransactionRefusals(t *testing.T) {
	api := newTxAPI(t, erpnetsim.Options{})
	_, tok := postToken(t, api.srvURL, url.Values{"grant_type": {"client_credentials"}, "scope": {"read"}}, false)
	readOnly := &txAPI{apiClient: &apiClient{t: t, base: api.base, token: tok["access_token"].(string)}}
	tests := []struct {
		name string
		api  *txAPI
		body any
		want int
	}{
		{"read scope only", readOnly, map[string]any{"model": "frontend"}, http.StatusForbidden},
		{"backend model", api, map[string]any{"model": "backend"}, http.StatusInternalServerError},
		{"no body", api, nil, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, body := tt.api.in("", "POST", "BeginTransaction", tt.body); status != tt.want {
				t.Errorf("got %d %s, want %d", status, body, tt.want)
			}
		})
	}
	if status, _ := api.in("", "POST", "EndTransaction?tr=00000000-0000-4000-8000-000000000000", map[string]bool{"commit": true}); status != http.StatusInternalServerError {
		t.Errorf("EndTransaction of an unknown id: %d, want 500", status)
	}
}
