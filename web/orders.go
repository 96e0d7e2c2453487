package web

// OrdersView is the Orders list with the New order button when the instance enables it.
type OrdersView struct {
	List         *List
	NewOrderHref string
}
