package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// invoiceBadges are the badges of the invoice statuses.
var invoiceBadges = map[string]string{portal.InvoicePaid: "ok", portal.InvoiceDue: "warn", portal.InvoiceOverdue: "bad", portal.InvoiceCancelled: "bad"}

// invoicesList is the Invoices list: its columns. Every column needs only what the page needs
// (Billing), which sees amounts.
func invoicesList(base string) *listSpec[portal.InvoiceRow] {
	statusBadge := func(r portal.InvoiceRow) string { return invoiceBadges[r.Status] }
	return &listSpec[portal.InvoiceRow]{
		Name: "invoices", Title: "Invoices", Statuses: portal.InvoiceStatuses, Empty: "No invoices match.",
		SearchHint:   "Invoice number…", // DocumentNo: the invoice's other texts and its lines are NotFilterable
		ColumnFilter: portal.InvoiceColumnFilter,
		Sum: func(r portal.InvoiceRow) *portal.Money {
			if r.Status == portal.InvoiceCancelled {
				return nil
			}
			return &r.Amount
		},
		Columns: []column[portal.InvoiceRow]{
			{Key: "date", Group: true, Label: "Date", Default: true, Sortable: true, Date: func(r portal.InvoiceRow) time.Time { return r.Date }},
			{Key: "type", Group: true, Label: "Type", Default: true, Text: func(r portal.InvoiceRow) string { return r.Type }},
			{Key: "number", Label: "Number", Default: true, Sortable: true, Text: func(r portal.InvoiceRow) string { return r.Number },
				Href: func(r portal.InvoiceRow) string { return base + "/invoices/" + r.ID }},
			{Key: "amount", Label: "Amount", Num: true, Default: true, Money: func(r portal.InvoiceRow) *portal.Money { return &r.Amount }},
			{Key: "due", Group: true, Label: "Due date", Default: true, Date: func(r portal.InvoiceRow) time.Time { return r.DueDate }},
			{Key: "status", Group: true, Label: "Status", Default: true, Text: func(r portal.InvoiceRow) string { return r.Status }, Badge: statusBadge},
			{Key: "currency", Group: true, Label: "Currency", Text: func(r portal.InvoiceRow) string { return r.Currency }},
			{Key: "apply", Label: "Apply date", Date: func(r portal.InvoiceRow) time.Time { return r.ApplyDate }},
			{Key: "notes", Label: "Notes", Text: func(r portal.InvoiceRow) string { return r.Notes }},
			{Key: "original", Label: "Credit note of", Text: func(r portal.InvoiceRow) string { return r.CreditNoteOf },
				Href: func(r portal.InvoiceRow) string {
					if r.CreditNoteOfID == "" {
						return ""
					}
					return base + "/invoices/" + r.CreditNoteOfID
				}},
		},
	}
}

// showInvoices handles "GET /:cc/invoices".
func (s *Server) showInvoices(c *gin.Context) {
	p, problems := parseListParams(c, instanceOf(c).lists.invoices, viewerOf(c).Current.Role, portal.InvoiceSortable)
	s.renderInvoices(c, http.StatusOK, p, problems)
}

// renderInvoices draws the Invoices list for p with problems shown above it: the list itself, and
// the answer to a ZIP request that cannot be served, which keeps what the person typed.
func (s *Server) renderInvoices(c *gin.Context, status int, p portal.ListParams, problems []string) {
	in := instanceOf(c)
	vw := viewerOf(c)
	page, err := in.svc.Invoices(c.Request.Context(), vw, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	lv := buildList(c, in.lists.invoices, in, vw.Current.Role, p, problems, page.Page)
	q := c.Request.URL.Query()
	lv.Return = in.base + "/invoices?" + q.Encode()
	data := web.InvoicesView{List: lv, Notice: page.Notice, ZipHref: in.base + "/invoices.zip", ZipMax: portal.MaxZipInvoices,
		ZipOpen: strings.HasSuffix(c.Request.URL.Path, ".zip")}
	for _, k := range []string{"dir", "q", "sort", "status"} {
		if v := q.Get(k); v != "" {
			data.Hidden = append(data.Hidden, web.Field{Name: k, Value: v})
		}
	}
	s.show(c, status, web.Invoices(s.page(c, "Invoices"), data))
}

// exportInvoices handles "GET /:cc/invoices.csv": the list as shown, every page, as CSV.
func (s *Server) exportInvoices(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	p, _ := parseListParams(c, in.lists.invoices, vw.Current.Role, portal.InvoiceSortable)
	err := writeCSV(s, c, in.lists.invoices, in, vw.Current.Role, func(fn func(portal.InvoiceRow) error) error {
		return in.svc.ExportInvoices(c.Request.Context(), vw, p, fn)
	})
	if err != nil {
		s.log.Warn("invoices export stopped", zapErr(c, err)...)
	}
}
