package portal

import (
	"context"
	"strconv"
	"strings"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// PlacedOrder is an order New Order created.
type PlacedOrder struct {
	ID, Number string
}

// ErrDraftUsed is a draft whose order Id already names an order of someone else: the form was
// tampered with, or is older than any sensible retry. The person starts a fresh form.
var ErrDraftUsed = &Error{Kind: KindConflict, Heading: "This form can no longer be used",
	Message: "This order form was already used. Please check your orders, and start a new order if you need one."}

// ExternalSystem names the Client Center on what it creates in Erp.Net, with the draft's id as the
// ExternalId: it makes placing idempotent and tells the tenant's staff where an order came from.
const ExternalSystem = "ClientCenter"

// PlacedState is the state a placed order moves to. The vendor's portal leaves New for the draft
// and shows a placed order as "Ordered"; which state it picks is not documented. FirmPlanned
// ("human planned") says a person confirmed the order, and being below Released it can still be
// cancelled by the customer and is still the tenant's to release.
const PlacedState = "FirmPlanned"

// newOrderHead is a sales order's header as Erp.Net creates it: merged by ExternalId, every
// reference sent as {"@odata.id":...}.
type newOrderHead struct {
	erpnet.Merge
	DocumentType              erpnet.Ref   `json:"DocumentType"`
	EnterpriseCompany         erpnet.Ref   `json:"EnterpriseCompany"`
	EnterpriseCompanyLocation erpnet.Ref   `json:"EnterpriseCompanyLocation"`
	Customer                  erpnet.Ref   `json:"Customer"`
	DocumentCurrency          erpnet.Ref   `json:"DocumentCurrency"`
	DistributionChannel       erpnet.Ref   `json:"DistributionChannel"`
	Store                     *erpnet.Ref  `json:"Store,omitempty"`
	DocumentDate              erpnet.Time  `json:"DocumentDate"`
	CustomerPurchaseOrderNo   string       `json:"CustomerPurchaseOrderNo,omitempty"`
	RequiredDeliveryDate      *erpnet.Time `json:"RequiredDeliveryDate,omitempty"`
	DocumentNotes             string       `json:"DocumentNotes,omitempty"`
}

type newOrderLine struct {
	Product  erpnet.Ref      `json:"Product"`
	Quantity erpnet.Quantity `json:"Quantity"`
	Notes    string          `json:"Notes,omitempty"`
}

// PlaceOrder creates the draft as a sales order of the viewer's customer. A draft with problems
// is a *DraftError; a customer without a serving location is CC007; Erp.Net's own refusal comes
// back as the *erpnet.Error it sent.
//
// It runs in one front-end transaction, where Erp.Net prices the lines: the header is merged by
// the draft's id as ExternalId, its lines read, and only an order without lines gets the draft's
// lines; then the transaction commits and the order moves to PlacedState. So placing the same
// draft again (a double click, a second tab, a retry after an answer that never came) finds the
// order already placed and creates nothing twice.
func (s *Service) PlaceOrder(ctx context.Context, v *Viewer, d OrderDraft) (PlacedOrder, error) {
	if !validID(d.ID) {
		return PlacedOrder{}, ErrDraftUsed
	}
	problems, products, err := s.validateDraft(ctx, v, d)
	if err != nil {
		return PlacedOrder{}, err
	}
	if len(problems) > 0 {
		return PlacedOrder{}, &DraftError{Problems: problems}
	}
	setup, err := s.orderSetup(ctx)
	if err != nil {
		return PlacedOrder{}, err
	}
	cust, err := s.orderCustomer(ctx, v)
	if err != nil {
		return PlacedOrder{}, err
	}
	if cust.Location.IsZero() {
		return PlacedOrder{}, s.errNoLocation()
	}
	head := s.orderHead(v, setup, cust, strings.ToLower(d.ID), s.orderNotes(v, d.Notes))
	head.CustomerPurchaseOrderNo = strings.TrimSpace(d.PONumber)
	if day, _ := parseDelivery(d.DeliveryDate, s.langOf(v), s.orderDay()); !day.IsZero() {
		head.RequiredDeliveryDate = &erpnet.Time{Time: day}
	}
	var lines []newOrderLine
	for _, l := range d.Lines {
		p := products[strings.ToLower(l.ProductID)]
		q, _ := ParseQuantity(l.Quantity)
		lines = append(lines, newOrderLine{Product: erpnet.NewRef(erpnet.SetProducts, p.ID),
			Quantity: erpnet.Quantity{Value: q, Unit: productUnit(p)}, Notes: strings.TrimSpace(l.Notes)})
	}

	order, err := s.placeInTransaction(ctx, head, lines)
	// Dropped even on failure: an attempt that timed out may still have created the order.
	s.invalidate(ctx, v.Current.CustomerID)
	if err != nil {
		return PlacedOrder{}, err
	}
	// The draft's id is the ExternalId that finds the order to merge into, so it must never be
	// one of another customer's orders: the server places only under an id it issued and signed
	// for this person and customer (order_id.go), and ids are random GUIDs nobody can guess.
	if order.State == "New" {
		if err := s.erp.ChangeState(ctx, erpnet.SetSalesOrders, order.ID, PlacedState); err != nil {
			return PlacedOrder{}, err
		}
	}
	s.log.Info("order placed", zapFields(v, "order", order.DocumentNo, "lines", strconv.Itoa(len(order.Lines)))...)
	return PlacedOrder{ID: order.ID, Number: order.DocumentNo}, nil
}

// orderHead is the header of a new order of the viewer's customer, dated today, merged by
// externalID: the one place an order's header is made, for placing and for the self-test.
func (s *Service) orderHead(v *Viewer, setup orderSetup, cust customerForOrders, externalID, notes string) newOrderHead {
	head := newOrderHead{Merge: erpnet.MergeBy(externalID, ExternalSystem), DocumentType: setup.DocumentType,
		EnterpriseCompany: setup.EnterpriseCompany, EnterpriseCompanyLocation: cust.Location,
		Customer: erpnet.NewRef(erpnet.SetCustomers, v.Current.CustomerID), DocumentCurrency: cust.Currency,
		DistributionChannel: setup.Channel, DocumentDate: erpnet.Time{Time: s.orderDay()}, DocumentNotes: notes}
	if !setup.Store.IsZero() {
		head.Store = &setup.Store
	}
	return head
}

// placeInTransaction writes the order in one front-end transaction and returns it with its lines.
// An order that has lines already was placed by an earlier attempt: the transaction is rolled
// back and that order returned.
func (s *Service) placeInTransaction(ctx context.Context, head newOrderHead, lines []newOrderLine) (erpnet.SalesOrder, error) {
	tx, err := s.erp.BeginTransaction(ctx)
	if err != nil {
		return erpnet.SalesOrder{}, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	in := erpnet.InTransaction(ctx, tx)
	var created erpnet.SalesOrder
	if err := s.erp.Create(in, erpnet.SetSalesOrders, head, &created); err != nil {
		return erpnet.SalesOrder{}, err
	}
	read := erpnet.Query{}.Select("default", "Id").Expand("Lines", erpnet.Query{}.Select("Id"))
	var order erpnet.SalesOrder
	if err := s.erp.Get(in, erpnet.SetSalesOrders, created.ID, read, &order); err != nil {
		return erpnet.SalesOrder{}, err
	}
	if len(order.Lines) > 0 {
		return order, nil // placed before; the deferred rollback discards this attempt's merge
	}
	if err := s.erp.Patch(in, erpnet.SetSalesOrders, order.ID, map[string]any{"Lines": lines}); err != nil {
		return erpnet.SalesOrder{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return erpnet.SalesOrder{}, err
	}
	committed = true
	if err := s.erp.Get(ctx, erpnet.SetSalesOrders, order.ID, read, &order); err != nil {
		return erpnet.SalesOrder{}, err
	}
	return order, nil
}

// orderNotes are the notes of a placed order: what the person wrote, and who placed it, since
// Erp.Net records every write of the portal as its system user's.
func (s *Service) orderNotes(v *Viewer, notes string) string {
	by := "Placed in the Client Center by " + v.Name + " <" + v.Login + ">."
	if notes = strings.TrimSpace(notes); notes != "" {
		return notes + "\n\n" + by
	}
	return by
}
