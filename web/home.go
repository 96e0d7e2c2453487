package web

import "github.com/clientcenter/clientcenter/internal/portal"

// HomeView is the Home page: shortcuts by role and this month's counts.
type HomeView struct {
	ShowOrders, ShowInvoices, ShowDue  bool
	OrdersThisMonth, InvoicesThisMonth int
	// Due is what the customer still owes, per currency, and how much of it is overdue.
	Due []portal.Aging
	// HiddenDue is how many older open items lie beyond the person's horizon (not summed).
	HiddenDue int
}
