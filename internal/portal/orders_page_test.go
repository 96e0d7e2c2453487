package portal

import (
	"context"
	"testing"

	"github.com/clientcenter/clientcenter/internal/access"
)

// TestOrdersPagesShareRowsNeverPrices: a page of orders is made once per fetch and shared by
// everyone who reads it; a role without prices gets copies without amounts, and the shared rows
// keep theirs.
func TestOrdersPagesShareRowsNeverPrices(t *testing.T) {
	s, _ := newSimService(t)
	ctx := context.Background()
	u, err := s.FindUser(ctx, "owner@orbis.example")
	if err != nil {
		t.Fatal(err)
	}
	owner, err := s.Viewer(ctx, Who{UserID: u.ID, Login: u.Login, Name: u.Name})
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
		name    string
		viewer  *Viewer
		prices  bool
		dropped bool // the cache was dropped before
	}{
		{"owner", owner, true, false},
		{"orders role, same fetch", &noPrices, false, false},
		{"owner again", owner, true, false},
		{"owner after a write", owner, true, true},
	}
	for _, tc := range tests {
		if tc.dropped {
			s.invalidate(ctx, owner.Current.CustomerID)
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
	}
}
