package portal

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/access"
)

// TestOrdersPagesShareRowsNeverPrices: a page of orders is made once per fetch and shared by
// everyone who reads it, under one Version; a role without prices gets copies without amounts,
// and the shared rows keep theirs.
func TestOrdersPagesShareRowsNeverPrices(t *testing.T) {
	s, _ := newSimService(t)
	ctx := context.Background()
	u, err := s.FindUser(ctx, "owner@orbis.example")
	if err != nil {
		t.Fatal(err)
	}
	owner, err := s.Viewer(ctx, u.ID, u.Login, u.Name)
	if err != nil {
		t.Fatal(err)
	}
	owner.Current = &owner.Accesses[0]
	noPrices := *owner
	acc := *owner.Current
	acc.Role = access.Orders
	noPrices.Current = &acc

	read := func(v *Viewer) Page[OrderRow] {
		t.Helper()
		page, err := s.Orders(ctx, v, ListParams{})
		if err != nil || len(page.Rows) == 0 {
			t.Fatalf("Orders: %d rows, %v", len(page.Rows), err)
		}
		return page
	}
	tests := []struct {
		name       string
		viewer     *Viewer
		prices     bool
		newVersion bool // the cache was dropped before
	}{
		{"owner", owner, true, false},
		{"orders role, same fetch", &noPrices, false, false},
		{"owner again", owner, true, false},
		{"owner after a write", owner, true, true},
	}
	var version string
	for i, tc := range tests {
		if tc.newVersion {
			s.cache.InvalidateCustomer(s.scope(owner.Current.CustomerID))
		}
		page := read(tc.viewer)
		for _, r := range page.Rows {
			if got := r.Amount != nil && r.NetAmount != nil; got != tc.prices {
				t.Fatalf("%s: row %s has amounts = %v, want %v", tc.name, r.Number, got, tc.prices)
			}
		}
		if got := len(page.Totals) > 0; got != tc.prices {
			t.Errorf("%s: totals shown = %v, want %v", tc.name, got, tc.prices)
		}
		if page.Version == "" {
			t.Fatalf("%s: no version", tc.name)
		}
		if i > 0 && (page.Version != version) != tc.newVersion {
			t.Errorf("%s: version %s after %s; want a new one: %v", tc.name, page.Version, version, tc.newVersion)
		}
		version = page.Version
	}
}

// TestListInputsNameEveryInput: two requests share a remembered query key only when everything
// the query is made of is the same.
func TestListInputsNameEveryInput(t *testing.T) {
	if n := reflect.TypeFor[ListParams]().NumField(); n != 8 {
		t.Fatalf("ListParams has %d fields; listInputs and this test know 8", n)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	s := New(Deps{Now: func() time.Time { return now }})
	viewer := func(customer string, daysBack *int) *Viewer {
		v := &Viewer{Accesses: []Access{{CustomerID: customer, DaysBack: daysBack}}}
		v.Current = &v.Accesses[0]
		return v
	}
	year := 365
	base := ListParams{Sort: "date", Status: StatusNew, From: now.AddDate(0, -1, 0), Page: 2, Size: 25}
	want := s.listInputs("orders", viewer("c1", nil), base)
	tests := []struct {
		name string
		list string
		v    *Viewer
		p    func(ListParams) ListParams
	}{
		{"list", "invoices", viewer("c1", nil), func(p ListParams) ListParams { return p }},
		{"customer", "orders", viewer("c2", nil), func(p ListParams) ListParams { return p }},
		{"horizon", "orders", viewer("c1", &year), func(p ListParams) ListParams { return p }},
		{"sort", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.Sort = "number"; return p }},
		{"direction", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.Desc = true; return p }},
		{"status", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.Status = StatusCancelled; return p }},
		{"status spelling a sort", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.Sort, p.Status = "", "4:dateNew"; return p }},
		{"from", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.From = p.From.AddDate(0, 0, 1); return p }},
		{"to", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.To = now; return p }},
		{"page", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.Page = 3; return p }},
		{"size", "orders", viewer("c1", nil), func(p ListParams) ListParams { p.Size = 50; return p }},
	}
	for _, tc := range tests {
		if got := s.listInputs(tc.list, tc.v, tc.p(base)); got == want {
			t.Errorf("%s: same inputs as the base request", tc.name)
		}
	}
	if got := s.listInputs("orders", viewer("c1", nil), base); got != want {
		t.Errorf("the same request: %q, want %q", got, want)
	}
}
