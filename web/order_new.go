package web

import "github.com/clientcenter/clientcenter/internal/portal"

// NewOrderView is the New Order form with the signature of its order Id.
type NewOrderView struct {
	Form  *portal.OrderForm
	IDSig string
	// OrderSig signs the draft's order Id, "" while it has none.
	OrderSig string
}

// boolText is "true" or "false", for ARIA states.
func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
