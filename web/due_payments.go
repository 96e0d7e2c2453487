package web

import "github.com/clientcenter/clientcenter/internal/portal"

// DuePaymentsView is the Due Payments list under its aging summary.
type DuePaymentsView struct {
	List    *List
	Summary portal.DueSummary
}
