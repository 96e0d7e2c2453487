package web

import "github.com/clientcenter/clientcenter/internal/portal"

// NewOrderView is the New Order form with the signature of its order Id.
type NewOrderView struct {
	Form  *portal.OrderForm
	IDSig string
}
