package portal

import (
	"cmp"
	"context"
	"strings"
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

// dueList is the Due Payments list. No attribute of PaymentBalances supports $orderby, so the
// portal sorts: it holds every open item of the customer (a bounded set, read in one cached call),
// which also lets it search by part of a number, where Erp.Net allows only eq. The oldest due
// date comes first: what to pay first.
var dueList = &memoryList[DuePayment]{
	name: "due",
	sorts: map[string]func(a, b DuePayment) int{
		"due":       func(a, b DuePayment) int { return a.DueDate.Compare(b.DueDate) },
		"status":    func(a, b DuePayment) int { return strings.Compare(a.Status, b.Status) },
		"amount":    func(a, b DuePayment) int { return cmp.Compare(a.OrderAmount.Value, b.OrderAmount.Value) },
		"paid":      func(a, b DuePayment) int { return cmp.Compare(a.Paid.Value, b.Paid.Value) },
		"remaining": func(a, b DuePayment) int { return cmp.Compare(a.Remaining.Value, b.Remaining.Value) },
		"invoice":   func(a, b DuePayment) int { return strings.Compare(a.InvoiceNo, b.InvoiceNo) },
		"document":  func(a, b DuePayment) int { return strings.Compare(a.DocumentNo, b.DocumentNo) },
		"docdate":   func(a, b DuePayment) int { return a.DocumentDate.Compare(b.DocumentDate) },
		"paystatus": func(a, b DuePayment) int { return strings.Compare(a.PaymentStatus, b.PaymentStatus) },
	},
	defaultSort: "due",
	ties:        []string{"document"},
	match: func(d DuePayment, p ListParams, needle string) bool {
		member, byStatus := dueStatusMembers[p.Status]
		switch {
		case !p.From.IsZero() && d.DueDate.Before(p.From), !p.To.IsZero() && d.DueDate.After(p.To):
			return false
		case byStatus && DueStatusText(member) != d.Status:
			return false
		case needle != "" && !strings.Contains(strings.ToLower(d.InvoiceNo), needle) && !strings.Contains(strings.ToLower(d.DocumentNo), needle):
			return false
		case !dueMatchesColumns(d, p.Filters):
			return false
		}
		return true
	},
	amount: func(d DuePayment) Money { return d.Remaining },
}

// DueSortable tells whether the Due Payments list can sort by a column key.
func DueSortable(key string) bool { return dueList.Sortable(key) }

// dueScope is every term that limits the payment balances to what the viewer may see and what
// is still owed: the customer's party, receivables (Direction Incoming), something left to pay
// (Erp.Net has no `gt`, so "more than zero" is "at least a cent") and the horizon on the
// document date.
func (s *Service) dueScope(ctx context.Context, v *Viewer) ([]erpnet.Term, error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, err
	}
	terms = append(terms, erpnet.Eq("Direction", erpnet.Enum("Incoming")), erpnet.Ge("RemainingAmountValue", erpnet.Decimal(0.01)))
	if h := s.horizon(v); !h.IsZero() {
		terms = append(terms, erpnet.Ge("RefDocumentDate", erpnet.Date(h)))
	}
	return terms, nil
}

// dueColumns is what Due Payments reads of an open item, built once (see orderColumns).
var dueColumns = erpnet.From(erpnet.SetPaymentBalances).
	Select("DueDate", "DueStatus", "PaymentStatus", "OrderAmount", "PaidAmount", "RemainingAmount",
		"RefDocumentNo", "RefDocumentDate", "RefInvoiceDocumentNo", "RefInvoiceDocument")

// openItems is every open item of the viewer's customer within the horizon as rows of the list,
// read in one cached call, with their cache key and version. What is cached is the rows, not
// Erp.Net's balances; DaysOverdue is left at 0 there, since it changes with the day, and is set
// on the rows a page or an export hands out (see withDays). The view has no Id, so none is
// selected.
func (s *Service) openItems(ctx context.Context, v *Viewer) ([]DuePayment, string, time.Time, error) {
	scope, err := s.dueScope(ctx, v)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	q := dueColumns.Where(scope...)
	key := "due:" + q.String()
	rows, version, err := cachedAt(ctx, s, v, v.Current.CustomerID, cache.KindLists, key, func(ctx context.Context) ([]DuePayment, error) {
		var balances []erpnet.PaymentBalance
		if err := s.erp.ListAll(ctx, q, &balances); err != nil {
			return nil, err
		}
		out := make([]DuePayment, len(balances))
		for i, b := range balances {
			out[i] = duePayment(b)
		}
		return out, nil
	})
	return rows, key, version, err
}

// withDays is d with its days overdue as of today.
func withDays(d DuePayment, today time.Time) DuePayment {
	d.DaysOverdue = max(0, daysPast(d.DueDate, today))
	return d
}

// matchingDue is the open items matching the person's filters, in the asked order.
func (s *Service) matchingDue(ctx context.Context, v *Viewer, p ListParams) (matched[DuePayment], error) {
	rows, key, version, err := s.openItems(ctx, v)
	if err != nil {
		return matched[DuePayment]{}, err
	}
	return dueList.matching(s, v.Current.CustomerID, rows, key, version, p), nil
}

// DuePayments is one page of what the customer still owes, with the count and the remaining
// amounts per currency of every matching row.
func (s *Service) DuePayments(ctx context.Context, v *Viewer, p ListParams) (Page[DuePayment], error) {
	p = p.Normalize()
	m, err := s.matchingDue(ctx, v, p)
	if err != nil {
		return Page[DuePayment]{}, err
	}
	page, today := m.page(p), s.today()
	for i, d := range page.Rows {
		page.Rows[i] = withDays(d, today)
	}
	return page, nil
}

// NextDue is what falls due next: the first n open items due today or later, soonest first,
// with their days overdue (none yet). Home shows them; made from the same cached open items as
// Due Payments, so it costs no call of its own.
func (s *Service) NextDue(ctx context.Context, v *Viewer, n int) ([]DuePayment, error) {
	rows, key, version, err := s.openItems(ctx, v)
	if err != nil {
		return nil, err
	}
	p := ListParams{From: s.today(), Sort: "due", Page: 1, Size: n}
	return dueList.matching(s, v.Current.CustomerID, rows, key, version, p).page(p).Rows, nil
}

// ExportDuePayments hands every due payment matching p to fn (for CSV).
func (s *Service) ExportDuePayments(ctx context.Context, v *Viewer, p ListParams, fn func(DuePayment) error) error {
	m, err := s.matchingDue(ctx, v, p.Normalize())
	if err != nil {
		return err
	}
	today := s.today()
	return m.each(func(d DuePayment) error { return fn(withDays(d, today)) })
}

// duePayment is the row of an open item, its days overdue left to withDays.
func duePayment(b erpnet.PaymentBalance) DuePayment {
	status := DueStatusText(b.DueStatus)
	if s, ok := paymentStatusTexts[b.PaymentStatus]; ok {
		b.PaymentStatus = s
	}
	return DuePayment{ID: b.ID, DueDate: b.DueDate.Time, Status: status,
		OrderAmount: money(b.OrderAmount), Paid: money(b.PaidAmount), Remaining: money(b.RemainingAmount),
		InvoiceID: b.RefInvoiceDocument.ID, InvoiceNo: b.RefInvoiceDocumentNo, DocumentNo: b.RefDocumentNo,
		DocumentDate: b.RefDocumentDate.Time, PaymentStatus: b.PaymentStatus, Currency: b.RemainingAmount.Currency}
}

func money(a erpnet.Amount) Money { return Money{Value: a.Value, Currency: a.Currency} }
