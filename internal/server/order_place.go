package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// postNewOrder handles "POST /:cc/orders/new". The order form is one form whose buttons have
// different names, so it works without JavaScript: "add" (a product id) and "remove" (a line
// index) change the lines, "search" and "update" show the form again, every value kept; "review"
// shows the order priced by Erp.Net for confirmation, whose "place" places it. Whatever the
// button, the form is kept in Erp.Net as the person's draft (portal.SaveDraft; review and place
// keep it themselves); "save" alone, which the page's script posts after the person pauses
// typing, answers with the draft's ids as JSON.
func (s *Server) postNewOrder(c *gin.Context) {
	in := instanceOf(c)
	if err := in.svc.CheckSetup(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	s.sweepDrafts(in)
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
	case c.PostForm("review") != "":
		s.reviewOrder(c, d, search)
		return
	case c.PostForm("price") != "":
		s.priceOrder(c, d, search)
		return
	case c.PostForm("add") != "":
		d.AddProduct(c.PostForm("add"))
	case c.PostForm("remove") != "":
		if i, err := strconv.Atoi(c.PostForm("remove")); err == nil {
			d.RemoveLine(i)
		}
	case c.PostForm("add_package") != "":
		// A package not offered to this customer is shown as such and never saved.
		id := c.PostForm("add_package")
		d.AddPackage(id, c.PostForm("package_qty."+id))
	case c.PostForm("remove_package") != "":
		if i, err := strconv.Atoi(c.PostForm("remove_package")); err == nil {
			d.RemovePackage(i)
		}
	}
	sent := d
	notice, refresh := s.saveDraft(c, &d)
	if c.PostForm("save") != "" {
		if refresh {
			// The script posts the form as it was, and the page that comes back says why.
			c.JSON(http.StatusOK, gin.H{"id": sent.ID, "id_sig": s.orderIDSig(c, sent.ID), "refresh": true})
			return
		}
		c.JSON(http.StatusOK, gin.H{"id": d.ID, "id_sig": s.orderIDSig(c, d.ID), "order": d.OrderID,
			"order_sig": s.draftOrderSig(c, d.ID, d.OrderID), "saved": notice == ""})
		return
	}
	var notices []string
	if notice != "" {
		notices = append(notices, notice)
	}
	s.renderNewOrder(c, http.StatusOK, d, search, nil, notices...)
}

// saveDraft keeps the form in Erp.Net as the person's draft and gives it the draft's ids (one
// begun on another device keeps its own, and its lines join the form). When Erp.Net cannot take
// it, the form still has every value, and the returned notice says the draft waits for the next
// change to be saved. refresh is true when the form changed beyond its ids: its order was placed
// or cancelled meanwhile (the form keeps its products under a fresh id, for a new order), or an
// earlier draft joined it.
func (s *Server) saveDraft(c *gin.Context, d *portal.OrderDraft) (notice string, refresh bool) {
	saved, err := instanceOf(c).svc.SaveDraft(c.Request.Context(), viewerOf(c), *d)
	if errors.Is(err, portal.ErrDraftPlaced) || errors.Is(err, portal.ErrDraftCancelled) {
		d.ID, d.OrderID = portal.NewDraft().ID, ""
		return refusal(c, err.(*portal.Error)), true
	}
	if err != nil {
		s.log.Warn("new order: the draft was not saved", zapErr(c, err)...)
		return "Your changes are in this form but could not be saved in the ERP system just now; they will be saved with your next change.", false
	}
	if saved.Merged != nil {
		*d = *saved.Merged
		return "An order you began earlier joined this one.", true
	}
	d.ID = saved.ID
	if saved.OrderID != "" {
		d.OrderID = saved.OrderID
	}
	return "", false
}

// reviewOrder shows the order as it would be placed, priced by Erp.Net, for the person to
// confirm; problems send them back to the form with every value kept.
func (s *Server) reviewOrder(c *gin.Context, d portal.OrderDraft, search string) {
	in := instanceOf(c)
	r, err := in.svc.ReviewOrder(c.Request.Context(), viewerOf(c), d)
	var de *portal.DraftError
	switch {
	case err == nil:
		s.show(c, http.StatusOK, web.OrderReview(s.page(c, "Review your order"), web.OrderReviewView{Review: r,
			IDSig: s.orderIDSig(c, r.Draft.ID), OrderSig: s.draftOrderSig(c, r.Draft.ID, r.Draft.OrderID)}))
	case errors.As(err, &de):
		s.renderNewOrder(c, http.StatusUnprocessableEntity, de.FormOr(d), search, de.Problems)
	default:
		s.refuseOrder(c, err, d, search)
	}
}

// priceOrder shows the form with the prices Erp.Net calculates for it, as the review does (the
// draft saved, a copy priced in a front-end transaction that is discarded); problems show as
// the review shows them.
func (s *Server) priceOrder(c *gin.Context, d portal.OrderDraft, search string) {
	r, err := instanceOf(c).svc.ReviewOrder(c.Request.Context(), viewerOf(c), d)
	var de *portal.DraftError
	switch {
	case err == nil:
		s.renderPricedOrder(c, http.StatusOK, r.Draft, search, nil, r)
	case errors.As(err, &de):
		s.renderNewOrder(c, http.StatusUnprocessableEntity, de.FormOr(d), search, de.Problems)
	default:
		s.refuseOrder(c, err, d, search)
	}
}

// placeOrder places the draft and, once Erp.Net has the order, sends the person to it (303, so a
// reload does not post again). Whatever stops it shows the form again with every value kept:
// problems next to their fields (422), Erp.Net's own refusal (its message, never its
// diagnostics), or, when Erp.Net did not answer, that placing again is safe.
func (s *Server) placeOrder(c *gin.Context, d portal.OrderDraft, search string) {
	in := instanceOf(c)
	placed, err := in.svc.PlaceOrder(c.Request.Context(), viewerOf(c), d)
	var de *portal.DraftError
	switch {
	case err == nil:
		s.cookies.setFlash(c.Writer, "ok", tr(c, "Order %s placed.", placed.Number))
		redirectSeeOther(c, s.placedOrderPage(in, placed))
	case errors.As(err, &de):
		s.renderNewOrder(c, http.StatusUnprocessableEntity, de.FormOr(d), search, de.Problems)
	default:
		s.refuseOrder(c, err, d, search)
	}
}

// refuseOrder shows the form again, every value kept, with why the order could not be reviewed
// or placed: Erp.Net's own refusal (its message, never its diagnostics), or, when Erp.Net did
// not answer, that trying again is safe.
func (s *Server) refuseOrder(c *gin.Context, err error, d portal.OrderDraft, search string) {
	var pe *portal.Error
	var ee *erpnet.Error
	switch {
	case errors.Is(err, portal.ErrDraftPlaced) || errors.Is(err, portal.ErrDraftCancelled):
		d.ID, d.OrderID = portal.NewDraft().ID, ""
		s.renderNewOrder(c, http.StatusConflict, d, search, portal.Problems{"form": refusal(c, err.(*portal.Error))})
	case errors.Is(err, portal.ErrDraftUsed):
		d.ID, d.OrderID = portal.NewDraft().ID, ""
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
