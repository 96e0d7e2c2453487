package server

import (
	"testing"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// TestListKeysOnlyForColumnsTheRoleSees: a sort or filter by a column the role may not see falls
// back to the list's default, even where the portal could sort by it: ordering by a hidden
// amount would tell the amounts.
func TestListKeysOnlyForColumnsTheRoleSees(t *testing.T) {
	s := testServer(t)
	ls := ordersList(s.instances[0].base)
	anything := func(string) bool { return true }
	tests := []struct {
		uri        string
		role       access.Role
		sort       string
		desc       bool
		wantStatus string
	}{
		{"/cc/orders?sort=amount&dir=desc", access.Orders, "", false, ""},
		{"/cc/orders.csv?sort=net&dir=desc", access.Orders, "", false, ""},
		{"/cc/orders?sort=amount&dir=desc", access.OrdersWithPrices, "amount", true, ""},
		{"/cc/orders?sort=number&dir=desc&status=New", access.Orders, "number", true, "New"},
		{"/cc/orders?sort=nosuchcolumn", access.Owner, "", false, ""},
	}
	for _, tt := range tests {
		c, _ := ordersContext(s, tt.uri, "", "req", tt.role)
		p, _ := parseListParams(c, ls, tt.role, anything)
		if p.Sort != tt.sort || p.Desc != tt.desc || p.Status != tt.wantStatus {
			t.Errorf("%s as %v: sort %q desc %v status %q, want %q %v %q", tt.uri, tt.role, p.Sort, p.Desc, p.Status, tt.sort, tt.desc, tt.wantStatus)
		}
	}
	// A status filter on a list whose status column the role does not see is dropped too.
	hidden := *ls
	hidden.Columns = append([]column[portal.OrderRow](nil), ls.Columns...)
	for i := range hidden.Columns {
		if hidden.Columns[i].Key == "status" {
			hidden.Columns[i].Needs = access.ViewOrderPrices
		}
	}
	c, _ := ordersContext(s, "/cc/orders?status=New", "", "req", access.Orders)
	if p, _ := parseListParams(c, &hidden, access.Orders, anything); p.Status != "" {
		t.Errorf("status filter by a hidden column kept: %q", p.Status)
	}
}
