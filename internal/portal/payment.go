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

// PaymentDetail is a payment's page: what it paid, line by line.
type PaymentDetail struct {
	ID, Number string
	Date       time.Time
	Amount     Money
	Lines      []PaymentLine
	// Hidden counts what it paid before the viewer's horizon: not named, not summed.
	Hidden int
}

// PaymentLine is what one line of a payment covered: the invoice (InvoiceID set only when the
// viewer may open it), its date and type, the amount covered, and the orders it invoiced.
type PaymentLine struct {
	InvoiceNo, InvoiceID string
	InvoiceDate          time.Time
	InvoiceType          string
	Covered              Money
	Orders               []OrderRef
}

// OrderRef names an order a page links to.
type OrderRef struct{ ID, Number string }

// paymentLineDoc is a payment transaction line as read, with the payment order it covered.
type paymentLineDoc struct {
	CoveredOrderAmount erpnet.Amount `json:"CoveredOrderAmount"`
	Amount             erpnet.Amount `json:"Amount"`
	PaymentOrder       erpnet.Link[struct {
		DocumentNo             string                           `json:"DocumentNo"`
		DocumentDate           erpnet.Time                      `json:"DocumentDate"`
		RefDocumentNo          string                           `json:"RefDocumentNo"`
		RefInvoiceDocumentNo   string                           `json:"RefInvoiceDocumentNo"`
		RefInvoiceDocumentDate erpnet.Time                      `json:"RefInvoiceDocumentDate"`
		RefInvoiceDocument     erpnet.Ref                       `json:"RefInvoiceDocument"`
		RefInvoiceDocumentType erpnet.Link[erpnet.DocumentType] `json:"RefInvoiceDocumentType"`
	}] `json:"PaymentOrder"`
}

// Payment reads one of the customer's payments that Payment History shows (incoming, not void,
// within its window and the viewer's horizon) with what it paid; any other is not found.
func (s *Service) Payment(ctx context.Context, v *Viewer, id string) (PaymentDetail, error) {
	if !validID(id) || v.Current.PartyID == "" {
		return PaymentDetail{}, ErrNotFound
	}
	type paymentDoc struct {
		ID           string        `json:"Id"`
		DocumentNo   string        `json:"DocumentNo"`
		DocumentDate erpnet.Time   `json:"DocumentDate"`
		TotalAmount  erpnet.Amount `json:"TotalAmount"`
		Direction    string        `json:"Direction"`
		Void         bool          `json:"Void"`
		Party        erpnet.Ref    `json:"Party"`
		Company      erpnet.Ref    `json:"EnterpriseCompany"`
	}
	pm, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindDocuments, erpnet.SetPaymentTransactions+":"+strings.ToLower(id), func(ctx context.Context) (paymentDoc, error) {
		var d paymentDoc
		err := s.erp.Get(ctx, erpnet.SetPaymentTransactions, id, erpnet.Query{}.Select("Id", "DocumentNo", "DocumentDate", "TotalAmount", "Direction", "Void", "Party", "EnterpriseCompany"), &d)
		return d, err
	})
	if erpnet.IsNotFound(err) {
		return PaymentDetail{}, ErrNotFound
	}
	if err != nil {
		return PaymentDetail{}, err
	}
	// The same rule as the list's (partyTerms): the customer's party, paying this Client
	// Center's enterprise company (a party may be a customer of several of the tenant's).
	ec, err := s.enterpriseCompanyID(ctx, v)
	if err != nil {
		return PaymentDetail{}, err
	}
	if !strings.EqualFold(pm.Party.ID, v.Current.PartyID) || !strings.EqualFold(pm.Company.ID, ec) || pm.Direction != "Incoming" || pm.Void ||
		pm.DocumentDate.Before(s.paymentsSince(v)) {
		return PaymentDetail{}, ErrNotFound
	}
	out := PaymentDetail{ID: pm.ID, Number: pm.DocumentNo, Date: pm.DocumentDate.Time, Amount: money(pm.TotalAmount)}
	q := erpnet.From(erpnet.SetPaymentTransactionLines).Where(erpnet.Eq("PaymentTransaction", erpnet.NewRef(erpnet.SetPaymentTransactions, pm.ID))).
		Select("Id", "CoveredOrderAmount", "Amount").
		Expand("PaymentOrder", erpnet.Query{}.Select("DocumentNo", "DocumentDate", "RefDocumentNo", "RefInvoiceDocumentNo", "RefInvoiceDocumentDate", "RefInvoiceDocument").
			Expand("RefInvoiceDocumentType", erpnet.Query{}.Select("Id", "Code", "TypeName")))
	lines, err := listAll[paymentLineDoc](ctx, s, v, v.Current.CustomerID, cache.KindDocuments, q)
	if err != nil {
		return PaymentDetail{}, err
	}
	horizon := s.horizon(v)
	var invoices []string
	for _, l := range lines {
		po := l.PaymentOrder.Entity
		if po == nil {
			continue
		}
		// As on the list: what a payment paid is named only when its payment order is within
		// the viewer's horizon, and here, where the invoice's date is shown, the invoice too.
		if !horizon.IsZero() && (po.DocumentDate.Before(horizon) || po.RefInvoiceDocumentDate.Before(horizon)) {
			out.Hidden++
			continue
		}
		pl := PaymentLine{InvoiceNo: cmp.Or(po.RefInvoiceDocumentNo, po.RefDocumentNo, po.DocumentNo), InvoiceDate: po.RefInvoiceDocumentDate.Time,
			Covered: money(firstAmount(l.CoveredOrderAmount, l.Amount))}
		if dt := po.RefInvoiceDocumentType.Entity; dt != nil {
			pl.InvoiceType = s.text(v, dt.TypeName)
		}
		// The invoice is linked only when the viewer may open it: the payment is the customer's,
		// so its invoice is too; the date and type decide as for any invoice.
		if id := po.RefInvoiceDocument.ID; id != "" && s.visible(v, v.Current.CustomerID, po.RefInvoiceDocumentDate.Time, po.RefInvoiceDocumentType.Entity, s.inst.InvoiceDocumentTypes) {
			pl.InvoiceID = strings.ToLower(id)
			invoices = append(invoices, pl.InvoiceID)
		}
		out.Lines = append(out.Lines, pl)
	}
	orders, err := s.ordersOfInvoices(ctx, v, invoices)
	if err != nil {
		return PaymentDetail{}, err
	}
	for i := range out.Lines {
		out.Lines[i].Orders = orders[out.Lines[i].InvoiceID]
	}
	return out, nil
}

// ordersOfInvoices are the orders each invoice invoiced, from the invoices' lines (one query for
// all of them), where the instance has Orders.
func (s *Service) ordersOfInvoices(ctx context.Context, v *Viewer, ids []string) (map[string][]OrderRef, error) {
	out := map[string][]OrderRef{}
	if len(ids) == 0 || !s.OrdersOn() {
		return out, nil
	}
	refs := make([]erpnet.Literal, len(ids))
	for i, id := range ids {
		refs[i] = erpnet.NewRef(erpnet.SetInvoices, id)
	}
	type line struct {
		Invoice    erpnet.Ref                     `json:"Invoice"`
		SalesOrder erpnet.Link[erpnet.SalesOrder] `json:"SalesOrder"`
	}
	q := erpnet.From(erpnet.SetInvoiceLines).Where(erpnet.In("Invoice", refs...)).Select("Id", "Invoice").
		Expand("SalesOrder", erpnet.Query{}.Select("Id", "DocumentNo"))
	lines, err := listAll[line](ctx, s, v, v.Current.CustomerID, cache.KindDocuments, q)
	if err != nil {
		return nil, err
	}
	var orderIDs []string
	for _, l := range lines {
		if o := l.SalesOrder.Entity; o != nil {
			orderIDs = append(orderIDs, strings.ToLower(o.ID))
		}
	}
	// Only the orders the viewer may open are named, as on the invoice's page: an order may be
	// older than the horizon, or of a type the instance does not list.
	visible, err := s.visibleOrderNumbers(ctx, v, orderIDs)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		inv := strings.ToLower(l.Invoice.ID)
		o := l.SalesOrder.Entity
		if o == nil {
			continue
		}
		id := strings.ToLower(o.ID)
		if no, ok := visible[id]; ok && !slices.ContainsFunc(out[inv], func(r OrderRef) bool { return r.ID == id }) {
			out[inv] = append(out[inv], OrderRef{ID: id, Number: no})
		}
	}
	return out, nil
}

// firstAmount is a if it has a currency, else b.
func firstAmount(a, b erpnet.Amount) erpnet.Amount {
	if a.Currency != "" {
		return a
	}
	return b
}
