package server

import (
	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
)

// invoiceRoutes registers the Invoices (list, page, PDF, ZIP of PDFs) routes of an instance.
// Every one needs Billing; a lower role gets 403 whether or not the invoice exists.
func (s *Server) invoiceRoutes(p *gin.RouterGroup, in *instance) {
	gate := s.gate(access.ViewInvoices, nil)
	invoices := p.Group("/invoices", gate)
	invoices.GET("", s.showInvoices)
	invoices.POST("/columns", chooseColumns(s, invoicesList(in.base)))
	invoices.GET("/:id", s.showInvoice)
	invoices.GET("/:id/pdf", s.showInvoicePDF)
	p.GET("/invoices.csv", gate, s.exportInvoices)
	p.GET("/invoices.zip", gate, s.downloadInvoicesZip)
}
