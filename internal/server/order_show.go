package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/web"
)

// showOrder handles "GET /:cc/orders/:id": header, lines and, while allowed, the Cancel button.
func (s *Server) showOrder(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	o, err := in.svc.GetOrder(c.Request.Context(), vw, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	files, err := in.svc.OrderFiles(c.Request.Context(), vw, o.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	shown := in.svc.Shows(vw)
	pdf := in.base + "/orders/" + o.ID + "/pdf"
	data := web.OrderView{
		Files:       files,
		ShowPDF:     shown.OrderPDF,
		PDFHref:     pdf,
		DownloadURL: pdf + "?download=1",
		Order:       o,
		Prices:      shown.OrderPrices,
		CanCancel:   o.Cancellable && shown.CancelOrder,
		CanReorder:  shown.Reorder && len(o.Lines) > 0,
		HideLines:   !shown.Lines,
	}
	s.show(c, http.StatusOK, web.Order(s.page(c, tr(c, "Order %s", o.Number)), data))
}
