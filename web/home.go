package web

import "github.com/clientcenter/clientcenter/internal/portal"

// HomeView is the Home page: shortcuts by role and this month's counts.
type HomeView struct {
	ShowOrders, ShowInvoices, ShowDue bool
	// NewOrderHref is where New Order starts, "" when the person may not place orders; Reorder
	// offers Order again on the recent orders.
	NewOrderHref string
	Reorder      bool
	// Prices: the recent orders show their amounts.
	Prices bool
	// RecentOrders are the newest orders (with the Orders section); NextDue what falls due next
	// (with Due Payments).
	RecentOrders                       []portal.OrderRow
	NextDue                            []portal.DuePayment
	OrdersThisMonth, InvoicesThisMonth int
	// Due is what the customer still owes, per currency, and how much of it is overdue.
	Due []portal.Aging
	// HiddenDue is how many older open items lie beyond the person's horizon (not summed).
	HiddenDue int
	// Answers are the documents where the supplier answered the person's messages lately; the
	// browser hides those the person has read since.
	Answers []portal.Answered
}

// answerHref is the conversation on an answered document.
func answerHref(f *Frame, a portal.Answered) string {
	if a.Kind == portal.DocInvoice {
		return f.Inst.Base + "/invoices/" + a.DocID + "#messages"
	}
	return f.Inst.Base + "/orders/" + a.DocID + "#messages"
}

// answerTitle names an answered document.
func answerTitle(f *Frame, a portal.Answered) string {
	if a.Kind == portal.DocInvoice {
		return f.T("Invoice %s", a.Number)
	}
	return f.T("Order %s", a.Number)
}
