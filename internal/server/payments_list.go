package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// paymentsList is Payment History: payments made and what they covered, each opening its page.
func paymentsList(base string) *listSpec[portal.PaymentRow] {
	return &listSpec[portal.PaymentRow]{
		Name: "payments", Title: "Payments", Empty: "No payments match.",
		SearchHint:   "Payment or invoice number…",
		ColumnFilter: portal.PaymentColumnFilter,
		Sum:          func(r portal.PaymentRow) *portal.Money { return &r.Amount },
		Columns: []column[portal.PaymentRow]{
			{Key: "date", Group: true, Label: "Date", Default: true, Sortable: true, Date: func(r portal.PaymentRow) time.Time { return r.Date }},
			{Key: "number", Label: "Number", Default: true, Sortable: true, Text: func(r portal.PaymentRow) string { return r.Number },
				Href: func(r portal.PaymentRow) string { return base + "/payments/" + r.ID }},
			{Key: "amount", Label: "Amount", Num: true, Default: true, Sortable: true, Money: func(r portal.PaymentRow) *portal.Money { return &r.Amount }},
			{Key: "covers", Label: "Paid for", Default: true, Text: func(r portal.PaymentRow) string { return strings.Join(r.Covers, ", ") }},
			{Key: "currency", Group: true, Label: "Currency", Text: func(r portal.PaymentRow) string { return r.Currency }},
		},
	}
}

// showPayments handles "GET /:cc/payments": the payments of the last 12 months.
func (s *Server) showPayments(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, problems := parseListParams(c, in.lists.payments, vw.Current.Role, portal.PaymentSortable)
	h, err := in.svc.Payments(c.Request.Context(), vw, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !p.From.IsZero() && p.From.Before(h.Since) {
		problems = append(problems, tr(c, "From: payments are shown from %s on; older dates are left out.", locale.Date(langOf(c), h.Since)))
	}
	data := web.PaymentsView{List: buildList(c, in.lists.payments, in, vw.Current.Role, p, problems, h.Page),
		Since: locale.Date(langOf(c), h.Since), Capped: h.Capped, Max: groupThousands(portal.PaymentsMax)}
	s.show(c, http.StatusOK, web.Payments(s.page(c, "Payments"), data))
}

// exportPayments handles "GET /:cc/payments.csv": the list as shown, every page, as CSV.
func (s *Server) exportPayments(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, _ := parseListParams(c, in.lists.payments, vw.Current.Role, portal.PaymentSortable)
	err := writeCSV(s, c, in.lists.payments, in, vw.Current.Role, func(fn func(portal.PaymentRow) error) error {
		return in.svc.ExportPayments(c.Request.Context(), vw, p, fn)
	})
	if err != nil {
		s.log.Warn("payments export stopped", zapErr(c, err)...)
	}
}

// groupThousands writes n with commas between groups of three digits ("1,000").
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// showPayment handles "GET /:cc/payments/:id": a payment and what it paid, invoice by invoice.
func (s *Server) showPayment(c *gin.Context) {
	in := instanceOf(c)
	pm, err := in.svc.Payment(c.Request.Context(), viewerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.show(c, http.StatusOK, web.Payment(s.page(c, tr(c, "Payment %s", pm.Number)), pm))
}
