package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
)

// routes wires every route of the portal in one place, grouped by what a request needs: nothing
// (operations, static files, sign-in), a session, then a session with a chosen customer and a
// role, page by page. A feature an instance disables is not registered for it, or its gate
// answers 404 to everybody.
func (s *Server) routes() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.RedirectTrailingSlash = false
	s.engine = e
	e.Use(requestID(), accessLog(s.log), s.metrics.observe(), s.recovery(), s.securityHeaders(), s.boundBody())
	e.NoRoute(func(c *gin.Context) { s.renderError(c, errNotFound) })
	e.NoMethod(func(c *gin.Context) { s.renderError(c, errNotFound) })

	// Operations, for the operator and the load balancer.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if s.cfg.Metrics.Enabled {
		e.GET("/metrics", s.showMetrics())
	}
	e.GET("/static/*file", s.staticFiles())
	e.HEAD("/static/*file", s.staticFiles())

	// Sign-in, shared by every instance: one person, one identity server.
	e.GET("/", s.showIndex)
	e.GET("/auth/login", s.startSignIn)
	e.GET("/auth/callback", s.finishSignIn)
	e.POST("/auth/logout", s.signOut)
	e.GET("/auth/signed-out", s.showSignedOut)

	for _, in := range s.instances {
		g := e.Group(in.base, s.withInstance(in), noStore())
		g.GET("", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, in.base+"/") })
		// A signed-out page may switch language too, and shows the tenant's brand.
		g.POST("/lang", s.chooseLanguage)
		g.GET("/logo", serveBrand(in.brand.logo, in.brand.logoType))
		g.GET("/brand.css", serveBrand(in.brand.css, "text/css; charset=utf-8"))
		// Choosing the customer needs a session but not a chosen customer.
		g.POST("/customer", s.requireSession(), s.loadAccess(false), s.chooseCustomer)

		// Everything else acts for the chosen customer, within the person's role.
		p := g.Group("", s.requireSession(), s.loadAccess(true))
		// Pages that only show data may be served again as drawn (keep, see page_cache.go).
		keep := s.keepPages()
		p.GET("/", s.gate(access.ViewHome, nil), keep, s.showHome)
		p.GET("/profile", s.gate(access.ViewProfile, nil), keep, s.showProfile)
		p.GET("/profile/files/:id", s.gate(access.ViewFiles, nil), s.downloadFile)

		// Orders (L20): the section, its New Order and Order again. The New Order gate answers
		// 404 to everybody while it is off: registering the path keeps "/orders/new" from
		// falling through to the order page route, whose role gate would tell a Basic user 403.
		ordersOn := func(in *instance) bool { return in.svc.OrdersOn() }
		if in.svc.OrdersOn() {
			orders := s.listRoutes(p, "orders", s.gate(access.ViewOrders, ordersOn), keep, s.showOrders, s.exportOrders, chooseColumns(s, in.lists.orders))
			orders.GET("/:id", keep, s.showOrder)
			// The printout shows prices: from L30 on, as the order page's amounts.
			orders.GET("/:id/pdf", s.gate(access.ViewOrderPrices, nil), bulkWork(), s.showOrderPDF)
			orders.GET("/:id/files/:file", s.downloadOrderFile)
			orders.POST("/:id/messages", s.postOrderMessage)
			orders.GET("/:id/cancel", s.gate(access.CancelOrder, nil), s.showCancelOrder)
			orders.POST("/:id/cancel", s.gate(access.CancelOrder, nil), s.cancelOrder)
		}
		newOrderOn := func(in *instance) bool { return in.svc.NewOrderOn() }
		p.GET("/orders/new", s.gate(access.PlaceOrder, newOrderOn), s.showNewOrder)
		p.POST("/orders/new", s.gate(access.PlaceOrder, newOrderOn), s.postNewOrder)
		// A product's page and picture, opened from New Order (in a tab of its own, so the order
		// being typed stays as it is).
		p.GET("/products/:id", s.gate(access.PlaceOrder, newOrderOn), keep, s.showProduct)
		p.GET("/products/:id/picture", s.gate(access.PlaceOrder, newOrderOn), bulkWork(), s.showProductPicture)

		// Billing (L40): invoices with their PDFs and ZIP, due payments, payment history. A lower
		// role gets 403 whether or not a document exists. Printouts and exports wait for Erp.Net
		// behind page views; the ZIP checks its dates before it takes its export turn.
		invoicesGate := s.gate(access.ViewInvoices, nil)
		invoices := s.listRoutes(p, "invoices", invoicesGate, keep, s.showInvoices, s.exportInvoices, chooseColumns(s, in.lists.invoices))
		invoices.GET("/:id", keep, s.showInvoice)
		invoices.GET("/:id/pdf", bulkWork(), s.showInvoicePDF)
		invoices.GET("/:id/files/:file", s.downloadInvoiceFile)
		invoices.POST("/:id/messages", s.postInvoiceMessage)
		p.GET("/invoices.zip", invoicesGate, s.downloadInvoicesZip)
		dueGate := s.gate(access.ViewDue, nil)
		due := s.listRoutes(p, "due-payments", dueGate, keep, s.showDuePayments, s.exportDuePayments, chooseColumns(s, in.lists.due))
		due.GET("/pay", keep, s.showPay)
		// The statement of account, from the same sources as Due Payments; its CSV and PDF are
		// exports, one at a time per session.
		p.GET("/statement", dueGate, keep, s.showStatement)
		p.GET("/statement.csv", dueGate, s.oneExport(), s.exportStatement)
		p.GET("/statement.pdf", dueGate, s.oneExport(), s.showStatementPDF)
		payments := s.listRoutes(p, "payments", s.gate(access.ViewPayments, nil), keep, s.showPayments, s.exportPayments, chooseColumns(s, in.lists.payments))
		payments.GET("/:id", keep, s.showPayment)

		// User Management (L80): which user may be changed, and how, the portal's rules decide
		// again on each request.
		users := p.Group("/users", s.gate(access.ManageUsers, nil))
		users.GET("", s.showUsers)
		users.POST("", s.addUser)
		users.GET("/:id/edit", s.showEditUser)
		users.POST("/:id", s.updateUser)
		users.GET("/:id/delete", s.confirmRemoveUser)
		users.POST("/:id/delete", s.removeUser)
	}
	return http.NewCrossOriginProtection().Handler(e)
}

// listRoutes registers a list page (kept by keep) together with its CSV export (one at a time
// per session, behind page views) and its column chooser, all behind gate, and returns the
// list's group for the routes of its documents.
func (s *Server) listRoutes(p *gin.RouterGroup, name string, gate, keep, show, export, columns gin.HandlerFunc) *gin.RouterGroup {
	g := p.Group("/"+name, gate)
	g.GET("", keep, show)
	g.POST("/columns", columns)
	p.GET("/"+name+".csv", gate, s.oneExport(), export)
	return g
}
