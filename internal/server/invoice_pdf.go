package server

import (
	"context"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// showInvoicePDF handles "GET /:cc/invoices/:id/pdf": the invoice's printout from Erp.Net, shown
// in the browser, or saved as a file with ?download=1. Ownership and horizon are checked first,
// so another customer's invoice is 404 like a missing one.
func (s *Server) showInvoicePDF(c *gin.Context) {
	s.showPDF(c, instanceOf(c).svc.InvoicePDF)
}

// showOrderPDF handles "GET /:cc/orders/:id/pdf": the order's printout, as for an invoice.
func (s *Server) showOrderPDF(c *gin.Context) {
	s.showPDF(c, instanceOf(c).svc.OrderPDF)
}

// showPDF sends a document's printout, inline or, with ?download=1, as a file.
func (s *Server) showPDF(c *gin.Context, printout func(context.Context, *portal.Viewer, string) (portal.InvoiceFile, error)) {
	f, err := printout(c.Request.Context(), viewerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	disposition := "inline"
	if c.Query("download") == "1" {
		disposition = "attachment"
	}
	c.Header("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}))
	// The browser's own PDF viewer needs plugins and inline styles, which the pages' policy
	// forbids; a PDF runs none of the portal's pages, so it gets a policy of its own that still
	// keeps other sites from framing it.
	c.Header("Content-Security-Policy", "frame-ancestors 'self'")
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", f.Data)
}

// downloadOrderFile handles "GET /:cc/orders/:id/files/:file": a file shared with external
// users on an order the person may open; any other is 404.
func (s *Server) downloadOrderFile(c *gin.Context) {
	f, err := instanceOf(c).svc.OrderFile(c.Request.Context(), viewerOf(c), c.Param("id"), c.Param("file"))
	s.sendFile(c, f, err)
}

// downloadInvoiceFile handles "GET /:cc/invoices/:id/files/:file", as for an order.
func (s *Server) downloadInvoiceFile(c *gin.Context) {
	f, err := instanceOf(c).svc.InvoiceFile(c.Request.Context(), viewerOf(c), c.Param("id"), c.Param("file"))
	s.sendFile(c, f, err)
}
