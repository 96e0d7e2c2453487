package server

import (
	"cmp"
	"crypto/hmac"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// showNewOrder handles "GET /:cc/orders/new": an empty order form, or with ?from=<orderId> one
// pre-filled with the lines of that order of the customer ("Order again"). With settings that
// Erp.Net does not know (CC009), the error page says so.
func (s *Server) showNewOrder(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	ctx := c.Request.Context()
	if err := in.svc.CheckSetup(ctx); err != nil {
		s.fail(c, err)
		return
	}
	draft := portal.NewDraft()
	var notices []string
	resumed, ok, err := in.svc.ResumeDraft(ctx, vw)
	switch {
	case err != nil:
		// The form works without it: what is typed is kept in the form and saved once Erp.Net answers.
		s.log.Warn("new order: the draft could not be read", zapErr(c, err)...)
		notices = append(notices, "An order you began earlier could not be read from the ERP system just now; what you add here joins it once it can be.")
	case ok:
		draft = resumed
		notices = append(notices, "This is the order you began earlier and have not placed yet; it is kept while you write it.")
	}
	if from := c.Query("from"); from != "" {
		again, notice, err := in.svc.ReorderDraft(ctx, vw, from)
		if err != nil {
			s.fail(c, err)
			return
		}
		if ok {
			// The lines join the order already begun rather than replace it.
			again.ID, again.OrderID, again.Notes, again.PONumber, again.DeliveryDate = draft.ID, draft.OrderID, draft.Notes, draft.PONumber, draft.DeliveryDate
			again.Lines = append(draft.Lines, again.Lines...)
			packages := again.Packages
			again.Packages = draft.Packages
			for _, p := range packages {
				again.AddPackage(p.ID, p.Count)
			}
		}
		draft = again
		if notice != "" {
			notices = append(notices, notice)
		}
	}
	s.renderNewOrder(c, http.StatusOK, draft, c.Query("q"), nil, notices...)
}

// renderNewOrder shows the order form for a draft, with problems next to their fields.
func (s *Server) renderNewOrder(c *gin.Context, status int, d portal.OrderDraft, search string, problems portal.Problems, notices ...string) {
	s.renderPricedOrder(c, status, d, search, problems, nil, notices...)
}

// renderPricedOrder draws the New Order form; priced, when not nil, are Erp.Net's prices of it.
func (s *Server) renderPricedOrder(c *gin.Context, status int, d portal.OrderDraft, search string, problems portal.Problems, priced *portal.OrderReview, notices ...string) {
	in := instanceOf(c)
	// The picker's tab: the one asked for by its button, else the one the form was showing.
	tab, asked := c.GetPostForm("tab")
	if !asked {
		tab = cmp.Or(c.PostForm("tab_now"), c.Query("tab"))
	} else if tab != "" {
		search = "" // a tab chosen shows its products, not the search still in the box
	}
	form, err := in.svc.NewOrderForm(c.Request.Context(), viewerOf(c), d, search, tab, problems)
	if err != nil {
		s.fail(c, err)
		return
	}
	form.Notices = append(notices, form.Notices...)
	form.ApplyPrices(priced)
	s.show(c, status, web.NewOrder(s.page(c, "New order"), web.NewOrderView{Form: form, IDSig: s.orderIDSig(c, d.ID),
		OrderSig: s.draftOrderSig(c, d.ID, d.OrderID)}))
}

// draftFromForm reads the order form as posted. Lines are read up to one past the limit, so an
// order with too many lines is told so rather than cut short. A form without an order Id the
// portal issued to this person and customer gets a fresh one; issued reports false when the form
// named an id of its own.
func (s *Server) draftFromForm(c *gin.Context) (d portal.OrderDraft, issued bool) {
	d = portal.OrderDraft{ID: c.PostForm("id"), Notes: c.PostForm("notes"), PONumber: c.PostForm("po"),
		DeliveryDate: c.PostForm("delivery"), FromOrder: c.PostForm("from")}
	issued = d.ID == "" || portal.ValidDraftID(d.ID) && s.issuedOrderID(c, d.ID)
	if d.ID == "" || !issued {
		d.ID = portal.NewDraft().ID
	} else if o := c.PostForm("order"); o != "" && hmac.Equal([]byte(c.PostForm("order_sig")), []byte(s.draftOrderSig(c, d.ID, o))) {
		d.OrderID = o
	}
	if len(d.FromOrder) > 40 {
		d.FromOrder = ""
	}
	products, qtys, notes := c.PostFormArray("line_product"), c.PostFormArray("line_qty"), c.PostFormArray("line_notes")
	for i, p := range products[:min(len(products), portal.MaxOrderLines+1)] {
		d.Lines = append(d.Lines, portal.DraftLine{ProductID: p, Quantity: formAt(qtys, i), Notes: formAt(notes, i)})
	}
	// Packages: which and how many; their lines come from Erp.Net's definition, never the form.
	pkgs, counts := c.PostFormArray("pkg_id"), c.PostFormArray("pkg_count")
	for i, p := range pkgs[:min(len(pkgs), portal.MaxOrderPackages)] {
		if portal.ValidDraftID(p) && !slices.ContainsFunc(d.Packages, func(dp portal.DraftPackage) bool { return strings.EqualFold(dp.ID, p) }) {
			d.Packages = append(d.Packages, portal.DraftPackage{ID: p, Count: formAt(counts, i)})
		}
	}
	return d, issued
}

// formAt is list[i], or "" past its end.
func formAt(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// showProduct handles "GET /:cc/products/:id": a product New Order offers, with its default
// picture.
func (s *Server) showProduct(c *gin.Context) {
	p, err := instanceOf(c).svc.Product(c.Request.Context(), viewerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.show(c, http.StatusOK, web.Product(s.page(c, p.Name), p))
}

// showProductPicture handles "GET /:cc/products/:id/picture": the product's default picture,
// sent only as the image type its bytes are.
func (s *Server) showProductPicture(c *gin.Context) {
	pic, err := instanceOf(c).svc.ProductPicture(c.Request.Context(), viewerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=3600")
	c.Data(http.StatusOK, pic.MediaType, pic.Data)
}
