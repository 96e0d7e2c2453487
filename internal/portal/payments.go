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

// paymentsList is Payment History: the newest PaymentsMax payments of the window, searched by
// the payment's number and the numbers it covered together, which one Erp.Net filter could not
// (there is no `or`); the newest first.
var paymentsList = &memoryList[PaymentRow]{
	name: "payments",
	sorts: map[string]func(a, b PaymentRow) int{
		"date":   func(a, b PaymentRow) int { return a.Date.Compare(b.Date) },
		"number": func(a, b PaymentRow) int { return strings.Compare(a.Number, b.Number) },
		"amount": func(a, b PaymentRow) int {
			return cmp.Or(strings.Compare(a.Currency, b.Currency), cmp.Compare(a.Amount.Value, b.Amount.Value))
		},
	},
	defaultSort: "date",
	defaultDesc: true,
	ties:        []string{"number"},
	match: func(r PaymentRow, _ ListParams, needle string) bool {
		return needle == "" || matchesPayment(r, needle)
	},
	amount: func(r PaymentRow) Money { return r.Amount },
}

// PaymentSortable tells whether Payment History can sort by a column key.
func PaymentSortable(key string) bool { return paymentsList.Sortable(key) }

// paymentsSince is the oldest date Payment History shows the viewer.
func (s *Service) paymentsSince(v *Viewer) time.Time {
	since := s.today().AddDate(0, -paymentsMonths, 0)
	if h := s.horizon(v); h.After(since) {
		since = h
	}
	return since
}

// matchingPayments reads the payments of the window (and the person's date range) — the newest
// PaymentsMax, with what each covered, in one cached call — then searches and sorts them in
// memory (see paymentsList). The cap makes that bounded.
func (s *Service) matchingPayments(ctx context.Context, v *Viewer, p ListParams) (matched[PaymentRow], bool, error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return matched[PaymentRow]{}, false, err
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
	terms = append(terms, columnTerms(paymentColumnFilters, p.Filters)...)
	q := erpnet.From(erpnet.SetPaymentTransactions).Where(terms...).
		Select("Id", "DocumentNo", "DocumentDate", "TotalAmount").
		Expand("Lines", erpnet.Query{}.Select("Id").Expand("PaymentOrder", erpnet.Query{}.Select("DocumentNo", "DocumentDate", "RefDocumentNo"))).
		OrderBy("DocumentDate", true).OrderBy("DocumentNo", true).Top(PaymentsMax)
	// What a payment covered is named by the horizon, so its rows are kept per horizon; what is
	// kept is the rows, not Erp.Net's payments with their lines.
	horizon := s.horizon(v)
	type result struct {
		Rows   []PaymentRow
		Capped bool
	}
	key := "payments\x00" + dateKey(horizon) + "\x00" + q.String()
	res, version, err := cachedAt(ctx, s, v, v.Current.CustomerID, cache.KindLists, key, func(ctx context.Context) (result, error) {
		var payments []payment
		info, err := s.erp.ListPage(ctx, q, &payments)
		if err != nil {
			return result{}, err
		}
		rows := make([]PaymentRow, len(payments))
		for i, pm := range payments {
			rows[i] = paymentRow(pm, horizon)
		}
		return result{rows, info.Next != ""}, nil
	})
	if err != nil {
		return matched[PaymentRow]{}, false, err
	}
	rows := res.Rows
	return paymentsList.matching(s, v.Current.CustomerID, rows, key, version, p), res.Capped, nil
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
	m, capped, err := s.matchingPayments(ctx, v, p)
	if err != nil {
		return PaymentHistory{}, err
	}
	page := m.page(p)
	if page.Hidden, err = s.hiddenPayments(ctx, v); err != nil {
		return PaymentHistory{}, err
	}
	return PaymentHistory{Page: page, Since: s.paymentsSince(v), Capped: capped}, nil
}

// hiddenPayments counts the payments of Payment History's 12 months that lie before the viewer's
// horizon: the page says how many, never their amounts. Nothing is counted when the horizon
// reaches past the 12 months.
func (s *Service) hiddenPayments(ctx context.Context, v *Viewer) (int, error) {
	h, window := s.horizon(v), s.today().AddDate(0, -paymentsMonths, 0)
	if h.IsZero() || !h.After(window) {
		return 0, nil
	}
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return 0, err
	}
	return s.countHidden(ctx, v, erpnet.From(erpnet.SetPaymentTransactions).Where(append(terms, erpnet.Eq("Direction", erpnet.Enum("Incoming")),
		erpnet.Eq("Void", erpnet.Bool(false)), erpnet.Ge("DocumentDate", erpnet.Date(window)), beforeDay("DocumentDate", h))...))
}

// ExportPayments hands every payment matching p, in the list's order, to fn (for CSV).
func (s *Service) ExportPayments(ctx context.Context, v *Viewer, p ListParams, fn func(PaymentRow) error) error {
	m, _, err := s.matchingPayments(ctx, v, p.Normalize())
	if err != nil {
		return err
	}
	return m.each(fn)
}
