package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// showPay handles "GET /:cc/due-payments/pay": the open items to choose from and, for those
// chosen (d=document number, repeated), one transfer per currency with its QR code. A GET, since
// it changes nothing: the person pays in their bank.
func (s *Server) showPay(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	ctx := c.Request.Context()
	chosen := c.QueryArray("d")
	v := web.PayView{Chosen: map[string]bool{}}
	for _, d := range chosen {
		v.Chosen[d] = true
	}
	page, err := in.svc.DuePayments(ctx, vw, portal.ListParams{Size: portal.MaxPaySelection, Sort: "due"})
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Items = page.Rows
	if len(chosen) > 0 {
		v.Transfers, err = in.svc.DueTransfers(ctx, vw, chosen)
		var pe *portal.Error
		switch {
		case errors.As(err, &pe) && pe.Kind == portal.KindInvalid:
			v.Problem = refusal(c, pe)
		case err != nil:
			s.fail(c, err)
			return
		case len(v.Transfers) == 0:
			v.Problem = tr(c, "None of the chosen items is still to pay.")
		}
	}
	s.show(c, http.StatusOK, web.Pay(s.page(c, "Pay by bank transfer"), v))
}
