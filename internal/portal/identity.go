package portal

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// User is an Erp.Net user as the sign-in needs it.
type User struct {
	ID, Login, Name, Email string
	HasPerson              bool
}

// FindUser finds the Erp.Net user who signed in, by login. A login Erp.Net does not know, or
// a user without a Person, cannot use a Client Center (CC002).
func (s *Service) FindUser(ctx context.Context, login string) (User, error) {
	q := erpnet.From(erpnet.SetUsers).Where(erpnet.Eq("Login", erpnet.Str(login))).Select("default", "Id").Top(2)
	users, err := listAll[erpnet.User](ctx, s, "", cache.KindAccess, q)
	if err != nil {
		return User{}, err
	}
	if len(users) != 1 || users[0].Person.Ref.ID == "" {
		return User{}, ccErr(http.StatusForbidden, "CC002", "Account not set up", "Your account is not linked to a person in the ERP system, so it cannot use the Client Center. Ask your contact at "+s.inst.Title+" to set it up.")
	}
	u := users[0]
	if !u.Active {
		return User{}, ccErr(http.StatusForbidden, "CC010", "Account not active", "Your account was not activated by the ERP administrator to use the Client Center.")
	}
	return User{ID: u.ID, Login: u.Login, Name: u.Name.String(), Email: u.Email, HasPerson: true}, nil
}

// enterpriseCompanies reads every enterprise company; it and its cache key are made once, since
// every request asks.
var (
	enterpriseCompanies    = erpnet.From(erpnet.SetEnterpriseCompanies).Select("default", "Id", "DisplayText").Expand("Company")
	enterpriseCompaniesKey = enterpriseCompanies.String()
)

// enterpriseCompanyID resolves the instance's enterprise_company setting — a GUID, or a code or
// a company name — to the enterprise company's Id, through the cache.
func (s *Service) enterpriseCompanyID(ctx context.Context) (string, error) {
	setting := strings.TrimSpace(s.inst.EnterpriseCompany)
	if setting == "" {
		return "", errSetup("CC005", "The Client Center has no Enterprise Company in its settings.")
	}
	if id, err := uuid.Parse(setting); err == nil {
		return id.String(), nil
	}
	all, err := cached(ctx, s, "", cache.KindProducts, enterpriseCompaniesKey, func(ctx context.Context) ([]erpnet.EnterpriseCompany, error) {
		var out []erpnet.EnterpriseCompany
		err := s.erp.ListAll(ctx, enterpriseCompanies, &out)
		return out, err
	})
	if err != nil {
		return "", err
	}
	for _, ec := range all {
		if strings.EqualFold(ec.Code, setting) {
			return ec.ID, nil
		}
	}
	for _, ec := range all {
		if c := ec.Company.Entity; c != nil && strings.EqualFold(c.PartyName.String(), setting) || strings.EqualFold(ec.DisplayText, setting) {
			return ec.ID, nil
		}
	}
	return "", errSetup("CC005", "The Enterprise Company \""+setting+"\" of this Client Center is not known to the ERP system.")
}

// accessScope is the cache scope of one person's access records: User Management drops exactly
// it after a change, so the change holds from that person's next request.
func accessScope(userID string) string { return "user:" + strings.ToLower(userID) }

// accessColumns is what Viewer reads of an external-access record, built once since every request
// asks (a query's builders copy before they add).
var accessColumns = erpnet.From(erpnet.SetExternalAccess).Select("default", "Id").
	Expand("Customer", erpnet.Query{}.Select("default", "Id").Expand("Party"))

// Viewer re-reads the person's access to this Client Center's customers (cached for the access
// TTL). No access at all is CC010; access only through another enterprise company is CC006.
func (s *Service) Viewer(ctx context.Context, userID, login, name string) (*Viewer, error) {
	ec, err := s.enterpriseCompanyID(ctx)
	if err != nil {
		return nil, err
	}
	query := func() erpnet.Query {
		return accessColumns.Where(erpnet.Eq("User", erpnet.NewRef(erpnet.SetUsers, userID)))
	}
	madeOf := string(make(inputs, 0, 48).str("access", userID))
	key, known := s.keys.get(madeOf)
	if !known {
		key = query().String()
		s.keys.put(madeOf, key)
	}
	records, err := cached(ctx, s, accessScope(userID), cache.KindAccess, key, func(ctx context.Context) ([]erpnet.ExternalAccess, error) {
		var out []erpnet.ExternalAccess
		err := s.erp.ListAll(ctx, query(), &out)
		return out, err
	})
	if err != nil {
		return nil, err
	}
	v := &Viewer{UserID: userID, Login: login, Name: name}
	other := false
	for _, r := range records {
		c := r.Customer.Entity
		if c == nil {
			continue
		}
		if c.EnterpriseCompany.Ref.ID != ec {
			other = true
			continue
		}
		role, ok := access.ParseRole(r.Role)
		if !ok || !c.Active {
			continue
		}
		a := Access{ID: r.ID, CustomerID: c.ID, CustomerNumber: c.Number, Role: role, DaysBack: r.DaysBackAccess, PartyID: c.Party.Ref.ID}
		if p := c.Party.Entity; p != nil {
			a.CustomerName = s.text(ctx, p.PartyName)
		}
		v.Accesses = append(v.Accesses, a)
	}
	sort.Slice(v.Accesses, func(i, j int) bool { return v.Accesses[i].CustomerName < v.Accesses[j].CustomerName })
	if len(v.Accesses) == 0 {
		if other {
			return nil, ccErr(http.StatusForbidden, "CC006", "No access to this Client Center",
				"Your company has no customer agreement with "+s.inst.Title+". Ask your contact to set it up.")
		}
		return nil, ccErr(http.StatusForbidden, "CC010", "Account not active",
			"Your account was not activated by the ERP administrator to use the Client Center.")
	}
	return v, nil
}
