package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
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
	data := web.OrderView{
		Order:      o,
		Prices:     vw.Current.Role.Can(access.ViewOrderPrices),
		CanCancel:  o.Cancellable && vw.Current.Role.Can(access.CancelOrder),
		CanReorder: in.newOrderOn() && vw.Current.Role.Can(access.PlaceOrder) && len(o.Lines) > 0,
		HideLines:  in.cfg.HideLines,
		Confirm:    tr(c, `Are you sure you want to cancel order "%s"? This action will cancel the submitted order.`, o.Number),
	}
	s.show(c, http.StatusOK, web.Order(s.page(c, tr(c, "Order %s", o.Number)), data))
}
