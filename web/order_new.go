package web

import "github.com/clientcenter/clientcenter/internal/portal"

// NewOrderView is the New Order form with the signature of its order Id.
type NewOrderView struct {
	Form  *portal.OrderForm
	IDSig string
}

// boolText is "true" or "false", for ARIA states.
func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
