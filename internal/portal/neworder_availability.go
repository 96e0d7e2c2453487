package portal

import (
	"context"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// What a line's Availability says, as the vendor's New Order shows it.
const (
	AvailableYes   = "yes"   // the quantity asked is there: "Yes", in green
	AvailableShort = "short" // less is there: the quantity that is, in red
	AvailableCall  = "call"  // more is asked than the instance shows (availability_max): "Call"
)

// availability is what the instance's default store can promise today of each product, in its
// base unit, by lower-case product Id: from Logistics_Inventory_DemandManagement_AvailableToPromise
// (a view of periods: the ATP of a period holds from its FromDate on, so today's is that of the
// latest period begun). Nil without a default store. One call for the form's lines, kept with
// the lists' TTL, shared by every customer.
func (s *Service) availability(ctx context.Context, v *Viewer, productIDs []string) (map[string]float64, error) {
	if strings.TrimSpace(s.inst.DefaultStore) == "" || len(productIDs) == 0 {
		return nil, nil
	}
	setup, err := s.orderSetup(ctx)
	if err != nil || setup.Store.IsZero() {
		return nil, err
	}
	lits := make([]erpnet.Literal, 0, len(productIDs))
	for _, id := range productIDs {
		if validID(id) {
			lits = append(lits, erpnet.GUID(id))
		}
	}
	if len(lits) == 0 {
		return nil, nil
	}
	q := erpnet.From(erpnet.SetAvailableToPromise).Where(erpnet.Eq("Store", setup.Store), erpnet.Eq("EnterpriseCompany", setup.EnterpriseCompany),
		erpnet.In("Product", lits...), erpnet.Le("FromDate", erpnet.DateTime(s.today()))).Select("ATPBase", "FromDate", "Product").Top(1000)
	type period struct {
		ATPBase  erpnet.Quantity `json:"ATPBase"`
		FromDate erpnet.Time     `json:"FromDate"`
		Product  erpnet.Ref      `json:"Product"`
	}
	return cached(ctx, s, v, "", cache.KindLists, "atp:"+q.String(), func(ctx context.Context) (map[string]float64, error) {
		var rows []period
		if _, err := s.erp.ListPage(ctx, q, &rows); err != nil {
			return nil, err
		}
		latest := map[string]period{}
		for _, r := range rows {
			id := strings.ToLower(r.Product.ID)
			if l, ok := latest[id]; !ok || r.FromDate.After(l.FromDate.Time) {
				latest[id] = r
			}
		}
		out := make(map[string]float64, len(latest))
		for id, r := range latest {
			out[id] = r.ATPBase.Value
		}
		return out, nil
	})
}

// markAvailability sets each line's Availability from what the store can promise: a product
// the store has no period of has nothing to promise. The quantity is compared as typed, in the
// product's unit, which the portal orders in (the base unit of the seeded catalogue).
func (s *Service) markAvailability(ctx context.Context, v *Viewer, f *OrderForm) error {
	if strings.TrimSpace(s.inst.DefaultStore) == "" {
		return nil
	}
	ids := make([]string, 0, len(f.Lines))
	for _, l := range f.Lines {
		ids = append(ids, l.ProductID)
	}
	atp, err := s.availability(ctx, v, ids)
	if err != nil {
		return err
	}
	f.Availability = true
	for i, l := range f.Lines {
		q, ok := ParseQuantity(l.Quantity)
		if !ok || l.InfoID == "" {
			continue
		}
		have := atp[strings.ToLower(l.ProductID)]
		switch {
		case s.inst.AvailabilityMax > 0 && q > float64(s.inst.AvailabilityMax):
			f.Lines[i].Availability = AvailableCall
		case have >= q:
			f.Lines[i].Availability = AvailableYes
		default:
			f.Lines[i].Availability, f.Lines[i].Available = AvailableShort, max(0, have)
		}
	}
	return nil
}
