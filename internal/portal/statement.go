package portal

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// StatementMax bounds the payment orders and the payments a statement reads from its start to
// today: a longer history asks for a later start.
const StatementMax = 1000

// Kinds of a statement's movements, as catalog keys.
const (
	MoveInvoice    = "Invoice"
	MoveCreditNote = "Credit note"
	MoveAdvance    = "Advance"
	MovePayment    = "Payment"
)

// Statement is the statement of account for a period: per currency, the balance at its start,
// every movement in date order with the running balance, and the balance at its end; with the
// aging of what is open today. It starts no earlier than the viewer's horizon, and says so.
type Statement struct {
	From, To time.Time
	Asked    time.Time // the start the person asked for, when the horizon moved it later
	Today    time.Time
	// Credits are what is open in the customer's favour today (credit notes or payments not yet
	// set off), per currency, as negative amounts: in the balances, but not on Due Payments,
	// which lists what is owed.
	Credits    []Money
	Currencies []StatementAccount
	Aging      DueSummary
}

// StatementAccount is one currency's part of a statement.
type StatementAccount struct {
	Currency         string
	Opening, Closing Money
	Debits, Credits  Money
	Lines            []StatementLine
}

// StatementLine is one movement: a document that adds to what is owed (an invoice, an advance
// asked for) or takes from it (a credit note, a payment), and the balance after it.
type StatementLine struct {
	Date      time.Time
	Kind      string
	Number    string
	DueDate   time.Time
	InvoiceID string // set for invoices and credit notes, which the viewer may open
	PaymentID string
	Debit     Money // what it adds; zero when it takes
	Credit    Money // what it takes, as a positive amount
	Balance   Money
}

// statementCharge is a payment order as the statement reads it from PaymentBalances.
type statementCharge struct {
	Date      time.Time
	DueDate   time.Time
	Number    string
	InvoiceID string
	Advance   bool
	Cents     int64
	Currency  string
}

// statementPayment is a payment with the part of it that paid payment orders within the horizon.
type statementPayment struct {
	ID     string
	Date   time.Time
	Number string
	Cents  map[string]int64
}

// Statement is the statement of account of the viewer's customer from from to to (dates, to at
// most today). It is built from the same sources as Due Payments, so the two agree: the open items
// (PaymentBalances with something left to pay), the payment orders dated from the start (the same
// view, paid or not) and the payments made since (PaymentTransactions with the lines that
// paid them). Only payment orders within the horizon count, with the payments made on them: the
// balance at the start is what was open of those at that day, made from what is open today less
// what was charged since plus what was paid since, so nothing older than the viewer may see is
// summed. Payments made on older documents are left out for the same reason.
func (s *Service) Statement(ctx context.Context, v *Viewer, from, to time.Time) (Statement, error) {
	today := s.today()
	if to.IsZero() || to.After(today) {
		to = today
	}
	st := Statement{From: from, To: to, Today: today}
	if h := s.horizon(v); !h.IsZero() && from.Before(h) {
		st.From, st.Asked = h, from
	}
	if st.From.After(st.To) {
		return Statement{}, &Error{Kind: KindInvalid, Heading: "Check the dates", Message: "The start (From) must be on or before the end (To)."}
	}
	open, _, _, err := s.openItems(ctx, v)
	if err != nil {
		return Statement{}, err
	}
	credits, err := s.openCredits(ctx, v)
	if err != nil {
		return Statement{}, err
	}
	st.Credits = credits
	charges, err := s.statementCharges(ctx, v, st.From)
	if err != nil {
		return Statement{}, err
	}
	payments, err := s.statementPayments(ctx, v, st.From)
	if err != nil {
		return Statement{}, err
	}
	type acc struct{ balance, debits, credits int64 }
	accs := map[string]*acc{}
	get := func(cur string) *acc {
		if accs[cur] == nil {
			accs[cur] = &acc{}
		}
		return accs[cur]
	}
	for _, o := range open {
		get(o.Remaining.Currency).balance += cents(o.Remaining.Value)
	}
	for _, m := range credits {
		get(m.Currency).balance += cents(m.Value) // negative: what the supplier owes back
	}
	// Back from today to the start: take off what was charged since, add back what was paid.
	for _, c := range charges {
		get(c.Currency).balance -= c.Cents
	}
	for _, p := range payments {
		for cur, c := range p.Cents {
			get(cur).balance += c
		}
	}
	type move struct {
		line  StatementLine
		cents int64 // signed: what it adds to the balance
		order int   // charges before payments on a day
	}
	moves := map[string][]move{}
	for _, c := range charges {
		if c.Date.After(to) {
			continue
		}
		kind := MoveInvoice
		switch {
		case c.Advance:
			kind = MoveAdvance
		case c.Cents < 0:
			kind = MoveCreditNote
		}
		moves[c.Currency] = append(moves[c.Currency], move{StatementLine{Date: c.Date, Kind: kind, Number: c.Number, DueDate: c.DueDate, InvoiceID: c.InvoiceID}, c.Cents, 0})
	}
	for _, p := range payments {
		if p.Date.After(to) {
			continue
		}
		for cur, c := range p.Cents {
			if c != 0 { // an offset of a credit note against an invoice pays nothing
				moves[cur] = append(moves[cur], move{StatementLine{Date: p.Date, Kind: MovePayment, Number: p.Number, PaymentID: p.ID}, -c, 1})
			}
		}
	}
	for cur, ms := range moves {
		get(cur)
		slices.SortStableFunc(ms, func(a, b move) int {
			return cmp.Or(a.line.Date.Compare(b.line.Date), cmp.Compare(a.order, b.order), strings.Compare(a.line.Number, b.line.Number))
		})
		moves[cur] = ms
	}
	for cur, a := range accs {
		sa := StatementAccount{Currency: cur, Opening: Money{float64(a.balance) / 100, cur}}
		bal := a.balance
		for _, m := range moves[cur] {
			bal += m.cents
			l := m.line
			if m.cents >= 0 {
				l.Debit = Money{float64(m.cents) / 100, cur}
				a.debits += m.cents
			} else {
				l.Credit = Money{float64(-m.cents) / 100, cur}
				a.credits -= m.cents
			}
			l.Balance = Money{float64(bal) / 100, cur}
			sa.Lines = append(sa.Lines, l)
		}
		sa.Closing = Money{float64(bal) / 100, cur}
		sa.Debits, sa.Credits = Money{float64(a.debits) / 100, cur}, Money{float64(a.credits) / 100, cur}
		if len(sa.Lines) == 0 && bal == 0 {
			continue
		}
		st.Currencies = append(st.Currencies, sa)
	}
	slices.SortFunc(st.Currencies, func(a, b StatementAccount) int { return strings.Compare(a.Currency, b.Currency) })
	if st.Aging, err = s.DueSummary(ctx, v); err != nil {
		return Statement{}, err
	}
	return st, nil
}

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// errStatementLong is a start so far back that the statement would read more than StatementMax
// payment orders or payments.
var errStatementLong = &Error{Kind: KindInvalid, Heading: "Choose a later start",
	Message: "From that start the statement would hold more than %d documents; choose a later start (From).", Args: []any{StatementMax}}

// statementCharges are the customer's receivable payment orders (PaymentBalances, Direction
// Incoming, paid or not) dated from the start, within the horizon: one cached call.
func (s *Service) statementCharges(ctx context.Context, v *Viewer, from time.Time) ([]statementCharge, error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, err
	}
	q := erpnet.From(erpnet.SetPaymentBalances).
		Where(append(terms, erpnet.Eq("Direction", erpnet.Enum("Incoming")), erpnet.Ge("RefDocumentDate", erpnet.Date(from)))...).
		Select("DueDate", "IsInvoiced", "OrderAmount", "RefDocumentNo", "RefDocumentDate", "RefInvoiceDocumentNo", "RefInvoiceDocument").
		Top(StatementMax)
	type result struct {
		Charges []statementCharge
		Capped  bool
	}
	res, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "statement-charges:"+q.String(), func(ctx context.Context) (result, error) {
		var rows []erpnet.PaymentBalance
		info, err := s.erp.ListPage(ctx, q, &rows)
		if err != nil {
			return result{}, err
		}
		out := make([]statementCharge, 0, len(rows))
		for _, b := range rows {
			out = append(out, statementCharge{Date: b.RefDocumentDate.Time, DueDate: b.DueDate.Time, Number: cmp.Or(b.RefInvoiceDocumentNo, b.RefDocumentNo),
				InvoiceID: b.RefInvoiceDocument.ID, Advance: !b.IsInvoiced, Cents: cents(b.OrderAmount.Value), Currency: b.OrderAmount.Currency})
		}
		return result{out, info.Next != ""}, nil
	})
	if err != nil {
		return nil, err
	}
	if res.Capped {
		return nil, errStatementLong
	}
	return res.Charges, nil
}

// statementPayments are the customer's payments (PaymentTransactions, Direction Incoming, not
// void) dated from the start, each with the part of it that paid payment orders within the
// horizon: one cached call.
func (s *Service) statementPayments(ctx context.Context, v *Viewer, from time.Time) ([]statementPayment, error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, err
	}
	q := erpnet.From(erpnet.SetPaymentTransactions).
		Where(append(terms, erpnet.Eq("Direction", erpnet.Enum("Incoming")), erpnet.Eq("Void", erpnet.Bool(false)), erpnet.Ge("DocumentDate", erpnet.Date(from)))...).
		Select("Id", "DocumentNo", "DocumentDate").
		Expand("Lines", erpnet.Query{}.Select("Id", "Amount").Expand("PaymentOrder", erpnet.Query{}.Select("Id", "RefDocumentDate"))).
		Top(StatementMax)
	horizon := s.horizon(v)
	type line struct {
		Amount       erpnet.Amount `json:"Amount"`
		PaymentOrder erpnet.Link[struct {
			RefDocumentDate erpnet.Time `json:"RefDocumentDate"`
		}] `json:"PaymentOrder"`
	}
	type tx struct {
		ID           string      `json:"Id"`
		DocumentNo   string      `json:"DocumentNo"`
		DocumentDate erpnet.Time `json:"DocumentDate"`
		Lines        []line      `json:"Lines"`
	}
	type result struct {
		Payments []statementPayment
		Capped   bool
	}
	res, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "statement-payments\x00"+dateKey(horizon)+"\x00"+q.String(), func(ctx context.Context) (result, error) {
		var rows []tx
		info, err := s.erp.ListPage(ctx, q, &rows)
		if err != nil {
			return result{}, err
		}
		out := make([]statementPayment, 0, len(rows))
		for _, t := range rows {
			p := statementPayment{ID: t.ID, Date: t.DocumentDate.Time, Number: t.DocumentNo, Cents: map[string]int64{}}
			for _, l := range t.Lines {
				po := l.PaymentOrder.Entity
				// The horizon on the date the open items and payment orders are read by.
				if po == nil || !horizon.IsZero() && po.RefDocumentDate.Before(horizon) {
					continue
				}
				p.Cents[l.Amount.Currency] += cents(l.Amount.Value)
			}
			if len(p.Cents) > 0 {
				out = append(out, p)
			}
		}
		return result{out, info.Next != ""}, nil
	})
	if err != nil {
		return nil, err
	}
	if res.Capped {
		return nil, errStatementLong
	}
	return res.Payments, nil
}

// openCredits is what is open in the customer's favour within the horizon: payment orders with
// less than nothing left to pay (Erp.Net has no "not equal", so it is a query of its own beside
// Due Payments' "at least a cent"), summed per currency. One cached call.
func (s *Service) openCredits(ctx context.Context, v *Viewer) ([]Money, error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, err
	}
	terms = append(terms, erpnet.Eq("Direction", erpnet.Enum("Incoming")), erpnet.Le("RemainingAmountValue", erpnet.Decimal(-0.01)))
	if h := s.horizon(v); !h.IsZero() {
		terms = append(terms, erpnet.Ge("RefDocumentDate", erpnet.Date(h)))
	}
	q := erpnet.From(erpnet.SetPaymentBalances).Where(terms...).Select("RemainingAmount", "RefDocumentNo").Top(StatementMax)
	return cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "statement-credits:"+q.String(), func(ctx context.Context) ([]Money, error) {
		var rows []erpnet.PaymentBalance
		if _, err := s.erp.ListPage(ctx, q, &rows); err != nil {
			return nil, err
		}
		amounts := make([]erpnet.Amount, 0, len(rows))
		for _, r := range rows {
			amounts = append(amounts, r.RemainingAmount)
		}
		return sumByCurrency(amounts), nil
	})
}
