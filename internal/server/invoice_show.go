package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// showInvoice handles "GET /:cc/invoices/:id": header, payment status, how to pay what is left,
// lines, messages, and the PDF to preview in the page or to download.
func (s *Server) showInvoice(c *gin.Context) { s.renderInvoice(c, http.StatusOK, "", "") }

// renderInvoice draws an invoice's page; draft and problem are those of a message not sent.
func (s *Server) renderInvoice(c *gin.Context, status int, draft, problem string) {
	in := instanceOf(c)
	vw := viewerOf(c)
	inv, err := in.svc.GetInvoice(c.Request.Context(), vw, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	files, err := in.svc.InvoiceFiles(c.Request.Context(), vw, inv.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	transfers, err := in.svc.InvoiceTransfers(c.Request.Context(), vw, inv)
	if err != nil {
		s.fail(c, err)
		return
	}
	msgs, err := s.conversationOf(c, portal.DocInvoice, inv.ID, in.base+"/invoices/"+inv.ID+"/messages", draft, problem)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf := in.base + "/invoices/" + inv.ID + "/pdf"
	data := web.InvoiceView{Invoice: inv, Files: files, HideLines: !in.svc.Shows(vw).Lines, PDFHref: pdf, DownloadURL: pdf + "?download=1",
		Transfers: transfers, Messages: msgs}
	s.show(c, status, web.Invoice(s.page(c, tr(c, "Invoice %s", inv.Number)), data))
}
