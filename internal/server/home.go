package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// homeData is the Home page: shortcuts by role and this month's counts.
type homeData struct {
	ShowOrders, ShowInvoices, ShowDue  bool
	OrdersThisMonth, InvoicesThisMonth int
	// Due is what the customer still owes, per currency, and how much of it is overdue.
	Due []portal.Aging
}

// showHome handles "GET /:cc/".
func (s *Server) showHome(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	role := vw.Current.Role
	d := homeData{ShowOrders: in.cfg.IsOrdersEnabled && role.Can(access.ViewOrders), ShowInvoices: role.Can(access.ViewInvoices), ShowDue: role.Can(access.ViewDue)}
	ctx := c.Request.Context()
	var err error
	if d.ShowOrders {
		if d.OrdersThisMonth, err = in.svc.OrdersThisMonth(ctx, vw); err != nil {
			s.fail(c, err)
			return
		}
	}
	if d.ShowInvoices {
		if d.InvoicesThisMonth, err = in.svc.InvoicesThisMonth(ctx, vw); err != nil {
			s.fail(c, err)
			return
		}
	}
	if d.ShowDue {
		sum, err := in.svc.DueSummary(ctx, vw)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.Due = sum.ByCurrency
	}
	s.renderKept(c, http.StatusOK, "home", s.page(c, "Home", d), d.key())
}

// key names everything the Home page shows besides the frame: every field of homeData.
func (d homeData) key() string {
	k := make(keyWriter, 0, 32)
	k.flag(d.ShowOrders)
	k.flag(d.ShowInvoices)
	k.flag(d.ShowDue)
	k.num(d.OrdersThisMonth)
	k.num(d.InvoicesThisMonth)
	k.num(len(d.Due))
	for _, a := range d.Due {
		k.str(a.Remaining.String(), a.Overdue.String())
	}
	return string(k)
}
