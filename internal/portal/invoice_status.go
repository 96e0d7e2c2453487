package portal

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Invoice statuses as the portal shows them.
const (
	InvoicePaid      = "Paid"
	InvoiceDue       = "Due"
	InvoiceOverdue   = "Overdue"
	InvoiceCancelled = "Cancelled"
	// InvoiceIssued is an invoice Erp.Net holds no payment balance for: one not yet released,
	// or one that asks for no payment.
	InvoiceIssued = "Issued"
)

// InvoiceStatuses are the status filter choices of the Invoices list.
var InvoiceStatuses = []string{InvoiceDue, InvoiceOverdue, InvoicePaid, InvoiceCancelled}

// The PaymentStatus members of a payment balance that still expect money, and those that do not.
var (
	openPayment    = []string{"Unpaid", "PartiallyPaid"}
	settledPayment = []string{"Paid", "Overpaid"}
)

// InvoiceStatus names an invoice's state from its payment balances (one per payment order of the
// invoice): Cancelled when void; Overdue when an unpaid balance is past its grace period; Due
// when any balance is unpaid (a balance in its grace period is still Due, as Erp.Net does not
// yet count it overdue); Paid when every balance is settled; Issued when there is none.
func InvoiceStatus(void bool, balances []erpnet.PaymentBalance) string {
	if void {
		return InvoiceCancelled
	}
	open, overdue, settled := false, false, false
	for _, b := range balances {
		switch {
		case slices.Contains(openPayment, b.PaymentStatus):
			open = true
			overdue = overdue || b.DueStatus == "Overdue"
		case slices.Contains(settledPayment, b.PaymentStatus):
			settled = true
		}
	}
	switch {
	case overdue:
		return InvoiceOverdue
	case open:
		return InvoiceDue
	case settled:
		return InvoicePaid
	}
	return InvoiceIssued
}

// statusChunk is how many invoices one payment-balances query asks about: enough for a page in
// one or two queries, few enough to keep the URL short.
const statusChunk = 100

// invoiceBalances reads the payment balances of the given invoices, keyed by lower-case invoice
// id: one `RefInvoiceDocument in (...)` query per statusChunk invoices, never one per invoice.
func (s *Service) invoiceBalances(ctx context.Context, v *Viewer, docs []invoiceDoc) (map[string][]erpnet.PaymentBalance, error) {
	out := map[string][]erpnet.PaymentBalance{}
	if len(docs) == 0 {
		return out, nil
	}
	party, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, err
	}
	for chunk := range slices.Chunk(docs, statusChunk) {
		refs := make([]erpnet.Literal, len(chunk))
		for i, d := range chunk {
			refs[i] = erpnet.NewRef(erpnet.SetInvoices, d.ID)
		}
		q := erpnet.From(erpnet.SetPaymentBalances).Where(append(slices.Clone(party), erpnet.In("RefInvoiceDocument", refs...))...).
			Select("RefInvoiceDocument", "PaymentStatus", "DueStatus", "RemainingAmount", "PaidAmount", "PaymentOrder")
		// Read, not cached: a list page keeps the statuses with its rows, an export needs them once.
		var rows []erpnet.PaymentBalance
		if err := s.erp.ListAll(ctx, q, &rows); err != nil {
			return nil, err
		}
		for _, r := range rows {
			id := strings.ToLower(r.RefInvoiceDocument.ID)
			out[id] = append(out[id], r)
		}
	}
	return out, nil
}

// balancesOf are the balances of one invoice from invoiceBalances' answer.
func balancesOf(all map[string][]erpnet.PaymentBalance, id string) []erpnet.PaymentBalance {
	return all[strings.ToLower(id)]
}

// maxStatusIDs bounds how many invoices a status filter gathers before paging, as a search does:
// the newest are kept and the person is told to narrow the dates.
const maxStatusIDs = 500

// invoiceIDsByStatus are the ids of the viewer's invoices with a payment status (Paid, Due or
// Overdue), found in the payment balances: Erp.Net cannot filter invoices by a status it keeps
// in another view. The balances are narrowed by the same dates as the list. cut is true when
// there were more than maxStatusIDs.
func (s *Service) invoiceIDsByStatus(ctx context.Context, v *Viewer, p ListParams) (ids []erpnet.Literal, cut bool, err error) {
	terms, err := s.partyTerms(ctx, v)
	if err != nil {
		return nil, false, err
	}
	from := s.horizon(v)
	if p.From.After(from) {
		from = p.From
	}
	if !from.IsZero() {
		terms = append(terms, erpnet.Ge("RefInvoiceDocumentDate", erpnet.Date(from)))
	}
	if !p.To.IsZero() {
		terms = append(terms, erpnet.Le("RefInvoiceDocumentDate", erpnet.Date(p.To)))
	}
	byStatus := func(members []string) erpnet.Query {
		lits := make([]erpnet.Literal, len(members))
		for i, m := range members {
			lits[i] = erpnet.Enum(m)
		}
		// PaymentBalances supports no $orderby: the rows are put newest first here.
		return erpnet.From(erpnet.SetPaymentBalances).Where(append(slices.Clone(terms), erpnet.In("PaymentStatus", lits...))...).
			Select("RefInvoiceDocument", "DueStatus", "RefInvoiceDocumentDate", "RefInvoiceDocumentNo")
	}
	open, err := listAll[erpnet.PaymentBalance](ctx, s, v, v.Current.CustomerID, cache.KindLists, byStatus(openPayment))
	if err != nil {
		return nil, false, err
	}
	open = slices.Clone(open) // cached and shared: sorted as a copy
	newestFirst(open)
	overdue, unpaid := map[string]bool{}, map[string]bool{}
	var dueOrder, overdueOrder []string
	for _, b := range open {
		id := strings.ToLower(b.RefInvoiceDocument.ID)
		if id == "" {
			continue
		}
		if !unpaid[id] {
			unpaid[id] = true
			dueOrder = append(dueOrder, id)
		}
		if b.DueStatus == "Overdue" && !overdue[id] {
			overdue[id] = true
			overdueOrder = append(overdueOrder, id)
		}
	}
	var picked []string
	switch p.Status {
	case InvoiceOverdue:
		picked = overdueOrder
	case InvoiceDue:
		picked = slices.DeleteFunc(dueOrder, func(id string) bool { return overdue[id] })
	case InvoicePaid:
		settled, more, err := s.settledBalances(ctx, v, byStatus(settledPayment))
		if err != nil {
			return nil, false, err
		}
		settled = slices.Clone(settled) // see open
		newestFirst(settled)
		seen := map[string]bool{}
		for _, b := range settled {
			id := strings.ToLower(b.RefInvoiceDocument.ID)
			if id != "" && !unpaid[id] && !seen[id] {
				seen[id] = true
				picked = append(picked, id)
			}
		}
		cut = more
	}
	if len(picked) > maxStatusIDs {
		picked, cut = picked[:maxStatusIDs], true
	}
	for _, id := range picked {
		ids = append(ids, erpnet.GUID(id))
	}
	return ids, cut && len(ids) > 0, nil
}

// settledBalances reads one page of settled balances, newest first: paid invoices are most of
// a customer's history, so only the newest are gathered. more tells whether older ones exist.
func (s *Service) settledBalances(ctx context.Context, v *Viewer, q erpnet.Query) ([]erpnet.PaymentBalance, bool, error) {
	q = q.Top(2 * maxStatusIDs)
	type result struct {
		Rows []erpnet.PaymentBalance
		More bool
	}
	res, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, q.String(), func(ctx context.Context) (result, error) {
		var rows []erpnet.PaymentBalance
		info, err := s.erp.ListPage(ctx, q, &rows)
		return result{rows, info.Next != ""}, err
	})
	return res.Rows, res.More, err
}

// newestFirst orders balances by their invoice's date and number, newest first.
func newestFirst(rows []erpnet.PaymentBalance) {
	slices.SortStableFunc(rows, func(a, b erpnet.PaymentBalance) int {
		return cmp.Or(b.RefInvoiceDocumentDate.Time.Compare(a.RefInvoiceDocumentDate.Time), strings.Compare(b.RefInvoiceDocumentNo, a.RefInvoiceDocumentNo))
	})
}
