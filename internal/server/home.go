package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/web"
)

// showHome handles "GET /:cc/".
func (s *Server) showHome(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	shown := in.svc.Shows(vw)
	d := web.HomeView{ShowOrders: shown.Orders, ShowInvoices: shown.Invoices, ShowDue: shown.Due}
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
		d.Due, d.HiddenDue = sum.ByCurrency, sum.Hidden
	}
	s.show(c, http.StatusOK, web.Home(s.page(c, "Home"), d))
}
