package server

import (
	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
)

// invoiceRoutes registers the Invoices (list, page, PDF, ZIP of PDFs) routes of an instance.
// Every one needs Billing; a lower role gets 403 whether or not the invoice exists. Printouts
// and exports wait for Erp.Net behind page views; a session runs one export (CSV or ZIP) at a
// time, the ZIP checking its dates before it takes its turn (see downloadInvoicesZip).
func (s *Server) invoiceRoutes(p *gin.RouterGroup, in *instance) {
	gate := s.gate(access.ViewInvoices, nil)
	invoices := p.Group("/invoices", gate)
	invoices.GET("", s.showInvoices)
	invoices.POST("/columns", chooseColumns(s, invoicesList(in.base)))
	invoices.GET("/:id", s.showInvoice)
	invoices.GET("/:id/pdf", bulkWork(), s.showInvoicePDF)
	p.GET("/invoices.csv", gate, s.oneExport(), s.exportInvoices)
	p.GET("/invoices.zip", gate, s.downloadInvoicesZip)
}
