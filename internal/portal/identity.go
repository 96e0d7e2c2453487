package portal

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// User is an Erp.Net user as the sign-in needs it.
type User struct {
	ID, Login, Name, Email string
	HasPerson              bool
}

// Directory finds the people who sign in. Erp.Net's users are the same for every Client Center
// of the process, so sign-in asks the one directory, not any one Client Center.
type Directory struct{ svc *Service }

// NewDirectory is the directory of the Erp.Net users, read through the process's cache.
func NewDirectory(d Deps) *Directory {
	d.Instance = config.Instance{}
	return &Directory{svc: New(d)}
}

// FindUser finds the Erp.Net user who signed in, by login (see Service.FindUser).
func (d *Directory) FindUser(ctx context.Context, login string) (User, error) {
	return d.svc.FindUser(ctx, login)
}

// FindUser finds the Erp.Net user who signed in, by login. A login Erp.Net does not know, or
// a user without a Person, cannot use a Client Center (CC002).
func (s *Service) FindUser(ctx context.Context, login string) (User, error) {
	q := erpnet.From(erpnet.SetUsers).Where(erpnet.Eq("Login", erpnet.Str(login))).Select("default", "Id").Top(2)
	users, err := fetchAccess(ctx, s, nil, sharedKey("logins", q.String()), func(ctx context.Context) ([]erpnet.User, error) {
		var out []erpnet.User
		err := s.erp.ListAll(ctx, q, &out)
		return out, err
	})
	if err != nil {
		return User{}, err
	}
	// CC002: the vendor requires a Person; whether its v26 still does is not documented, so the
	// portal keeps the requirement, the stricter reading.
	if len(users) != 1 || users[0].Person.Ref.ID == "" {
		return User{}, ccErr(KindForbidden, "CC002", "Account not set up", "Your account is not linked to a person in the ERP system, so it cannot use the Client Center. Ask your contact to set it up.")
	}
	u := users[0]
	if !u.Active {
		return User{}, errUserInactive
	}
	return User{ID: u.ID, Login: u.Login, Name: u.Name.String(), Email: u.Email, HasPerson: true}, nil
}

// enterpriseCompanies reads every enterprise company; it and its cache key are made once, since
// every request asks.
var (
	enterpriseCompanies    = erpnet.From(erpnet.SetEnterpriseCompanies).Select("default", "Id", "DisplayText").Expand("Company")
	enterpriseCompaniesKey = enterpriseCompanies.String()
)

// enterpriseCompanyID resolves the instance's enterprise_company setting — a GUID, or the name of
// its company (Company.PartyName, in any language) — to the enterprise company's Id, through the
// cache. Enterprise companies have no code in the model.
func (s *Service) enterpriseCompanyID(ctx context.Context, v *Viewer) (string, error) {
	setting := strings.TrimSpace(s.inst.EnterpriseCompany)
	if setting == "" {
		return "", errSetup("CC005", "The Client Center has no Enterprise Company in its settings.")
	}
	if id, err := uuid.Parse(setting); err == nil {
		return id.String(), nil
	}
	all, err := cached(ctx, s, v, "", cache.KindProducts, enterpriseCompaniesKey, func(ctx context.Context) ([]erpnet.EnterpriseCompany, error) {
		var out []erpnet.EnterpriseCompany
		err := s.erp.ListAll(ctx, enterpriseCompanies, &out)
		return out, err
	})
	if err != nil {
		return "", err
	}
	for _, ec := range all {
		if c := ec.Company.Entity; c != nil && c.PartyName.Has(setting) || strings.EqualFold(ec.DisplayText, setting) {
			return ec.ID, nil
		}
	}
	return "", errSetup("CC005", "The Enterprise Company \"%s\" of this Client Center is not known to the ERP system.", setting)
}

// accessScope is the cache scope of one person's access records: User Management drops exactly
// it after a change, so the change holds from that person's next request.
func accessScope(userID string) string { return "user:" + strings.ToLower(userID) }

// sharedKey names a cached read shared by every Client Center of the process: a person's access
// records are the same whichever Client Center reads them, so a change made through one is
// dropped for all of them at once.
func sharedKey(scope, query string) cache.Key {
	return cache.Key{Instance: "", Customer: scope, Query: query}
}

// accessColumns is what Viewer reads of an external-access record, built once since every request
// asks (a query's builders copy before they add). The user's Active flag comes along, so that a
// user deactivated in Erp.Net loses the portal within the access TTL.
var accessColumns = erpnet.From(erpnet.SetExternalAccess).Select("default", "Id").
	Expand("Customer", erpnet.Query{}.Select("default", "Id").Expand("Party")).
	Expand("User", erpnet.Query{}.Select("Id", "Active"))

// AccessPolicy says whether a request may use access records past their TTL while Erp.Net fails.
// The zero policy never does.
type AccessPolicy struct {
	// Grace is how long past the TTL access may be used; only pages that read get one.
	Grace time.Duration
	// NotBefore: access read at or before it is never used past its TTL (it was revoked or
	// changed after).
	NotBefore time.Time
}

// errUserInactive is the refusal of a user deactivated in Erp.Net.
var errUserInactive = ccErr(KindForbidden, "CC010", "Account not active", "Your account was not activated by the ERP administrator to use the Client Center.")

// IsDeactivated tells whether err says the person's Erp.Net user is no longer active.
func IsDeactivated(err error) bool { return errors.Is(err, errUserInactive) }

// fetchAccess reads access data through the process-wide cache, using a stale value only as the
// viewer's AccessPolicy allows (never without a viewer).
func fetchAccess[T any](ctx context.Context, s *Service, vw *Viewer, key cache.Key, fetch func(context.Context) (T, error)) (T, error) {
	v, res, err := cache.Fetch(ctx, s.cache, key, cache.KindAccess, fetch)
	if err != nil || !res.Stale {
		return v, err
	}
	var p AccessPolicy
	if vw != nil {
		p = vw.policy
	}
	if p.Grace <= 0 || res.Age > s.cache.TTL(cache.KindAccess)+p.Grace || !res.FetchedAt.After(p.NotBefore) {
		var zero T
		return zero, fmt.Errorf("portal: access read %s ago is not used past its grace: %w", res.Age.Round(time.Second), erpnet.ErrUnavailable)
	}
	vw.Fresh.mark(res.Age)
	return v, nil
}

// Who is the person a request is made by, as their session knows them, with what the request
// asks of the portal: the language they read in and how stale their access may be.
type Who struct {
	UserID, Login, Name string
	Lang                string
	Policy              AccessPolicy
}

// accessRecord is what Viewer needs of an external-access record with its customer, party and
// user: kept in the cache instead of the records as decoded, which are ten times the size.
type accessRecord struct {
	ID, Role string
	// DaysBack is the horizon in days when Limited; a plain value and a flag rather than a
	// pointer, so that a horizon of 0 days survives being shared between replicas.
	DaysBack                                                            int
	Limited                                                             bool
	UserActive                                                          bool // false too when the record came without its user
	HasCustomer, CustomerActive                                         bool
	CustomerID, CustomerNumber, EnterpriseCompanyID, PartyID, PartyCode string
	PartyName                                                           erpnet.PackedText
}

func accessRecords(in []erpnet.ExternalAccess) []accessRecord {
	out := make([]accessRecord, len(in))
	for i, r := range in {
		a := accessRecord{ID: r.ID, Role: r.Role}
		if r.DaysBackAccess != nil {
			a.DaysBack, a.Limited = *r.DaysBackAccess, true
		}
		if u := r.User.Entity; u != nil {
			a.UserActive = u.Active
		}
		if c := r.Customer.Entity; c != nil {
			a.HasCustomer, a.CustomerActive = true, c.Active
			a.CustomerID, a.CustomerNumber, a.EnterpriseCompanyID, a.PartyID = c.ID, c.Number, c.EnterpriseCompany.Ref.ID, c.Party.Ref.ID
			if p := c.Party.Entity; p != nil {
				a.PartyCode, a.PartyName = p.PartyCode, p.PartyName.Packed()
			}
		}
		out[i] = a
	}
	compactRows(out)
	return out
}

// Viewer re-reads the person's access to this Client Center's customers (cached for the access
// TTL), as the viewer of one request. No access at all is CC010; access only through another
// enterprise company is CC006.
func (s *Service) Viewer(ctx context.Context, who Who) (*Viewer, error) {
	userID := who.UserID
	v := &Viewer{UserID: userID, Login: who.Login, Name: who.Name, Lang: who.Lang, Fresh: &Freshness{}, policy: who.Policy}
	ec, err := s.enterpriseCompanyID(ctx, v)
	if err != nil {
		return nil, err
	}
	if err := s.resolveDocTypes(ctx); err != nil {
		return nil, err
	}
	query := accessColumns.Where(erpnet.Eq("User", erpnet.NewRef(erpnet.SetUsers, userID)))
	records, err := fetchAccess(ctx, s, v, sharedKey(accessScope(userID), query.String()), func(ctx context.Context) ([]accessRecord, error) {
		var out []erpnet.ExternalAccess
		if err := s.erp.ListAll(ctx, query, &out); err != nil {
			return nil, err
		}
		return accessRecords(out), nil
	})
	if err != nil {
		return nil, err
	}
	other := false
	for _, r := range records {
		// Any record tells whether the user is active; one without the user is not trusted.
		if !r.UserActive {
			return nil, errUserInactive
		}
		if !r.HasCustomer {
			continue
		}
		if r.EnterpriseCompanyID != ec {
			other = true
			continue
		}
		role, ok := s.roleFromAPI(r.Role, r.ID)
		if !ok || !r.CustomerActive {
			continue
		}
		var days *int
		if r.Limited {
			d := r.DaysBack
			days = &d
		}
		v.Accesses = append(v.Accesses, Access{ID: r.ID, CustomerID: r.CustomerID, CustomerNumber: r.CustomerNumber, Role: role,
			DaysBack: days, PartyID: r.PartyID, PartyCode: r.PartyCode, CustomerName: r.PartyName.In(s.langOf(v))})
	}
	sort.Slice(v.Accesses, func(i, j int) bool { return v.Accesses[i].CustomerName < v.Accesses[j].CustomerName })
	if len(v.Accesses) == 0 {
		if other {
			return nil, ccErr(KindForbidden, "CC006", "No access to this Client Center",
				"Your company has no customer agreement with %s. Ask your contact to set it up.", s.inst.Title)
		}
		return nil, ccErr(KindForbidden, "CC010", "Account not active",
			"Your account was not activated by the ERP administrator to use the Client Center.")
	}
	return v, nil
}
