package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// homeRows is how many recent orders and next due items Home lists.
const homeRows = 5

// showHome handles "GET /:cc/": this month's counts, what is owed, the recent orders and what
// falls due next, and New Order where the person may place orders.
func (s *Server) showHome(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	shown := in.svc.Shows(vw)
	d := web.HomeView{ShowOrders: shown.Orders, ShowInvoices: shown.Invoices, ShowDue: shown.Due, Prices: shown.OrderPrices,
		Reorder: shown.Reorder}
	if shown.NewOrder {
		d.NewOrderHref = in.base + "/orders/new"
	}
	ctx := c.Request.Context()
	var err error
	if d.ShowOrders {
		if d.OrdersThisMonth, err = in.svc.OrdersThisMonth(ctx, vw); err != nil {
			s.fail(c, err)
			return
		}
		// The Orders list's first page as it opens: one cached read both pages share.
		recent, err := in.svc.Orders(ctx, vw, portal.ListParams{})
		if err != nil {
			s.fail(c, err)
			return
		}
		d.RecentOrders = recent.Rows[:min(homeRows, len(recent.Rows))]
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
		if d.NextDue, err = in.svc.NextDue(ctx, vw, homeRows); err != nil {
			s.fail(c, err)
			return
		}
	}
	// The answers are a notice beside the page: when they cannot be read, Home shows the rest.
	if d.Answers, err = in.svc.Answers(ctx, vw); err != nil {
		s.log.Warn("answers to messages could not be read", zapErr(c, err)...)
		d.Answers = nil
		c.Set(noKeepKey, true)
	}
	s.show(c, http.StatusOK, web.Home(s.page(c, "Home"), d))
}
