package server

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"
)

// showInvoicePDF handles "GET /:cc/invoices/:id/pdf": the invoice's printout from Erp.Net, shown
// in the browser, or saved as a file with ?download=1. Ownership and horizon are checked first,
// so another customer's invoice is 404 like a missing one.
func (s *Server) showInvoicePDF(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	f, err := in.svc.InvoicePDF(c.Request.Context(), vw, c.Param("id"))
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
