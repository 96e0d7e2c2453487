package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// cancelOrder handles "POST /:cc/orders/:id/cancel": voids the order in Erp.Net while it is not
// yet released. A second POST (a double click, a retry) finds it cancelled and says so.
func (s *Server) cancelOrder(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	version, _ := strconv.Atoi(c.PostForm("version"))
	reason := c.PostForm("reason")
	o, err := in.svc.CancelOrder(c.Request.Context(), vw, c.Param("id"), version, reason)
	back := in.base + "/orders/" + o.ID
	var pe *portal.Error
	switch {
	case errors.As(err, &pe) && pe.Kind == portal.KindInvalid:
		// The question again, with what was typed and what is wrong with it.
		order, gerr := in.svc.GetOrder(c.Request.Context(), vw, c.Param("id"))
		if gerr != nil {
			s.fail(c, gerr)
			return
		}
		s.show(c, http.StatusUnprocessableEntity, web.OrderCancel(s.page(c, tr(c, "Cancel order %s?", order.Number)),
			web.OrderCancelView{Order: order, Reason: reason, Problem: refusal(c, pe)}))
		return
	case err == nil:
		s.cookies.setFlash(c.Writer, "ok", tr(c, "Order %s is cancelled.", o.Number))
	case errors.As(err, &pe) && o.ID != "":
		s.cookies.setFlash(c.Writer, "warn", refusal(c, pe))
	default:
		s.fail(c, err)
		return
	}
	redirectSeeOther(c, back)
}

// showCancelOrder handles "GET /:cc/orders/:id/cancel": the question asked before an order is
// cancelled, as a page (the order page asks it in a dialog where JavaScript runs). An order
// that cannot be cancelled goes back to its page, which says why not.
func (s *Server) showCancelOrder(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	o, err := in.svc.GetOrder(c.Request.Context(), vw, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !o.Cancellable {
		redirectSeeOther(c, in.base+"/orders/"+o.ID)
		return
	}
	s.show(c, http.StatusOK, web.OrderCancel(s.page(c, tr(c, "Cancel order %s?", o.Number)), web.OrderCancelView{Order: o}))
}
