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
	Product            erpnet.Ref      `json:"Product"`
	Quantity           erpnet.Quantity `json:"Quantity"`
	Notes              string          `json:"Notes,omitempty"`
	PromotionalPackage *erpnet.Ref     `json:"PromotionalPackage,omitempty"`
}

// PlaceOrder places the form's draft as a sales order of the viewer's customer (a form never
// saved is saved first). A draft with problems is a *DraftError, as is a form that did not know
// the person's draft it would join (shown again with it, to check); a customer without a serving
// location is CC007; Erp.Net's own refusal comes back as the *erpnet.Error it sent.
//
// It runs in one front-end transaction, where Erp.Net prices the lines: an order still New is
// dated today, given the form's notes, PO number and delivery date and its placed ExternalId,
// and its lines are replaced by the form's, priced as they are added; then the transaction
// commits and the order moves to PlacedState. An order renamed but still New (the last step
// failed) is finished; one no longer New was placed by an earlier attempt (a double click, a
// second tab, a retry after an answer that never came) and is returned; a void one is
// ErrDraftCancelled. The person's lock (lockDrafts) runs this one at a time, across replicas too.
func (s *Service) PlaceOrder(ctx context.Context, v *Viewer, d OrderDraft) (PlacedOrder, error) {
	if !validID(d.ID) {
		return PlacedOrder{}, ErrDraftUsed
	}
	problems, in, err := s.validateDraft(ctx, v, d)
	if err != nil {
		return PlacedOrder{}, err
	}
	if len(problems) > 0 {
		return PlacedOrder{}, &DraftError{Problems: problems}
	}
	unlock, err := s.lockDrafts(ctx, v.UserID)
	if err != nil {
		return PlacedOrder{}, err
	}
	defer unlock()
	o, st, adopted, err := s.formOrder(ctx, v, d)
	switch {
	case err != nil:
		return PlacedOrder{}, err
	case st == stateCancelled:
		return PlacedOrder{}, ErrDraftCancelled
	case st == statePlaced:
		return PlacedOrder{ID: o.ID, Number: o.DocumentNo}, nil
	case adopted:
		// The form did not know the draft it joins: what would be placed is not what was shown.
		saved, err := s.saveDraft(ctx, v, d, in, o, st, adopted)
		if err != nil {
			return PlacedOrder{}, err
		}
		return PlacedOrder{}, &DraftError{Draft: *saved.Merged, Problems: Problems{"form": "An order you began earlier joined this one. Check it, then review and place it."}}
	}
	id := ""
	if o != nil {
		id = o.ID
	} else { // never saved: kept first, then placed
		saved, err := s.saveDraft(ctx, v, d, in, nil, stateNone, false)
		if err != nil {
			return PlacedOrder{}, err
		}
		id = saved.OrderID
	}
	head := map[string]any{"DocumentDate": erpnet.Time{Time: s.orderDay()}, "DocumentNotes": s.orderNotes(v, d.Notes),
		"CustomerPurchaseOrderNo": strings.TrimSpace(d.PONumber), "RequiredDeliveryDate": nil,
		"ExternalId": s.placedExternalID(v, d.ID)}
	if day, _ := parseDelivery(d.DeliveryDate, s.langOf(v), s.orderDay()); !day.IsZero() {
		head["RequiredDeliveryDate"] = erpnet.Time{Time: day}
	}
	plan := planDraft(d, in)
	head["Lines"] = orderLines(plan.lines)
	if len(plan.packages) > 0 {
		head["PromotionalPackages"] = orderPackages(plan.packages)
	}

	order, err := s.placeInTransaction(ctx, id, head)
	// Dropped even on failure: an attempt that timed out may still have placed the order.
	s.invalidate(ctx, v.Current.CustomerID)
	if err != nil {
		return PlacedOrder{}, err
	}
	if order.Void {
		return PlacedOrder{}, ErrDraftCancelled
	}
	if order.State == "New" {
		if err := s.erp.ChangeState(ctx, erpnet.SetSalesOrders, order.ID, PlacedState); err != nil {
			// The order is renamed and priced but still New: placing again finishes it.
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

// placeInTransaction changes the draft id by head (its lines replaced by head's, so Erp.Net
// prices them) in one front-end transaction, and returns it with its lines. An order no longer
// New was placed by an earlier attempt: the transaction is rolled back and that order returned.
func (s *Service) placeInTransaction(ctx context.Context, id string, head map[string]any) (erpnet.SalesOrder, error) {
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
	read := erpnet.Query{}.Select("default", "Id").Expand("Lines", erpnet.Query{}.Select("Id")).
		Expand("PromotionalPackages", erpnet.Query{}.Select("Id"))
	var order erpnet.SalesOrder
	if err := s.erp.Get(in, erpnet.SetSalesOrders, id, read, &order); err != nil {
		return erpnet.SalesOrder{}, err
	}
	if order.State != "New" || order.Void {
		return order, nil // placed (or cancelled) before
	}
	// The draft's lines were kept unpriced; the form's are added anew, so Erp.Net prices them,
	// with the packages they come from.
	for _, l := range order.Lines {
		if err := s.erp.Delete(in, erpnet.SetSalesOrderLines, l.ID); err != nil {
			return erpnet.SalesOrder{}, err
		}
	}
	for _, p := range order.PromotionalPackages {
		if err := s.erp.Delete(in, erpnet.SetSalesOrderPackages, p.ID); err != nil {
			return erpnet.SalesOrder{}, err
		}
	}
	if err := s.erp.Patch(in, erpnet.SetSalesOrders, order.ID, head); err != nil {
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
