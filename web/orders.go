package web

// OrdersView is the Orders list with the New order button when the instance enables it.
type OrdersView struct {
	List         *List
	NewOrderHref string
	// HasDraft: the person began an order in New Order and has not placed it; the page offers to
	// continue it (the order is in the list too, as New).
	HasDraft bool
}
