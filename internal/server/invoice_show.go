package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/web"
)

// showInvoice handles "GET /:cc/invoices/:id": header, payment status, lines, and the PDF to
// preview in the page or to download.
func (s *Server) showInvoice(c *gin.Context) {
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
	pdf := in.base + "/invoices/" + inv.ID + "/pdf"
	data := web.InvoiceView{Invoice: inv, Files: files, HideLines: !in.svc.Shows(vw).Lines, PDFHref: pdf, DownloadURL: pdf + "?download=1"}
	s.show(c, http.StatusOK, web.Invoice(s.page(c, tr(c, "Invoice %s", inv.Number)), data))
}
