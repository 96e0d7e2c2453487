package portal

import (
	"context"
	"errors"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// errNoParty is a customer record without a party: its finance rows cannot be told apart from
// anyone else's, so none are shown.
var errNoParty = errors.New("portal: the customer has no party")

// partyTerms limit finance rows (due payments, payments) to the viewer's customer. Erp.Net keeps
// them on the customer's party rather than on the customer, and a party may be a customer of
// several enterprise companies, so the scope is the party within this Client Center's
// enterprise company.
func (s *Service) partyTerms(ctx context.Context, v *Viewer) ([]erpnet.Term, error) {
	if v.Current == nil || v.Current.PartyID == "" {
		return nil, errNoParty
	}
	ec, err := s.enterpriseCompanyID(ctx, v)
	if err != nil {
		return nil, err
	}
	return []erpnet.Term{
		erpnet.Eq("Party", erpnet.NewRef(erpnet.SetParties, v.Current.PartyID)),
		erpnet.Eq("EnterpriseCompany", erpnet.NewRef(erpnet.SetEnterpriseCompanies, ec)),
	}, nil
}

// today is the current date in the tenant's time zone (time_zone), written as UTC midnight as
// every date of the portal is: the day aging, windows and horizons are counted from. At 00:30 in
// Sofia it is already the next day there, while UTC is still on the last.
func (s *Service) today() time.Time {
	y, m, d := s.now().In(s.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is the tenant's date (see today), for what the server names by day, such as a CSV file.
func (s *Service) Today() time.Time { return s.today() }

// Now is the time on the portal's clock, the one the cache's freshness is counted on.
func (s *Service) Now() time.Time { return s.now() }

// Generation is the generation of the data of v's customer: every write through the portal
// moves it on, so what is made of the customer's data can name the generation it was made in.
func (s *Service) Generation(ctx context.Context, v *Viewer) uint64 {
	inst, cust := s.scope(v.Current.CustomerID)
	return s.cache.Generation(ctx, inst, cust)
}

// invalidate drops the cached data of a customer after a write, on every replica.
func (s *Service) invalidate(ctx context.Context, customerID string) {
	inst, cust := s.scope(customerID)
	s.cache.InvalidateCustomer(ctx, inst, cust)
}

// MaxKeep is the longest what is made of cached data can be as fresh as it: the cache's
// shortest TTL (values read without the viewer's Freshness seeing them are shared reference
// data, whose TTL is at least this).
func (s *Service) MaxKeep() time.Duration { return s.cache.MinTTL() }

// horizon is the oldest document date the viewer may see today (see Viewer.Horizon).
func (s *Service) horizon(v *Viewer) time.Time { return v.Horizon(s.today()) }

// dateOf is t's calendar date as UTC midnight, so whole days can be counted by subtraction.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
