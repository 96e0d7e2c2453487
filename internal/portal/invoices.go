package portal

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// InvoiceRow is a row of the Invoices list. Invoices are for Billing and above, a role that
// sees prices, so amounts are always filled.
type InvoiceRow struct {
	ID        string
	Date      time.Time
	ApplyDate time.Time
	DueDate   time.Time
	Type      string `row:"shared"`
	Number    string
	// Status is Paid, Due, Overdue or Cancelled; an invoice Erp.Net holds no payment
	// information for shows InvoiceIssued.
	Status   string `row:"shared"`
	State    string `row:"shared"`
	Amount   Money
	Currency string `row:"shared"`
	Notes    string
	// CreditNoteOf is the number of the invoice a credit note corrects (when it is the same
	// customer's); CreditNoteOfID is set only when the viewer may open that invoice.
	CreditNoteOf   string
	CreditNoteOfID string
}

// invoiceSorts maps the Invoices list's sortable column keys to Domain API properties. Status
// is derived from another view, so it cannot be sorted on.
// Only attributes whose model page says "Supports Order By: True" are here.
var invoiceSorts = map[string]string{
	"date": "DocumentDate", "number": "DocumentNo",
}

// InvoiceSortable tells whether the Invoices list can sort by a column key.
func InvoiceSortable(key string) bool { _, ok := invoiceSorts[key]; return ok }

// invoiceDoc is an invoice as the portal reads it: the entity plus the expanded invoice a
// credit note corrects, which erpnet.Invoice keeps only as a reference.
type invoiceDoc struct {
	erpnet.Invoice
	Original *erpnet.Invoice
}

// UnmarshalJSON decodes the invoice and, when expanded, the original invoice of a credit note.
func (d *invoiceDoc) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &d.Invoice); err != nil {
		return err
	}
	var o struct {
		Original erpnet.Link[erpnet.Invoice] `json:"CreditNoteOriginalInvoice"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	d.Original = o.Original.Entity
	return nil
}

// originalExpand reads just enough of a credit note's original invoice to name it and to decide
// whether the viewer may open it.
var originalExpand = erpnet.Query{}.Select("Id", "DocumentNo", "DocumentDate", "Customer").
	Expand("DocumentType", erpnet.Query{}.Select("Id", "Code", "TypeName"))

// invoiceScope is every term that limits invoices to what the viewer may see: the customer, the
// instance's invoice document types and the viewer's days-back horizon.
func (s *Service) invoiceScope(v *Viewer) []erpnet.Term {
	return append(s.documentScope(v, ""), s.invoiceTypeTerms()...)
}

// invoiceFilter adds the person's filters (dates, status, search) to the scope. ok is false when
// nothing can match; notice says when a status filter had to be cut short.
func (s *Service) invoiceFilter(ctx context.Context, v *Viewer, p ListParams) (terms []erpnet.Term, ok bool, notice string, err error) {
	terms = s.invoiceScope(v)
	if !p.From.IsZero() {
		terms = append(terms, erpnet.Ge("DocumentDate", erpnet.Date(p.From)))
	}
	if !p.To.IsZero() {
		terms = append(terms, erpnet.Le("DocumentDate", erpnet.Date(p.To)))
	}
	switch p.Status {
	case InvoiceCancelled:
		terms = append(terms, erpnet.Eq("Void", erpnet.Bool(true)))
	case InvoicePaid, InvoiceDue, InvoiceOverdue:
		ids, cut, err := s.invoiceIDsByStatus(ctx, v, p)
		if err != nil || len(ids) == 0 {
			return nil, false, "", err
		}
		if cut {
			notice = "Only the newest " + strconv.Itoa(len(ids)) + " invoices with this status are listed. Narrow the dates to see older ones."
		}
		terms = append(terms, erpnet.Eq("Void", erpnet.Bool(false)), erpnet.In("Id", ids...))
	}
	terms = append(terms, columnTerms(invoiceColumnFilters, p.Filters)...)
	if p.Search == "" {
		return terms, true, notice, nil
	}
	ids, err := s.searchIDs(ctx, v, v.Current.CustomerID, s.invoiceSearches(v, p.Search))
	if err != nil || len(ids) == 0 {
		return nil, false, "", err
	}
	return append(terms, erpnet.In("Id", ids...)), true, notice, nil
}

// invoiceSearches are the queries a search runs, within the viewer's scope: the invoice number.
// The model allows no other: DocumentNotes and the lines' ProductDescription are NotFilterable
// and a line's Product is not a filterable reference.
func (s *Service) invoiceSearches(v *Viewer, text string) []erpnet.Query {
	return []erpnet.Query{erpnet.From(erpnet.SetInvoices).Where(append(slices.Clone(s.invoiceScope(v)), erpnet.Contains("DocumentNo", text))...).Select("Id")}
}

// invoiceQuery is the Invoices query for a page or an export, sorted with a stable tie-break.
func invoiceQuery(terms []erpnet.Term, p ListParams) erpnet.Query {
	q := erpnet.From(erpnet.SetInvoices).Where(terms...).
		Select("Id", "DocumentNo", "DocumentDate", "ApplyDate", "State", "Void", "AmountToPay", "PaymentDueDate",
			"DocumentNotes", "Customer", "CreditNoteOriginalInvoice").
		Expand("DocumentType", erpnet.Query{}.Select("Id", "Code", "TypeName")).
		Expand("CreditNoteOriginalInvoice", originalExpand)
	return sortDocuments(q, p, invoiceSorts)
}

// InvoicePage is one page of the Invoices list and, when a status filter was cut short, what to
// tell the person.
type InvoicePage struct {
	Page[InvoiceRow]
	Notice string
}

// Invoices is one page of the customer's invoices, with the count, per-currency totals and each
// row's payment status (one payment-balances query for the page, never one per row).
func (s *Service) Invoices(ctx context.Context, v *Viewer, p ListParams) (InvoicePage, error) {
	p = p.Normalize()
	terms, ok, notice, err := s.invoiceFilter(ctx, v, p)
	if err != nil || !ok {
		return InvoicePage{}, err
	}
	q := invoiceQuery(terms, p).Top(p.Size).Skip((p.Page - 1) * p.Size).Count()
	page, err := invoicesPages.page(ctx, s, v, q, p)
	if err == nil {
		page.Hidden, err = s.hiddenDocuments(ctx, v, erpnet.SetInvoices, s.invoiceTypeTerms())
	}
	return InvoicePage{Page: page, Notice: notice}, err
}

// invoicesPages is the Invoices list: pages of invoices as Erp.Net sorts and pages them, each
// page with its invoices' payment statuses, fetched with it (one payment-balances query for the
// page, never one per row).
var invoicesPages = &erpList[invoiceDoc, []string, InvoiceRow]{
	extra: func(ctx context.Context, s *Service, v *Viewer, docs []invoiceDoc) ([]string, error) {
		balances, err := s.invoiceBalances(ctx, v, docs)
		if err != nil {
			return nil, err
		}
		statuses := make([]string, len(docs))
		for i, d := range docs {
			statuses[i] = InvoiceStatus(d.Void, balancesOf(balances, d.ID))
		}
		return statuses, nil
	},
	row: func(s *Service, v *Viewer, d invoiceDoc, statuses []string, i int) InvoiceRow {
		r := s.invoiceRow(v, d)
		r.Status = statuses[i]
		return r
	},
	amount: func(d invoiceDoc) (erpnet.Amount, bool) { return d.AmountToPay, !d.Void },
	sorts: map[string]func(a, b InvoiceRow) int{
		"date":   func(a, b InvoiceRow) int { return a.Date.Compare(b.Date) },
		"number": func(a, b InvoiceRow) int { return strings.Compare(a.Number, b.Number) },
	},
}

// ExportInvoices streams every invoice matching p, page by page, to fn (for CSV), with the same
// statuses the screen shows.
func (s *Service) ExportInvoices(ctx context.Context, v *Viewer, p ListParams, fn func(InvoiceRow) error) error {
	terms, ok, _, err := s.invoiceFilter(ctx, v, p)
	if err != nil || !ok {
		return err
	}
	var batch []invoiceDoc
	flush := func() error {
		rows, err := s.invoiceRows(ctx, v, batch)
		if err != nil {
			return err
		}
		batch = batch[:0]
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	err = stream(ctx, s, invoiceQuery(terms, p), func(d invoiceDoc) error {
		batch = append(batch, d)
		if len(batch) == statusChunk {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// invoiceRows turns invoices into rows with their payment statuses.
func (s *Service) invoiceRows(ctx context.Context, v *Viewer, docs []invoiceDoc) ([]InvoiceRow, error) {
	balances, err := s.invoiceBalances(ctx, v, docs)
	if err != nil {
		return nil, err
	}
	rows := make([]InvoiceRow, 0, len(docs))
	for _, d := range docs {
		r := s.invoiceRow(v, d)
		r.Status = InvoiceStatus(d.Void, balancesOf(balances, d.ID))
		rows = append(rows, r)
	}
	return rows, nil
}

// invoiceRow is the row of one invoice, without its status.
func (s *Service) invoiceRow(v *Viewer, d invoiceDoc) InvoiceRow {
	r := InvoiceRow{ID: d.ID, Date: d.DocumentDate.Time, ApplyDate: d.ApplyDate.Time, DueDate: d.PaymentDueDate.Time,
		Number: d.DocumentNo, State: intern(d.State), Amount: Money{d.AmountToPay.Value, intern(d.AmountToPay.Currency)},
		Currency: intern(d.AmountToPay.Currency), Notes: d.DocumentNotes}
	if dt := d.DocumentType.Entity; dt != nil {
		r.Type = intern(s.text(v, dt.TypeName))
	}
	if o := d.Original; o != nil && strings.EqualFold(o.Customer.ID, v.Current.CustomerID) {
		r.CreditNoteOf = o.DocumentNo
		if s.visible(v, o.Customer.ID, o.DocumentDate.Time, o.DocumentType.Entity, s.inst.InvoiceDocumentTypes) {
			r.CreditNoteOfID = o.ID
		}
	}
	return r
}
