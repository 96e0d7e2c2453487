package bench

// page is one page the benchmarks open. Add a row when a page is built: a page that does not
// answer 200 yet is reported as not measured rather than failing the run.
type page struct {
	Name string
	// Path is the portal path; {order} and {invoice} stand for the main customer's latest ones.
	Path string
	// Throughput also measures the page warm under 64 concurrent sessions.
	Throughput bool
}

// pages are the pages of a customer's Client Center, as its Owner sees them.
var pages = []page{
	{Name: "home", Path: "/cc/", Throughput: true},
	{Name: "orders", Path: "/cc/orders", Throughput: true},
	{Name: "invoices", Path: "/cc/invoices", Throughput: true},
	{Name: "due-payments", Path: "/cc/due-payments"},
	{Name: "payments", Path: "/cc/payments"},
	{Name: "profile", Path: "/cc/profile"},
	{Name: "order", Path: "/cc/orders/{order}"},
	{Name: "invoice", Path: "/cc/invoices/{invoice}"},
	{Name: "users", Path: "/cc/users"},
	{Name: "new-order", Path: "/cc/orders/new"},
}
