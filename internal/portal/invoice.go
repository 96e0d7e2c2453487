package portal

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Invoice is an invoice's page: its header, what is still to pay on it, and its lines.
type Invoice struct {
	InvoiceRow
	VoidReason string
	Released   time.Time
	// Outstanding is what is still to pay, per currency; empty when nothing is.
	Outstanding []Money
	// Subtotal is the lines' total, Tax what the invoice adds to it (VAT), Paid what has been
	// paid of it; Amount (the row's) is their total, and Subtotal + Tax = Amount, Paid +
	// Outstanding = Amount.
	Subtotal, Tax, Paid Money
	// Payments are the customer's payments applied to the invoice, oldest first.
	Payments []AppliedPayment
	Lines    []InvoiceLine
}

// AppliedPayment is a payment, or the part of one, that paid an invoice.
type AppliedPayment struct {
	ID, Number string
	Date       time.Time
	Amount     Money
}

// InvoiceLine is a line of an invoice.
type InvoiceLine struct {
	LineNo     int
	PartNumber string
	Product    string
	Quantity   float64
	Unit       string
	UnitPrice  Money
	LineAmount Money
	// OrderID and OrderNumber name the sales order the line was invoiced from, set only when
	// the viewer may open that order.
	OrderID, OrderNumber string
}

// readInvoice reads one invoice of the viewer's customer, with its lines. An invoice of another
// customer, beyond the horizon or of a type the instance does not list is not found — the same
// answer as no invoice.
func (s *Service) readInvoice(ctx context.Context, v *Viewer, id string) (invoiceDoc, error) {
	// AmountToPay and TotalLineAmount are calculated attributes: only there when selected.
	q := erpnet.Query{}.Select("default", "Id", "AmountToPay", "TotalLineAmount").
		Expand("DocumentType", erpnet.Query{}.Select("Id", "Code", "TypeName")).
		Expand("CreditNoteOriginalInvoice", originalExpand).
		Expand("Lines", erpnet.Query{}.Select("default", "Id").Expand("Product", erpnet.Query{}.Select("Id", "PartNumber", "Name")).
			Expand("QuantityUnit", erpnet.Query{}.Select("Id", "Code", "Name")))
	return fetchDocument(ctx, s, v, erpnet.SetInvoices, id, q, s.inst.InvoiceDocumentTypes,
		func(d invoiceDoc) (string, erpnet.Document) { return d.Customer.ID, d.Document })
}

// appliedPayments are the payments that paid the invoice's payment orders: one cached call to
// the payment lines, only for an invoice something was paid of. Outgoing payments (refunds) and
// cancelled ones are left out.
func (s *Service) appliedPayments(ctx context.Context, v *Viewer, invoiceID string, own []erpnet.PaymentBalance) ([]AppliedPayment, error) {
	var orders []erpnet.Literal
	paid := false
	for _, b := range own {
		if b.PaymentOrder.ID != "" {
			orders = append(orders, erpnet.GUID(b.PaymentOrder.ID))
		}
		paid = paid || b.PaidAmount.Value != 0
	}
	if !paid || len(orders) == 0 {
		return nil, nil
	}
	q := erpnet.From(erpnet.SetPaymentTransactionLines).Where(erpnet.In("PaymentOrder", orders...)).Select("Id", "Amount").
		Expand("PaymentTransaction", erpnet.Query{}.Select("Id", "DocumentNo", "DocumentDate", "Direction", "Void")).Top(100)
	type line struct {
		Amount             erpnet.Amount `json:"Amount"`
		PaymentTransaction erpnet.Link[struct {
			ID           string      `json:"Id"`
			DocumentNo   string      `json:"DocumentNo"`
			DocumentDate erpnet.Time `json:"DocumentDate"`
			Direction    string      `json:"Direction"`
			Void         bool        `json:"Void"`
		}] `json:"PaymentTransaction"`
	}
	return cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "invoice-payments:"+strings.ToLower(invoiceID)+":"+q.String(), func(ctx context.Context) ([]AppliedPayment, error) {
		var lines []line
		if _, err := s.erp.ListPage(ctx, q, &lines); err != nil {
			return nil, err
		}
		var out []AppliedPayment
		for _, l := range lines {
			pt := l.PaymentTransaction.Entity
			if pt == nil || pt.Void || pt.Direction != "Incoming" {
				continue
			}
			out = append(out, AppliedPayment{ID: pt.ID, Number: pt.DocumentNo, Date: pt.DocumentDate.Time, Amount: money(l.Amount)})
		}
		slices.SortFunc(out, func(a, b AppliedPayment) int { return a.Date.Compare(b.Date) })
		return out, nil
	})
}

// GetInvoice is the page of one invoice of the viewer's customer: header, payment status, what
// is still to pay and, unless the instance hides them, the lines with links to the orders the
// viewer may open.
func (s *Service) GetInvoice(ctx context.Context, v *Viewer, id string) (Invoice, error) {
	d, err := s.readInvoice(ctx, v, id)
	if err != nil {
		return Invoice{}, err
	}
	balances, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "invoice-balances:"+strings.ToLower(d.ID),
		func(ctx context.Context) (map[string][]erpnet.PaymentBalance, error) {
			return s.invoiceBalances(ctx, v, []invoiceDoc{d})
		})
	if err != nil {
		return Invoice{}, err
	}
	own := balancesOf(balances, d.ID)
	out := Invoice{InvoiceRow: s.invoiceRow(v, d), VoidReason: d.VoidReason, Released: d.ReleaseTime.Time}
	out.Status = InvoiceStatus(d.Void, own)
	cur := d.AmountToPay.Currency
	out.Subtotal = Money{d.TotalLineAmount.Value, cur}
	out.Tax = Money{roundCents(d.AmountToPay.Value - d.TotalLineAmount.Value), cur}
	if !d.Void {
		var remaining []erpnet.Amount
		paid := 0.0
		for _, b := range own {
			if slices.Contains(openPayment, b.PaymentStatus) {
				remaining = append(remaining, b.RemainingAmount)
			}
			if b.PaidAmount.Currency == "" || b.PaidAmount.Currency == cur {
				paid += b.PaidAmount.Value // in the invoice's currency, as its amount is
			}
		}
		out.Outstanding = sumByCurrency(remaining)
		out.Paid = Money{roundCents(paid), cur}
		if out.Payments, err = s.appliedPayments(ctx, v, d.ID, own); err != nil {
			return Invoice{}, err
		}
	}
	if s.inst.HideLines {
		return out, nil
	}
	var orderIDs []string
	for _, l := range d.Lines {
		if l.SalesOrder.ID != "" && !slices.Contains(orderIDs, l.SalesOrder.ID) {
			orderIDs = append(orderIDs, l.SalesOrder.ID)
		}
	}
	orders, err := s.visibleOrderNumbers(ctx, v, orderIDs)
	if err != nil {
		return Invoice{}, err
	}
	for _, l := range d.Lines {
		ln := InvoiceLine{LineNo: l.LineNo, Product: s.text(v, l.ProductDescription), Quantity: l.Quantity.Value, Unit: s.unitName(v, l.Quantity.Unit, l.QuantityUnit.Entity),
			UnitPrice: Money{l.UnitPrice.Value, l.UnitPrice.Currency}, LineAmount: Money{l.LineAmount.Value, l.LineAmount.Currency}}
		if p := l.Product.Entity; p != nil {
			ln.PartNumber = p.PartNumber
		}
		if no, ok := orders[strings.ToLower(l.SalesOrder.ID)]; ok {
			ln.OrderID, ln.OrderNumber = l.SalesOrder.ID, no
		}
		out.Lines = append(out.Lines, ln)
	}
	slices.SortFunc(out.Lines, func(a, b InvoiceLine) int { return a.LineNo - b.LineNo })
	return out, nil
}

// visibleOrderNumbers are the numbers, keyed by lower-case id, of those of the given orders the
// viewer may open: the Orders pages are on, the role sees orders, and each order passes the
// same scope as the Orders list (customer, horizon, order types). One query for all of them.
func (s *Service) visibleOrderNumbers(ctx context.Context, v *Viewer, ids []string) (map[string]string, error) {
	if !s.inst.IsOrdersEnabled || !v.Current.Role.Can(access.ViewOrders) {
		return map[string]string{}, nil
	}
	return s.visibleNumbers(ctx, v, erpnet.SetSalesOrders, s.orderScope(v), ids)
}

// visibleNumbers are the numbers, keyed by lower-case id, of those of the given documents of set
// that pass scope (the set's list scope): one cached query for all of them.
func (s *Service) visibleNumbers(ctx context.Context, v *Viewer, set string, scope []erpnet.Term, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	lits := make([]erpnet.Literal, len(ids))
	for i, id := range ids {
		lits[i] = erpnet.GUID(id)
	}
	q := erpnet.From(set).Where(append(scope, erpnet.In("Id", lits...))...).Select("Id", "DocumentNo")
	rows, err := listAll[erpnet.SalesOrder](ctx, s, v, v.Current.CustomerID, cache.KindLists, q)
	if err != nil {
		return nil, err
	}
	for _, o := range rows {
		out[strings.ToLower(o.ID)] = o.DocumentNo
	}
	return out, nil
}
