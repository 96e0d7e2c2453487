package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// postNewOrder handles "POST /:cc/orders/new". The order form is one form whose buttons have
// different names, so it works without JavaScript: "add" (a product id) and "remove" (a line
// index) change the lines, "search" and "update" show the form again, every value kept; "place"
// places the order.
func (s *Server) postNewOrder(c *gin.Context) {
	in := instanceOf(c)
	if err := in.svc.CheckSetup(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	d, issued := s.draftFromForm(c)
	search := c.PostForm("q")
	switch {
	case c.PostForm("place") != "" && !issued:
		// Placed under an id the portal did not issue, the answer would tell whether that id
		// names a document; the form starts over with a fresh one instead.
		s.renderNewOrder(c, http.StatusConflict, d, search, portal.Problems{"form": portal.ErrDraftUsed.Message})
		return
	case c.PostForm("place") != "":
		s.placeOrder(c, d, search)
		return
	case c.PostForm("add") != "":
		d.AddProduct(c.PostForm("add"))
	case c.PostForm("remove") != "":
		if i, err := strconv.Atoi(c.PostForm("remove")); err == nil {
			d.RemoveLine(i)
		}
	}
	s.renderNewOrder(c, http.StatusOK, d, search, nil)
}

// placeOrder places the draft and, once Erp.Net has the order, sends the person to it (303, so a
// reload does not post again). Whatever stops it shows the form again with every value kept:
// problems next to their fields (422), Erp.Net's own refusal (its message, never its
// diagnostics), or, when Erp.Net did not answer, that placing again is safe.
func (s *Server) placeOrder(c *gin.Context, d portal.OrderDraft, search string) {
	in := instanceOf(c)
	placed, err := in.svc.PlaceOrder(c.Request.Context(), viewerOf(c), d)
	var de *portal.DraftError
	var pe *portal.Error
	var ee *erpnet.Error
	switch {
	case err == nil:
		s.cookies.setFlash(c.Writer, "ok", tr(c, "Order %s placed.", placed.Number))
		redirectSeeOther(c, s.placedOrderPage(in, placed))
	case errors.As(err, &de):
		s.renderNewOrder(c, http.StatusUnprocessableEntity, d, search, de.Problems)
	case errors.Is(err, portal.ErrDraftUsed):
		d.ID = portal.NewDraft().ID
		s.renderNewOrder(c, http.StatusConflict, d, search, portal.Problems{"form": refusal(c, portal.ErrDraftUsed)})
	case errors.As(err, &pe):
		msg := refusal(c, pe)
		if pe.Code != "" {
			msg += " (" + pe.Code + ")"
		}
		s.renderNewOrder(c, statusOf(pe.Kind), d, search, portal.Problems{"form": msg})
	case erpnet.IsUnavailable(err) || erpnet.IsRateLimited(err):
		s.log.Warn("new order: Erp.Net did not answer", zapErr(c, err)...)
		s.renderNewOrder(c, http.StatusServiceUnavailable, d, search, portal.Problems{"form": "The ERP system did not answer in time, " +
			"so it is not known whether your order was placed. Press Place order again: the order will not be placed twice."})
	case errors.As(err, &ee) && !erpnet.IsNotFound(err):
		s.log.Warn("new order: Erp.Net refused the order", zapErr(c, err)...)
		s.renderNewOrder(c, http.StatusUnprocessableEntity, d, search, portal.Problems{"form": "The ERP system did not accept the order: " + ee.Message})
	default:
		s.fail(c, err)
	}
}

// placedOrderPage is where a placed order is shown: its page when the Orders section lists it,
// else Home, where the flash message names it.
func (s *Server) placedOrderPage(in *instance, o portal.PlacedOrder) string {
	if in.svc.OrdersListNewOrders() {
		return in.base + "/orders/" + o.ID
	}
	return in.base + "/"
}
