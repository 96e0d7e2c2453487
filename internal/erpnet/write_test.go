package erpnet

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// orderStore is a fake Crm_Sales_SalesOrders that merges orders by ExternalId, as Erp.Net does
// for a body with "@erpnet.action":"merge".
type orderStore struct {
	mu     sync.Mutex
	orders map[string]map[string]any
	posts  int
	// lostAnswers makes the first n POSTs store the order and then answer 503, like a proxy
	// that times out after the server did the work.
	lostAnswers int
}

func (s *orderStore) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api/domain/odata/")
	switch {
	case r.Method == http.MethodPost && path == SetSalesOrders:
		s.posts++
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		id, _ := body["ExternalId"].(string)
		if _, ok := s.orders[id]; ok && body["@erpnet.action"] == "merge" {
			w.WriteHeader(http.StatusOK)
			json.NewEncoder(w).Encode(s.orders[id])
			return
		}
		body["@odata.id"] = SetSalesOrders + "(" + guid(len(s.orders)+1) + ")"
		s.orders[id] = body
		if s.lostAnswers > 0 {
			s.lostAnswers--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(body)
	case r.Method == http.MethodGet:
		for id, o := range s.orders {
			if path == SetSalesOrders+"("+id+")" {
				json.NewEncoder(w).Encode(o)
				return
			}
		}
		erpError(w, 404, 0, "Not found.", "")
	default:
		http.Error(w, "unexpected", http.StatusTeapot)
	}
}

func TestCreateByMergeIsIdempotent(t *testing.T) {
	customer := NewRef(SetCustomers, guid(9))
	tests := []struct {
		name        string
		lostAnswers int
		calls       int
		wantPosts   int
	}{
		{name: "plain create", calls: 1, wantPosts: 1},
		{name: "answer lost, retried after 503", lostAnswers: 1, calls: 1, wantPosts: 2},
		{name: "caller repeats the same create", calls: 2, wantPosts: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &orderStore{orders: map[string]map[string]any{}, lostAnswers: tt.lostAnswers}
			f := newFake(t, store.serve)
			c, _ := newTestClient(t, f, nil)
			ext := NewID()
			body := struct {
				Merge
				Customer      Ref    `json:"Customer"`
				DocumentNotes string `json:"DocumentNotes"`
			}{MergeBy(ext, "ClientCenter"), customer, "urgent"}
			var got SalesOrder
			for range tt.calls {
				got = SalesOrder{}
				if err := c.Create(context.Background(), SetSalesOrders, body, &got); err != nil {
					t.Fatalf("Create: %v", err)
				}
			}
			if got.ID == "" || got.DocumentNotes != "urgent" {
				t.Errorf("created = %+v, want the order", got.Base)
			}
			if len(store.orders) != 1 {
				t.Errorf("orders stored = %d, want 1", len(store.orders))
			}
			if store.posts != tt.wantPosts {
				t.Errorf("POSTs = %d, want %d", store.posts, tt.wantPosts)
			}
			o := store.orders[ext]
			if ref := o["Customer"]; ref.(map[string]any)["@odata.id"] != customer.String() {
				t.Errorf("Customer sent as %v, want {\"@odata.id\":%q}", ref, customer.String())
			}
			if o["@erpnet.action"] != "merge" || o["@erpnet.findBy"].(map[string]any)["ExternalId"] != ext {
				t.Errorf("sent %v, want a merge found by ExternalId", o)
			}
		})
	}
}

func TestCreateNeedsAnObject(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { t.Error("request sent") })
	c, _ := newTestClient(t, f, nil)
	for _, body := range []any{[]int{1}, "x", nil} {
		if err := c.Create(context.Background(), SetSalesOrders, body, nil); err == nil {
			t.Errorf("Create(%v) succeeded, want an error", body)
		}
	}
}

func TestWritesSendTheRightRequests(t *testing.T) {
	id := guid(5)
	tests := []struct {
		name       string
		do         func(c *Client) error
		wantMethod string
		wantPath   string
		wantBody   string
	}{
		{"patch", func(c *Client) error {
			return c.Patch(context.Background(), SetSalesOrders, id, map[string]any{"DocumentNotes": "n", "ObjectVersion": 4})
		}, "PATCH", "Crm_Sales_SalesOrders(" + id + ")", `{"DocumentNotes":"n","ObjectVersion":4}`},
		{"delete", func(c *Client) error { return c.Delete(context.Background(), SetExternalAccess, id) },
			"DELETE", "Crm_Sales_CustomerExternalAccess(" + id + ")", ""},
		{"make void", func(c *Client) error { return c.MakeVoid(context.Background(), SetSalesOrders, id, "changed my mind") },
			"POST", "Crm_Sales_SalesOrders(" + id + ")/MakeVoid", `{"reason":"changed my mind","voidType":"VoidDocument"}`},
		{"change state", func(c *Client) error {
			return c.ChangeState(context.Background(), SetSalesOrders, id, StateFirmPlanned)
		},
			"POST", "Crm_Sales_SalesOrders(" + id + ")/ChangeState", `{"newState":"FirmPlanned"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var method, path, body string
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				method, path, body = r.Method, strings.TrimPrefix(r.URL.Path, "/api/domain/odata/"), string(b)
				w.WriteHeader(http.StatusNoContent)
			})
			c, _ := newTestClient(t, f, nil)
			if err := tt.do(c); err != nil {
				t.Fatal(err)
			}
			if method != tt.wantMethod || path != tt.wantPath || body != tt.wantBody {
				t.Errorf("got %s %s %s, want %s %s %s", method, path, body, tt.wantMethod, tt.wantPath, tt.wantBody)
			}
		})
	}
}

func TestGetPrintout(t *testing.T) {
	pdf := "%PDF-1.4\n1 0 obj\n%%EOF"
	tests := []struct {
		name    string
		value   string
		wantErr bool
	}{
		{"pdf", base64.StdEncoding.EncodeToString([]byte(pdf)), false},
		{"not a pdf", base64.StdEncoding.EncodeToString([]byte("<html>")), true},
		{"not base64", "%%%", true},
		{"empty", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var params string
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				params = string(b)
				json.NewEncoder(w).Encode(map[string]string{"@odata.context": "$metadata#Edm.String", "value": tt.value})
			})
			c, _ := newTestClient(t, f, nil)
			got, err := c.GetPrintout(context.Background(), SetInvoices, guid(1))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && string(got) != pdf {
				t.Errorf("printout = %q, want %q", got, pdf)
			}
			if want := `{"fileFormat":"pdf"}`; params != want {
				t.Errorf("parameters = %s, want %s", params, want)
			}
		})
	}
}

func TestGetVersion(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/domain/odata/GetVersion" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"version":"26.1.3.97"}`))
	})
	c, _ := newTestClient(t, f, nil)
	got, err := c.GetVersion(context.Background())
	if err != nil || got != "26.1.3.97" {
		t.Errorf("GetVersion = %q, %v; want 26.1.3.97", got, err)
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"26.1.3.97", "25.1.2.86", 1}, {"25.1.2.86", "25.1.2.86", 0}, {"25.1.2.85", "25.1.2.86", -1},
		{"25.1.10.1", "25.1.9.99", 1}, {"25.1", "25.1.0.0", 0}, {"", "25.1.2.86", -1},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
