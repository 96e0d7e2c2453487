package portal

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// PortalUser is one portal user of the customer: an external-access record of Erp.Net with the
// user it grants, and what the viewer may do with it.
type PortalUser struct {
	ID            string // the external-access record
	UserID        string
	Login         string
	Name          string
	Display       string // "{Name} <{Login}> [{UserType}]", as Erp.Net shows a user
	TypeCode      string // the user type's code as Erp.Net writes it: EXT for an external user
	Role          access.Role
	DaysBack      *int // nil: unlimited
	Notes         string
	ObjectVersion int
	// Self marks the viewer's own access.
	Self bool
	// CanEdit and CanRemove say what the rules of User Management let the viewer do here.
	CanEdit, CanRemove bool
	// EditRefusal and RemoveRefusal say why not, or are "".
	EditRefusal, RemoveRefusal string
}

// DaysBackText is the days-back access for people: a number of days or "" for unlimited.
func (u PortalUser) DaysBackText() string { return daysText(u.DaysBack) }

func daysText(d *int) string {
	if d == nil {
		return ""
	}
	return strconv.Itoa(*d)
}

// accessQuery reads external-access records with their ObjectVersion and the user they grant.
func accessQuery() erpnet.Query {
	return erpnet.Query{}.Select("default", "Id", "ObjectVersion").Expand("User", erpnet.Query{}.Select("default", "Id"))
}

// Users lists the portal users of the viewer's customer, by name.
func (s *Service) Users(ctx context.Context, v *Viewer) ([]PortalUser, error) {
	q := accessQuery().From(erpnet.SetExternalAccess).Where(erpnet.Eq("Customer", customerRef(v.Current.CustomerID)))
	records, err := fetchAccess(ctx, s, v, sharedKey(usersScope(v.Current.CustomerID), q.String()), func(ctx context.Context) ([]erpnet.ExternalAccess, error) {
		var out []erpnet.ExternalAccess
		err := s.erp.ListAll(ctx, q, &out)
		return out, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]PortalUser, 0, len(records))
	for _, r := range records {
		out = append(out, portalUser(v, r))
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].Login < out[j].Login
	})
	return out, nil
}

// usersScope is the cache scope of a customer's list of portal users, shared by every Client
// Center of the process like each person's access.
func usersScope(customerID string) string { return "users:" + strings.ToLower(customerID) }

// GetUser reads one access record of the viewer's customer straight from Erp.Net, so an edit
// starts from its current version. A record of another customer is not found, like a missing one.
func (s *Service) GetUser(ctx context.Context, v *Viewer, id string) (PortalUser, error) {
	r, err := s.readAccess(ctx, v, id)
	if err != nil {
		return PortalUser{}, err
	}
	return portalUser(v, r), nil
}

// readAccess reads an access record by id, uncached, and checks it belongs to the viewer's customer.
func (s *Service) readAccess(ctx context.Context, v *Viewer, id string) (erpnet.ExternalAccess, error) {
	if !validID(id) {
		return erpnet.ExternalAccess{}, ErrNotFound
	}
	var r erpnet.ExternalAccess
	err := s.erp.Get(ctx, erpnet.SetExternalAccess, id, accessQuery(), &r)
	if erpnet.IsNotFound(err) {
		return erpnet.ExternalAccess{}, ErrNotFound
	}
	if err != nil {
		return erpnet.ExternalAccess{}, err
	}
	if r.Customer.ID == "" || !strings.EqualFold(r.Customer.ID, v.Current.CustomerID) {
		return erpnet.ExternalAccess{}, ErrNotFound
	}
	return r, nil
}

// portalUser is the view of an access record, with the rules applied for viewer v.
func portalUser(v *Viewer, r erpnet.ExternalAccess) PortalUser {
	role, _ := access.FromAPI(r.Role)
	u := PortalUser{ID: r.ID, UserID: r.User.ID, Role: role, Notes: r.Notes, ObjectVersion: r.ObjectVersion,
		Self: strings.EqualFold(r.User.ID, v.UserID)}
	if r.DaysBackAccess != nil {
		d := *r.DaysBackAccess // a copy: the record may be shared by the cache
		u.DaysBack = &d
	}
	if e := r.User.Entity; e != nil {
		u.Login, u.Name, u.Display, u.TypeCode = e.Login, e.Name.String(), e.Display(), e.TypeCode()
	}
	// Editing at all is judged with the lowest role as the new one; the role actually chosen is
	// judged again when the form is sent.
	if err := access.CheckChange(access.Change{Actor: v.Current.Role, Self: u.Self, Current: role, New: access.Basic}); err != nil {
		u.EditRefusal = err.Error()
	}
	if err := access.CheckChange(access.Change{Actor: v.Current.Role, Self: u.Self, Current: role, Removing: true}); err != nil {
		u.RemoveRefusal = err.Error()
	}
	u.CanEdit, u.CanRemove = u.EditRefusal == "", u.RemoveRefusal == ""
	return u
}
