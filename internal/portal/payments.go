package portal

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// PaymentsMax is how many payments Payment History shows at most, as the vendor's portal does.
const PaymentsMax = 1000

// paymentsMonths is how far back Payment History reaches.
const paymentsMonths = 12

// PaymentRow is a row of Payment History: a payment and what it covered.
type PaymentRow struct {
	ID       string
	Date     time.Time
	Number   string
	Amount   Money
	Currency string
	// Covers are the document numbers (usually invoices) of the payment orders it paid, in order.
	Covers []string
}

// PaymentHistory is one page of Payment History with the window it covers.
type PaymentHistory struct {
	Page[PaymentRow]
	// Since is the oldest date shown: 12 months back, or the viewer's horizon when later.
	Since time.Time
	// Capped is true when more payments matched than PaymentsMax; the newest are shown.
	Capped bool
}

// payment and its parts are the rows read from Erp.Net: a payment with its lines and, through
// each line, the payment order it covered.
type payment struct {
	ID           string        `json:"Id"`
	DocumentNo   string        `json:"DocumentNo"`
	DocumentDate erpnet.Time   `json:"DocumentDate"`
	TotalAmount  erpnet.Amount `json:"TotalAmount"`
	Lines        []paymentLine `json:"Lines"`
}

type paymentLine struct {
	PaymentOrder erpnet.Link[paymentOrder] `json:"PaymentOrder"`
}

type paymentOrder struct {
	DocumentNo    string      `json:"DocumentNo"`
	DocumentDate  erpnet.Time `json:"DocumentDate"`
	RefDocumentNo string      `json:"RefDocumentNo"`
}

// paymentSorts are the sortable column keys of Payment History.
var paymentSorts = map[string]func(a, b PaymentRow) int{
	"date":   func(a, b PaymentRow) int { return a.Date.Compare(b.Date) },
	"number": func(a, b PaymentRow) int { return strings.Compare(a.Number, b.Number) },
	"amount": func(a, b PaymentRow) int {
		return cmp.Or(strings.Compare(a.Currency, b.Currency), cmp.Compare(a.Amount.Value, b.Amount.Value))
	},
}

// PaymentSortable tells whether Payment History can sort by a column key.
func PaymentSortable(key string) bool { _, ok := paymentSorts[key]; return ok }

// paymentsSince is the oldest date Payment History shows the viewer.
func (s *Service) paymentsSince(v *Viewer) time.Time {
	since := s.today().AddDate(0, -paymentsMonths, 0)
	if h := v.Horizon(s.now()); h.After(since) {
		since = h
	}
	return since
}

// matchingPayments reads the payments of the window (and the person's date range) — the newest
// PaymentsMax, with what each covered, in one cached call — then searches and sorts them in
// memory. The cap makes that bounded, and it lets the search match the payment's number and the
// numbers it covered together, which one Erp.Net filter could not (there is no `or`).
func (s *Service) matchingPayments(ctx context.Context, v *Viewer, p ListParams) ([]PaymentRow, bool, error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, false, err
	}
	from := s.paymentsSince(v)
	if p.From.After(from) {
		from = p.From
	}
	// Incoming only: an outgoing transaction to the same party is a refund, not a payment.
	terms = append(terms, erpnet.Eq("Direction", erpnet.Enum("Incoming")), erpnet.Eq("Void", erpnet.Bool(false)), erpnet.Ge("DocumentDate", erpnet.Date(from)))
	if !p.To.IsZero() {
		terms = append(terms, erpnet.Le("DocumentDate", erpnet.Date(p.To)))
	}
	q := erpnet.From(erpnet.SetPaymentTransactions).Where(terms...).
		Select("Id", "DocumentNo", "DocumentDate", "TotalAmount").
		Expand("Lines", erpnet.Query{}.Select("Id").Expand("PaymentOrder", erpnet.Query{}.Select("DocumentNo", "DocumentDate", "RefDocumentNo"))).
		OrderBy("DocumentDate", true).OrderBy("DocumentNo", true).Top(PaymentsMax)
	type result struct {
		Rows   []payment
		Capped bool
	}
	res, err := cached(ctx, s, v.Current.CustomerID, cache.KindLists, "payments:"+q.String(), func(ctx context.Context) (result, error) {
		var rows []payment
		info, err := s.erp.ListPage(ctx, q, &rows)
		return result{rows, info.Next != ""}, err
	})
	if err != nil {
		return nil, false, err
	}
	needle := strings.ToLower(p.Search)
	horizon := v.Horizon(s.now())
	var out []PaymentRow
	for _, pm := range res.Rows {
		r := paymentRow(pm, horizon)
		if needle == "" || matchesPayment(r, needle) {
			out = append(out, r)
		}
	}
	sortKey, desc := p.Sort, p.Desc
	if _, ok := paymentSorts[sortKey]; !ok {
		sortKey, desc = "date", true
	}
	slices.SortStableFunc(out, func(a, b PaymentRow) int {
		c := cmp.Or(paymentSorts[sortKey](a, b), paymentSorts["date"](a, b), paymentSorts["number"](a, b))
		if desc {
			return -c
		}
		return c
	})
	return out, res.Capped, nil
}

func matchesPayment(r PaymentRow, needle string) bool {
	if strings.Contains(strings.ToLower(r.Number), needle) {
		return true
	}
	return slices.ContainsFunc(r.Covers, func(no string) bool { return strings.Contains(strings.ToLower(no), needle) })
}

// paymentRow is the row of a payment. What it covered is named only when the payment order
// (made with its invoice, and dated like it) is within the viewer's horizon: a payment may be
// recent while what it paid is older than the viewer may see.
func paymentRow(pm payment, horizon time.Time) PaymentRow {
	r := PaymentRow{ID: pm.ID, Date: pm.DocumentDate.Time, Number: pm.DocumentNo, Amount: money(pm.TotalAmount), Currency: pm.TotalAmount.Currency}
	for _, l := range pm.Lines {
		po := l.PaymentOrder.Entity
		if po == nil || !horizon.IsZero() && po.DocumentDate.Before(horizon) {
			continue
		}
		no := cmp.Or(po.RefDocumentNo, po.DocumentNo)
		if no != "" && !slices.Contains(r.Covers, no) {
			r.Covers = append(r.Covers, no)
		}
	}
	return r
}

// Payments is one page of the customer's payments of the last 12 months (never beyond the
// horizon), with the count and the totals per currency of every matching payment.
func (s *Service) Payments(ctx context.Context, v *Viewer, p ListParams) (PaymentHistory, error) {
	p = p.Normalize()
	rows, capped, err := s.matchingPayments(ctx, v, p)
	if err != nil {
		return PaymentHistory{}, err
	}
	h := PaymentHistory{Since: s.paymentsSince(v), Capped: capped}
	h.Total, h.AllTotals = len(rows), true
	amounts := make([]erpnet.Amount, len(rows))
	for i, r := range rows {
		amounts[i] = erpnet.Amount{Value: r.Amount.Value, Currency: r.Amount.Currency}
	}
	h.Totals = sumByCurrency(amounts)
	start := min((p.Page-1)*p.Size, len(rows))
	h.Rows = rows[start:min(start+p.Size, len(rows))]
	return h, nil
}

// ExportPayments hands every payment matching p, in the list's order, to fn (for CSV).
func (s *Service) ExportPayments(ctx context.Context, v *Viewer, p ListParams, fn func(PaymentRow) error) error {
	rows, _, err := s.matchingPayments(ctx, v, p.Normalize())
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
