package portal

import (
	"slices"

	"github.com/clientcenter/clientcenter/internal/access"
)

// Shown is what a viewer's pages may show and offer, as the instance's settings and the
// person's role decide it together: the one place those two are read for a page. The server
// draws what it says and decides nothing of it.
type Shown struct {
	// The sections of the menu.
	Orders, NewOrder, Invoices, Due, Payments, Users bool
	// OrderPrices: the amounts of orders (L30 and up).
	OrderPrices bool
	// CancelOrder and Reorder: the buttons on an order's page, for orders that allow them.
	CancelOrder, Reorder bool
	// Files: the files shared with the customer, on the profile.
	Files bool
	// Lines: the lines of orders and invoices (the instance may hide them).
	Lines bool
	// OrderPDF: an order's printout, which shows its lines and prices: for roles that see order
	// prices, where lines are shown.
	OrderPDF bool
}

// Shows is what v's pages may show and offer.
func (s *Service) Shows(v *Viewer) Shown {
	var role access.Role
	if v != nil && v.Current != nil {
		role = v.Current.Role
	}
	return Shown{
		Orders:      s.OrdersOn() && role.Can(access.ViewOrders),
		NewOrder:    s.NewOrderOn() && role.Can(access.PlaceOrder),
		Invoices:    role.Can(access.ViewInvoices),
		Due:         role.Can(access.ViewDue),
		Payments:    role.Can(access.ViewPayments),
		Users:       role.Can(access.ManageUsers),
		OrderPrices: role.Can(access.ViewOrderPrices),
		CancelOrder: s.OrdersOn() && role.Can(access.CancelOrder),
		Reorder:     s.NewOrderOn() && role.Can(access.PlaceOrder),
		Files:       role.Can(access.ViewFiles),
		Lines:       !s.inst.HideLines,
		OrderPDF:    s.OrdersOn() && role.Can(access.ViewOrderPrices) && !s.inst.HideLines,
	}
}

// OrdersOn tells whether the instance has its Orders section (is_orders_enabled).
func (s *Service) OrdersOn() bool { return s.inst.IsOrdersEnabled }

// OrdersListNewOrders tells whether an order placed through New Order shows in the Orders list:
// the list is on and lists the New Order document type (or every type).
func (s *Service) OrdersListNewOrders() bool {
	types := s.inst.OrderDocumentTypes
	return s.inst.IsOrdersEnabled && (len(types) == 0 || slices.Contains(types, s.inst.NewOrderDocumentType))
}
