package server

import (
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// cancelOrder handles "POST /:cc/orders/:id/cancel": voids the order in Erp.Net while it is not
// yet released. A second POST (a double click, a retry) finds it cancelled and says so.
func (s *Server) cancelOrder(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	version, _ := strconv.Atoi(c.PostForm("version"))
	o, err := in.svc.CancelOrder(c.Request.Context(), vw, c.Param("id"), version)
	back := in.base + "/orders/" + o.ID
	var pe *portal.Error
	switch {
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
