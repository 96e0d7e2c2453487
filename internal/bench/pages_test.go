package bench

// page is one page the benchmarks open. Add a row when a page is built: a page that does not
// answer 200 yet is reported as not measured rather than failing the run.
type page struct {
	Name string
	// Path is the portal path; {order} and {invoice} stand for the main customer's latest ones.
	Path string
	// Throughput also measures the page warm under 64 concurrent sessions.
	Throughput bool
	// Budget is how many Erp.Net calls a cold view of the page may make (warm: none), in design
	// terms: one call per kind of data the page shows, at most two for a page with one list.
	// Home shows three figures (orders and invoices this month, what is owed) and a document its
	// header, its payments and its orders; an answer longer than a page of 1,000 rows costs one
	// more call per page.
	Budget int
}

// pages are the pages of a customer's Client Center, as its Owner sees them.
var pages = []page{
	{Name: "home", Path: "/cc/", Throughput: true, Budget: 5}, // two counts, the first Orders page, two pages of open items
	{Name: "orders", Path: "/cc/orders", Throughput: true, Budget: 2},
	{Name: "invoices", Path: "/cc/invoices", Throughput: true, Budget: 2},
	{Name: "due-payments", Path: "/cc/due-payments", Budget: 2},
	{Name: "payments", Path: "/cc/payments", Budget: 2},
	{Name: "profile", Path: "/cc/profile", Budget: 2},
	{Name: "order", Path: "/cc/orders/{order}", Budget: 2},
	{Name: "invoice", Path: "/cc/invoices/{invoice}", Budget: 4}, // the invoice, its balances, its orders, the payments applied
	{Name: "users", Path: "/cc/users", Budget: 2},
	{Name: "new-order", Path: "/cc/orders/new", Budget: 3}, // the products to offer, what the customer orders most, the person's draft
}
