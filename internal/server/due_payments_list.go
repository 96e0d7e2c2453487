package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// duePaymentsList is the Due Payments list: what the customer still owes.
func duePaymentsList(base string) *listSpec[portal.DuePayment] {
	statusBadge := func(r portal.DuePayment) string {
		switch r.Status {
		case portal.DueStatusOverdue:
			return "bad"
		case portal.DueStatusGrace:
			return "warn"
		case portal.DueStatusDue:
			return "due"
		case portal.DueStatusScheduled:
			return "ok"
		}
		return "plain"
	}
	invoiceHref := func(r portal.DuePayment) string {
		if r.InvoiceID == "" {
			return ""
		}
		return base + "/invoices/" + r.InvoiceID
	}
	return &listSpec[portal.DuePayment]{
		Name: "due-payments", Title: "Due payments", Statuses: portal.DueStatuses, Empty: "Nothing is due that matches.",
		SearchHint:   "Invoice or document number…",
		ColumnFilter: portal.DueColumnFilter,
		Sum:          func(r portal.DuePayment) *portal.Money { return &r.Remaining },
		Columns: []column[portal.DuePayment]{
			{Key: "due", Group: true, Label: "Due date", Default: true, Sortable: true, Date: func(r portal.DuePayment) time.Time { return r.DueDate }},
			{Key: "status", Group: true, Label: "Status", Default: true, Sortable: true, Text: func(r portal.DuePayment) string { return r.Status }, Badge: statusBadge},
			{Key: "amount", Label: "Order amount", Num: true, Default: true, Sortable: true, Money: func(r portal.DuePayment) *portal.Money { return &r.OrderAmount }},
			{Key: "paid", Label: "Paid", Num: true, Default: true, Sortable: true, Money: func(r portal.DuePayment) *portal.Money { return &r.Paid }},
			{Key: "remaining", Label: "Remaining", Num: true, Default: true, Sortable: true, Money: func(r portal.DuePayment) *portal.Money { return &r.Remaining }},
			{Key: "invoice", Label: "Invoice", Default: true, Sortable: true, Text: func(r portal.DuePayment) string { return r.InvoiceNo }, Href: invoiceHref},
			{Key: "overdue", Label: "Days overdue", Num: true, Text: func(r portal.DuePayment) string {
				if r.DaysOverdue == 0 {
					return ""
				}
				return strconv.Itoa(r.DaysOverdue)
			}},
			{Key: "document", Label: "Document no", Sortable: true, Text: func(r portal.DuePayment) string { return r.DocumentNo }},
			{Key: "docdate", Group: true, Label: "Document date", Sortable: true, Date: func(r portal.DuePayment) time.Time { return r.DocumentDate }},
			{Key: "paystatus", Group: true, Label: "Payment status", Sortable: true, Text: func(r portal.DuePayment) string { return r.PaymentStatus }},
			{Key: "currency", Group: true, Label: "Currency", Text: func(r portal.DuePayment) string { return r.Currency }},
		},
	}
}

// showDuePayments handles "GET /:cc/due-payments": the aging summary of everything owed, then
// the list with the person's filters.
func (s *Server) showDuePayments(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	ctx := c.Request.Context()
	p, problems := parseListParams(c, in.lists.due, vw.Current.Role, portal.DueSortable)
	summary, err := in.svc.DueSummary(ctx, vw)
	if err != nil {
		s.fail(c, err)
		return
	}
	page, err := in.svc.DuePayments(ctx, vw, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	data := web.DuePaymentsView{List: buildList(c, in.lists.due, in, vw.Current.Role, p, problems, page), Summary: summary}
	s.show(c, http.StatusOK, web.DuePayments(s.page(c, "Due payments"), data))
}

// exportDuePayments handles "GET /:cc/due-payments.csv": the list as shown, every page, as CSV.
func (s *Server) exportDuePayments(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, _ := parseListParams(c, in.lists.due, vw.Current.Role, portal.DueSortable)
	err := writeCSV(s, c, in.lists.due, in, vw.Current.Role, func(fn func(portal.DuePayment) error) error {
		return in.svc.ExportDuePayments(c.Request.Context(), vw, p, fn)
	})
	if err != nil {
		s.log.Warn("due payments export stopped", zapErr(c, err)...)
	}
}
