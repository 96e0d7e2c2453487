package server

import (
	"testing"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// TestSortControlsOnlyWhereThePortalSorts: a column shows a sort control exactly when the portal
// can sort by it — by $orderby where Erp.Net's model allows it, or in the portal for a bounded
// list — so no control silently falls back to the default order.
func TestSortControlsOnlyWhereThePortalSorts(t *testing.T) {
	check := func(list string, keys map[string]bool, sortable func(string) bool) {
		t.Helper()
		for key, shown := range keys {
			if shown != sortable(key) {
				t.Errorf("%s: column %q shows a sort control = %v, the portal sorts by it = %v", list, key, shown, sortable(key))
			}
		}
	}
	check("orders", sortFlags(ordersList("/cc").Columns), portal.OrderSortable)
	check("invoices", sortFlags(invoicesList("/cc").Columns), portal.InvoiceSortable)
	check("due payments", sortFlags(duePaymentsList("/cc").Columns), portal.DueSortable)
	check("payments", sortFlags(paymentsList("/cc").Columns), portal.PaymentSortable)
}

func sortFlags[T any](cols []column[T]) map[string]bool {
	out := map[string]bool{}
	for _, c := range cols {
		out[c.Key] = c.Sortable
	}
	return out
}
