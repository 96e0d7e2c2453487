package portal

import (
	"context"
	"slices"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Due statuses as the portal shows them.
const (
	DueStatusScheduled     = "Scheduled"
	DueStatusDue           = "Due"
	DueStatusGrace         = "Grace period"
	DueStatusOverdue       = "Overdue"
	DueStatusNotApplicable = "Not applicable"
)

// DueStatuses are the status filter choices of the Due Payments list, most urgent first.
var DueStatuses = []string{DueStatusOverdue, DueStatusGrace, DueStatusDue, DueStatusScheduled}

// dueStatusMembers maps the shown statuses to Erp.Net's DueStatus members.
var dueStatusMembers = map[string]string{
	DueStatusScheduled: "Scheduled", DueStatusDue: "Due", DueStatusGrace: "GracePeriod",
	DueStatusOverdue: "Overdue", DueStatusNotApplicable: "NotApplicable",
}

// DueStatusText is how the portal names an Erp.Net DueStatus member.
func DueStatusText(member string) string {
	for text, m := range dueStatusMembers {
		if m == member {
			return text
		}
	}
	return member
}

var paymentStatusTexts = map[string]string{
	"Unpaid": "Unpaid", "PartiallyPaid": "Partially paid", "Paid": "Paid", "Overpaid": "Overpaid", "Other": "Other",
}

// DuePayment is a row of the Due Payments list: one payment order the customer still owes on.
type DuePayment struct {
	ID            string
	DueDate       time.Time
	Status        string // DueStatus as shown: Due, Overdue, Grace period, Scheduled
	DaysOverdue   int    // whole days past the due date as of today; 0 when not yet due
	OrderAmount   Money
	Paid          Money
	Remaining     Money
	InvoiceID     string
	InvoiceNo     string
	DocumentNo    string
	DocumentDate  time.Time
	PaymentStatus string
	Currency      string
}

// dueSorts maps the Due Payments list's sortable column keys to Domain API properties.
var dueSorts = map[string]string{
	"due": "DueDate", "status": "DueStatus", "amount": "OrderAmountValue", "paid": "PaidAmountValue",
	"remaining": "RemainingAmountValue", "invoice": "RefInvoiceDocumentNo", "document": "RefDocumentNo",
	"docdate": "RefDocumentDate", "paystatus": "PaymentStatus",
}

// DueSortable tells whether the Due Payments list can sort by a column key.
func DueSortable(key string) bool { _, ok := dueSorts[key]; return ok }

// dueScope is every term that limits the payment balances to what the viewer may see and what
// is still owed: the customer's party, receivables (Direction R), something left to pay (Erp.Net
// has no `gt`, so "more than zero" is "at least a cent") and the horizon on the document date.
func (s *Service) dueScope(ctx context.Context, v *Viewer) ([]erpnet.Term, error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, err
	}
	terms = append(terms, erpnet.Eq("Direction", erpnet.Enum("R")), erpnet.Ge("RemainingAmountValue", erpnet.Decimal(0.01)))
	if h := v.Horizon(s.now()); !h.IsZero() {
		terms = append(terms, erpnet.Ge("RefDocumentDate", erpnet.Date(h)))
	}
	return terms, nil
}

// dueFilter adds the person's filters to the scope: due dates, status and a search of the
// invoice and document numbers. ok is false when the search found nothing.
func (s *Service) dueFilter(ctx context.Context, v *Viewer, p ListParams) (terms []erpnet.Term, ok bool, err error) {
	scope, err := s.dueScope(ctx, v)
	if err != nil {
		return nil, false, err
	}
	terms = slices.Clone(scope)
	if !p.From.IsZero() {
		terms = append(terms, erpnet.Ge("DueDate", erpnet.Date(p.From)))
	}
	if !p.To.IsZero() {
		terms = append(terms, erpnet.Le("DueDate", erpnet.Date(p.To)))
	}
	if m, known := dueStatusMembers[p.Status]; known {
		terms = append(terms, erpnet.Eq("DueStatus", erpnet.Enum(m)))
	}
	if p.Search == "" {
		return terms, true, nil
	}
	var queries []erpnet.Query
	for _, field := range []string{"RefInvoiceDocumentNo", "RefDocumentNo"} {
		queries = append(queries, erpnet.From(erpnet.SetPaymentBalances).
			Where(append(slices.Clone(scope), erpnet.Contains(field, p.Search))...).Select("Id"))
	}
	ids, err := s.searchIDs(ctx, v.Current.CustomerID, queries)
	if err != nil || len(ids) == 0 {
		return nil, false, err
	}
	return append(terms, erpnet.In("Id", ids...)), true, nil
}

// dueQuery is the Due Payments query for a page or an export, sorted with a stable tie-break;
// by default the oldest due date first, since that is what to pay first.
func dueQuery(terms []erpnet.Term, p ListParams) erpnet.Query {
	q := erpnet.From(erpnet.SetPaymentBalances).Where(terms...).
		Select("Id", "DueDate", "DueStatus", "PaymentStatus", "OrderAmount", "PaidAmount", "RemainingAmount",
			"RefDocumentNo", "RefDocumentDate", "RefInvoiceDocumentNo", "RefInvoiceDocument")
	sortKey, desc := p.Sort, p.Desc
	if _, ok := dueSorts[sortKey]; !ok {
		sortKey, desc = "due", false
	}
	q = q.OrderBy(dueSorts[sortKey], desc)
	if sortKey != "due" {
		q = q.OrderBy("DueDate", desc)
	}
	if sortKey != "document" {
		q = q.OrderBy("RefDocumentNo", desc)
	}
	return q
}

// DuePayments is one page of what the customer still owes, with the count and the remaining
// amounts per currency of every matching row (a customer has at most hundreds of open items,
// so the totals are one light cached read).
func (s *Service) DuePayments(ctx context.Context, v *Viewer, p ListParams) (Page[DuePayment], error) {
	p = p.Normalize()
	terms, ok, err := s.dueFilter(ctx, v, p)
	if err != nil || !ok {
		return Page[DuePayment]{}, err
	}
	q := dueQuery(terms, p).Top(p.Size).Skip((p.Page - 1) * p.Size).Count()
	type result struct {
		Rows  []erpnet.PaymentBalance
		Total int
	}
	res, err := cached(ctx, s, v.Current.CustomerID, cache.KindLists, q.String(), func(ctx context.Context) (result, error) {
		var rows []erpnet.PaymentBalance
		info, err := s.erp.ListPage(ctx, q, &rows)
		return result{rows, info.Count}, err
	})
	if err != nil {
		return Page[DuePayment]{}, err
	}
	all, err := listAll[erpnet.PaymentBalance](ctx, s, v.Current.CustomerID, cache.KindLists,
		erpnet.From(erpnet.SetPaymentBalances).Where(terms...).Select("RemainingAmount"))
	if err != nil {
		return Page[DuePayment]{}, err
	}
	page := Page[DuePayment]{Total: res.Total, AllTotals: true}
	today := s.today()
	for _, b := range res.Rows {
		page.Rows = append(page.Rows, duePayment(b, today))
	}
	remaining := make([]erpnet.Amount, len(all))
	for i, b := range all {
		remaining[i] = b.RemainingAmount
	}
	page.Totals = sumByCurrency(remaining)
	return page, nil
}

// ExportDuePayments streams every due payment matching p, page by page, to fn (for CSV).
func (s *Service) ExportDuePayments(ctx context.Context, v *Viewer, p ListParams, fn func(DuePayment) error) error {
	terms, ok, err := s.dueFilter(ctx, v, p)
	if err != nil || !ok {
		return err
	}
	today := s.today()
	return stream(ctx, s, dueQuery(terms, p), func(b erpnet.PaymentBalance) error { return fn(duePayment(b, today)) })
}

func duePayment(b erpnet.PaymentBalance, today time.Time) DuePayment {
	status := DueStatusText(b.DueStatus)
	if s, ok := paymentStatusTexts[b.PaymentStatus]; ok {
		b.PaymentStatus = s
	}
	return DuePayment{ID: b.ID, DueDate: b.DueDate.Time, Status: status, DaysOverdue: max(0, daysPast(b.DueDate.Time, today)),
		OrderAmount: money(b.OrderAmount), Paid: money(b.PaidAmount), Remaining: money(b.RemainingAmount),
		InvoiceID: b.RefInvoiceDocument.ID, InvoiceNo: b.RefInvoiceDocumentNo, DocumentNo: b.RefDocumentNo,
		DocumentDate: b.RefDocumentDate.Time, PaymentStatus: b.PaymentStatus, Currency: b.RemainingAmount.Currency}
}

func money(a erpnet.Amount) Money { return Money{Value: a.Value, Currency: a.Currency} }
