// Package access is the single source of who may do what in a Client Center: the roles of
// Erp.Net's customer external access (L10 Basic … L90 Owner), what each page, column and action
// needs, and the rules of User Management. Everything here is pure; handlers and templates ask it.
package access

import "fmt"

// Role is a Client Center role; its number is the vendor's level (L10 … L90). A role includes
// every role below it.
type Role int

// The roles, as Erp.Net stores them (L10 … L90).
const (
	None             Role = 0
	Basic            Role = 10
	Orders           Role = 20 // orders without Price, Discount and Amount
	OrdersWithPrices Role = 30
	Billing          Role = 40
	Admin            Role = 80
	Owner            Role = 90 // as Admin; nobody can revoke or lower an Owner
)

// Roles lists every role from lowest to highest.
var Roles = []Role{Basic, Orders, OrdersWithPrices, Billing, Admin, Owner}

var apiNames = map[Role]string{Basic: "Basic", Orders: "Orders", OrdersWithPrices: "OrdersWithPrices", Billing: "Billing", Admin: "Admin", Owner: "Owner"}

// labels are the role names as the vendor writes them ("L30 - Orders with Prices").
var labels = map[Role]string{Basic: "Basic", Orders: "Orders", OrdersWithPrices: "Orders with Prices", Billing: "Billing", Admin: "Admin", Owner: "Owner"}

// legacyOrdersBilling is the role older Erp.Net builds (five roles) store as L30: orders with
// prices and billing, which is what Billing means in the six-role model.
const legacyOrdersBilling = "OrdersBilling"

// ParseRole reads a role of the portal's own forms by its code ("L40") or its name ("Billing").
func ParseRole(s string) (Role, bool) {
	for r, n := range apiNames {
		if n == s || r.Code() == s {
			return r, true
		}
	}
	return None, false
}

// FromAPI reads a role as Erp.Net's Domain API sends it, by meaning: the API value names it,
// never the stored code, since L30 means OrdersBilling on older builds and OrdersWithPrices on
// newer ones. OrdersBilling (orders with prices and billing) is Billing. An unknown value is
// (None, false), for the caller to report rather than to lock the person out silently.
func FromAPI(value string) (Role, bool) {
	if value == legacyOrdersBilling {
		return Billing, true
	}
	for r, n := range apiNames {
		if n == value {
			return r, true
		}
	}
	return None, false
}

// APIValue is the enum member the Domain API expects for the role.
func (r Role) APIValue() string { return apiNames[r] }

// RoleSet is the set of roles an Erp.Net server knows: the six of current builds, or the five of
// older ones, where Billing is written OrdersBilling and OrdersWithPrices does not exist.
type RoleSet struct{ Legacy bool }

// Offered are the roles User Management may offer on that server.
func (rs RoleSet) Offered() []Role {
	if rs.Legacy {
		return []Role{Basic, Orders, Billing, Admin, Owner}
	}
	return []Role{Basic, Orders, OrdersWithPrices, Billing, Admin, Owner}
}

// APIValue is the value to write for r on that server; "" when the server has no such role.
func (rs RoleSet) APIValue(r Role) string {
	switch {
	case !rs.Legacy:
		return r.APIValue()
	case r == Billing:
		return legacyOrdersBilling
	case r == OrdersWithPrices:
		return ""
	}
	return r.APIValue()
}

// Code is the vendor's stored code, e.g. "L40".
func (r Role) Code() string {
	if r == None {
		return ""
	}
	return fmt.Sprintf("L%d", int(r))
}

// Label is the role's name for people, e.g. "Billing".
func (r Role) Label() string {
	if l, ok := labels[r]; ok {
		return l
	}
	return "No role"
}

// String is "L40 Billing".
func (r Role) String() string { return r.Code() + " " + r.Label() }

// Valid tells whether r is one of the six roles.
func (r Role) Valid() bool { _, ok := apiNames[r]; return ok }

// Capability is something a page, column or action needs.
type Capability string

// The capabilities of a Client Center.
const (
	ViewHome        Capability = "home"
	ViewProfile     Capability = "profile"
	ViewFiles       Capability = "files"        // files shared with the customer, on the profile
	ViewOrders      Capability = "orders"       // the order list and pages, without prices
	ViewOrderPrices Capability = "order_prices" // Price, Discount and Amount of orders
	CancelOrder     Capability = "cancel_order"
	PlaceOrder      Capability = "new_order"
	ViewInvoices    Capability = "invoices"
	ViewDue         Capability = "due_payments"
	ViewPayments    Capability = "payments"
	ManageUsers     Capability = "users"
)

var needs = map[Capability]Role{
	ViewHome: Basic, ViewProfile: Basic, ViewFiles: Billing,
	ViewOrders: Orders, ViewOrderPrices: OrdersWithPrices, CancelOrder: Orders, PlaceOrder: Orders,
	ViewInvoices: Billing, ViewDue: Billing, ViewPayments: Billing, ManageUsers: Admin,
}

// Needs is the lowest role that has c. An unknown capability needs more than any role has.
func Needs(c Capability) Role {
	if r, ok := needs[c]; ok {
		return r
	}
	return Owner + 1
}

// Can tells whether role r has capability c.
func (r Role) Can(c Capability) bool { return r.Valid() && r >= Needs(c) }
