package erpnet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// pagedAPI serves rows 1..total in pages of the asked $top, linking pages with $skiptoken.
func pagedAPI(t *testing.T, total int, root func() string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		top, err := strconv.Atoi(q.Get("$top"))
		if err != nil {
			t.Errorf("page request without $top: %s", r.URL)
			top = total
		}
		from := 1
		if s := q.Get("$skiptoken"); s != "" {
			from, _ = strconv.Atoi(s)
		}
		var ids []string
		for n := from; n < from+top && n <= total; n++ {
			ids = append(ids, guid(n))
		}
		next := ""
		if from+top <= total {
			next = fmt.Sprintf("%sCrm_Sales_SalesOrders?$top=%d&$skiptoken=%d", root(), top, from+top)
		}
		writeRows(w, next, ids...)
	}
}

func TestListAllFollowsNextLinks(t *testing.T) {
	tests := []struct {
		name     string
		total    int
		top      int
		maxPages int
		wantErr  error
		wantRows int
	}{
		{name: "three pages", total: 25, top: 10, maxPages: 5, wantRows: 25},
		{name: "exact pages", total: 20, top: 10, maxPages: 5, wantRows: 20},
		{name: "one default page", total: 7, maxPages: 5, wantRows: 7},
		{name: "capped", total: 25, top: 10, maxPages: 2, wantErr: ErrTooManyPages, wantRows: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *Client
			f := newFake(t, pagedAPI(t, tt.total, func() string { return c.ODataRoot() }))
			c, _ = newTestClient(t, f, func(cfg *Config) { cfg.MaxPages = tt.maxPages })
			q := From(SetSalesOrders)
			if tt.top > 0 {
				q = q.Top(tt.top)
			}
			rows, err := All[SalesOrder](context.Background(), c, q)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := len(rows); got != tt.wantRows {
				t.Fatalf("rows = %d, want %d", got, tt.wantRows)
			}
			for i, row := range rows {
				if got, want := row.ID, guid(i+1); got != want {
					t.Fatalf("row %d id = %s, want %s (each row once, in order)", i, got, want)
				}
			}
		})
	}
}

func TestNextLinkElsewhereIsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeRows(w, "")
	}))
	defer other.Close()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeRows(w, other.URL+"/api/domain/odata/Crm_Sales_SalesOrders?$skiptoken=2", guid(1))
	})
	c, _ := newTestClient(t, f, nil)
	var rows []SalesOrder
	err := c.ListAll(context.Background(), From(SetSalesOrders), &rows)
	if err == nil {
		t.Fatal("ListAll followed a next link to another host")
	}
	if got := elsewhere.Load(); got != 0 {
		t.Errorf("requests to the other host = %d, want 0", got)
	}
}

func TestListPageCountAndFilter(t *testing.T) {
	var gotFilter string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		gotFilter = r.URL.Query().Get("$filter")
		w.Write([]byte(`{"@odata.count":42,"value":[{"@odata.id":"Crm_Sales_SalesOrders(` + guid(1) + `)"}]}`))
	})
	c, _ := newTestClient(t, f, nil)
	q := From(SetSalesOrders).Where(Eq("State", Enum("Released")), Contains("DocumentNotes", "O'Neil & Co")).Top(1).Count()
	rows, p, err := Page[SalesOrder](context.Background(), c, q)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Counted || p.Count != 42 {
		t.Errorf("page info = %+v, want count 42", p)
	}
	if want := "State eq 'Released' and contains(DocumentNotes,'O''Neil & Co')"; gotFilter != want {
		t.Errorf("server got $filter %q, want %q", gotFilter, want)
	}
	if len(rows) != 1 || rows[0].ID != guid(1) {
		t.Errorf("rows = %+v, want one with the id from @odata.id", rows)
	}
}

func TestCount(t *testing.T) {
	var gotPath, gotFilter string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotFilter = r.URL.Path, r.URL.Query().Get("$filter")
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("\uFEFF17\n"))
	})
	c, _ := newTestClient(t, f, nil)
	n, err := CountOf[Invoice](context.Background(), c, Query{}.Where(Ge("DocumentDate", Date(newFakeClock().Now()))).Top(5))
	if err != nil {
		t.Fatal(err)
	}
	if n != 17 {
		t.Errorf("count = %d, want 17", n)
	}
	if want := "/api/domain/odata/Crm_Invoicing_Invoices/$count"; gotPath != want {
		t.Errorf("path = %q, want %q", gotPath, want)
	}
	if want := "DocumentDate ge 2026-03-02Z"; gotFilter != want {
		t.Errorf("$filter = %q, want %q", gotFilter, want)
	}
}

func TestGetSelectsIdAndKeys(t *testing.T) {
	var gotPath, gotSelect string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotSelect = r.URL.Path, r.URL.Query().Get("$select")
		w.Write([]byte(`{"Id":"` + guid(3) + `","DocumentNo":"SO-3"}`))
	})
	c, _ := newTestClient(t, f, nil)
	o, err := One[SalesOrder](context.Background(), c, guid(3), Query{}.Expand("Lines"))
	if err != nil {
		t.Fatal(err)
	}
	if o.DocumentNo != "SO-3" || o.ID != guid(3) {
		t.Errorf("order = %+v", o)
	}
	if want := "/api/domain/odata/Crm_Sales_SalesOrders(" + guid(3) + ")"; gotPath != want {
		t.Errorf("path = %q, want %q", gotPath, want)
	}
	if want := "default,Id"; gotSelect != want {
		t.Errorf("$select = %q, want %q", gotSelect, want)
	}
	if err := c.Get(context.Background(), SetSalesOrders, "not-a-guid", Query{}, &o); err == nil {
		t.Error("Get with a malformed id succeeded")
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	const callers, limit = 10, 2
	var inFlight, maxInFlight atomic.Int32
	entered := make(chan struct{}, callers)
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		entered <- struct{}{}
		<-release
		inFlight.Add(-1)
		w.Write([]byte("1"))
	})
	releaseAll := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseAll) // runs before the server closes, even when the test fails
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.MaxConcurrent = limit })
	// Fetch the token first so every caller goes straight for a slot.
	c.accessToken(context.Background())

	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if _, err := c.Count(context.Background(), From(SetSalesOrders)); err != nil {
				t.Error(err)
			}
		})
	}
	for range limit {
		<-entered
	}
	for c.slots.waiting() < callers-limit {
		// Wait until every other caller is queued; they cannot be in flight.
		select {
		case <-entered:
			t.Fatal("a request beyond the limit reached the server")
		default:
			runtime.Gosched()
		}
	}
	releaseAll()
	wg.Wait()
	if got := maxInFlight.Load(); got != limit {
		t.Errorf("max requests in flight = %d, want %d", got, limit)
	}
}
