package web

// PaymentsView is Payment History with the window it covers.
type PaymentsView struct {
	List   *List
	Since  string
	Capped bool
	Max    string
}
