package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// showOrder handles "GET /:cc/orders/:id": header, lines, messages and, while allowed, the
// Cancel button.
func (s *Server) showOrder(c *gin.Context) { s.renderOrder(c, http.StatusOK, "", "") }

// renderOrder draws an order's page; draft and problem are those of a message not sent.
func (s *Server) renderOrder(c *gin.Context, status int, draft, problem string) {
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
	msgs, err := s.conversationOf(c, portal.DocOrder, o.ID, in.base+"/orders/"+o.ID+"/messages", draft, problem)
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
		Messages:    msgs,
	}
	s.show(c, status, web.Order(s.page(c, tr(c, "Order %s", o.Number)), data))
}
