package web

import "github.com/clientcenter/clientcenter/internal/portal"

// OrderView is an order's page: its header, lines and what the viewer may do with it.
type OrderView struct {
	Order      portal.Order
	Prices     bool // the role sees prices
	CanCancel  bool
	CanReorder bool
	HideLines  bool
	Confirm    string // the question the Cancel button asks first
}

// orderBadge is the badge class of an order's status.
func orderBadge(status string) string {
	switch status {
	case portal.StatusCancelled:
		return "bad"
	case portal.StatusNew:
		return "warn"
	}
	return "ok"
}
