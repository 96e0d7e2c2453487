package portal

import (
	"context"
	"net/http"
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
var ErrDraftUsed = &Error{Status: http.StatusConflict, Heading: "This form can no longer be used",
	Message: "This order form was already used. Please check your orders, and start a new order if you need one."}

// newOrderBody is a sales order as Erp.Net creates it, with its lines, in one POST.
type newOrderBody struct {
	ID                        string         `json:"Id"`
	DocumentType              erpnet.Ref     `json:"DocumentType"`
	EnterpriseCompany         erpnet.Ref     `json:"EnterpriseCompany"`
	EnterpriseCompanyLocation erpnet.Ref     `json:"EnterpriseCompanyLocation"`
	Customer                  erpnet.Ref     `json:"Customer"`
	DocumentCurrency          erpnet.Ref     `json:"DocumentCurrency"`
	DistributionChannel       erpnet.Ref     `json:"DistributionChannel"`
	Store                     *erpnet.Ref    `json:"Store,omitempty"`
	CustomerPurchaseOrderNo   string         `json:"CustomerPurchaseOrderNo,omitempty"`
	RequiredDeliveryDate      *erpnet.Time   `json:"RequiredDeliveryDate,omitempty"`
	DocumentNotes             string         `json:"DocumentNotes,omitempty"`
	Lines                     []newOrderLine `json:"Lines"`
}

type newOrderLine struct {
	Product  erpnet.Ref      `json:"Product"`
	Quantity erpnet.Quantity `json:"Quantity"`
	Notes    string          `json:"Notes,omitempty"`
}

// PlaceOrder creates the draft as a sales order of the viewer's customer, with its lines, in one
// call. A draft with problems is a *DraftError; a customer without a serving location is CC007;
// Erp.Net's own refusal comes back as the *erpnet.Error it sent.
//
// The order's Id is the draft's, so placing the same draft twice (a double click, a reload, a
// retry after a timeout whose first attempt did reach Erp.Net) creates one order: the client
// takes Erp.Net's duplicate error for that Id as "already created" and returns that order.
func (s *Service) PlaceOrder(ctx context.Context, v *Viewer, d OrderDraft) (PlacedOrder, error) {
	if !validID(d.ID) {
		return PlacedOrder{}, ErrDraftUsed
	}
	problems, products, err := s.validateDraft(ctx, d)
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
	body := newOrderBody{ID: strings.ToLower(d.ID), DocumentType: setup.DocumentType, EnterpriseCompany: setup.EnterpriseCompany,
		EnterpriseCompanyLocation: cust.Location, Customer: erpnet.NewRef(erpnet.SetCustomers, v.Current.CustomerID), DocumentCurrency: cust.Currency,
		DistributionChannel: setup.Channel, CustomerPurchaseOrderNo: strings.TrimSpace(d.PONumber), DocumentNotes: strings.TrimSpace(d.Notes)}
	if !setup.Store.IsZero() {
		body.Store = &setup.Store
	}
	if day, _ := parseDelivery(d.DeliveryDate, s.orderDay()); !day.IsZero() {
		body.RequiredDeliveryDate = &erpnet.Time{Time: day}
	}
	for _, l := range d.Lines {
		p := products[strings.ToLower(l.ProductID)]
		q, _ := ParseQuantity(l.Quantity)
		body.Lines = append(body.Lines, newOrderLine{Product: erpnet.NewRef(erpnet.SetProducts, p.ID),
			Quantity: erpnet.Quantity{Value: q, Unit: productUnit(p)}, Notes: strings.TrimSpace(l.Notes)})
	}

	var created erpnet.SalesOrder
	err = s.erp.Create(ctx, erpnet.SetSalesOrders, body, &created)
	// Dropped even on failure: an attempt that timed out may still have created the order.
	s.cache.InvalidateCustomer(s.scope(v.Current.CustomerID))
	if err != nil {
		return PlacedOrder{}, err
	}
	// An Id that already named another customer's order comes back from the duplicate path as
	// that order: never show it.
	if !strings.EqualFold(created.Customer.ID, v.Current.CustomerID) {
		s.log.Warn("new order: the form's order id names another customer's order", zapFields(v, "order_id", d.ID)...)
		return PlacedOrder{}, ErrDraftUsed
	}
	s.log.Info("order placed", zapFields(v, "order", created.DocumentNo, "lines", strconv.Itoa(len(body.Lines)))...)
	return PlacedOrder{ID: created.ID, Number: created.DocumentNo}, nil
}
