package portal

import (
	"context"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Limits of the User Management form.
const (
	MaxDaysBack   = 36500 // a hundred years: beyond it "unlimited" is meant
	MaxNotesChars = 1000
)

// MsgNoSuchEmail is the message for an e-mail no Erp.Net user has, in the vendor's words; the
// page explains beside it what the person can do.
const MsgNoSuchEmail = "No user was found with this email. Please check if you have entered the correct email address."

// UserInput is the User Management form as the person typed it. It stays as typed, so a refused
// form can be shown again unchanged.
type UserInput struct {
	Email    string // adding only
	Role     string // a role's code, e.g. "L40"
	DaysBack string // "" = unlimited
	Notes    string
	Version  string // the ObjectVersion the edit form was read at
}

// FormError refuses a form: a message per field name ("email", "role", "days_back", "notes"),
// and under "" a message about the form as a whole.
type FormError struct {
	Fields map[string]string
}

func (e *FormError) Error() string {
	var parts []string
	for f, m := range e.Fields {
		parts = append(parts, f+": "+m)
	}
	return "portal: form refused: " + strings.Join(parts, "; ")
}

func formErr(field, msg string) *FormError { return &FormError{Fields: map[string]string{field: msg}} }

// userChange is a validated form.
type userChange struct {
	email    string
	role     access.Role
	daysBack *int
	notes    string
}

// validate checks the form field by field, naming every field that is wrong at once.
func (in UserInput) validate(adding bool) (userChange, *FormError) {
	fe := &FormError{Fields: map[string]string{}}
	var ch userChange
	if adding {
		ch.email = strings.TrimSpace(in.Email)
		if ch.email == "" {
			fe.Fields["email"] = "Enter the e-mail address of the person to add."
		} else if a, err := mail.ParseAddress(ch.email); err != nil || a.Address != ch.email || len(ch.email) > 254 {
			fe.Fields["email"] = "Enter a valid e-mail address, such as name@example.com."
		}
	}
	role, ok := access.ParseRole(strings.TrimSpace(in.Role))
	if !ok {
		fe.Fields["role"] = "Choose a role."
	}
	ch.role = role
	if d := strings.TrimSpace(in.DaysBack); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > MaxDaysBack {
			fe.Fields["days_back"] = "Days back access must be a whole number from 1 to 36500, or empty for unlimited."
		}
		ch.daysBack = &n
	}
	ch.notes = strings.TrimSpace(in.Notes)
	if n := utf8.RuneCountInString(ch.notes); n > MaxNotesChars {
		fe.Fields["notes"] = "Notes can be at most 1000 characters long (these have " + strconv.Itoa(n) + ")."
	}
	if len(fe.Fields) > 0 {
		return ch, fe
	}
	return ch, nil
}

// AddUser gives an existing Erp.Net user, found by e-mail, access to the viewer's customer.
// It never creates an Erp.Net user.
func (s *Service) AddUser(ctx context.Context, v *Viewer, in UserInput) (PortalUser, error) {
	ch, fe := in.validate(true)
	if fe != nil {
		return PortalUser{}, fe
	}
	if err := access.CheckChange(access.Change{Actor: v.Current.Role, Adding: true, New: ch.role}); err != nil {
		return PortalUser{}, formErr("role", err.Error())
	}
	if err := access.CheckDaysBack(v.Current.DaysBack, ch.daysBack); err != nil {
		return PortalUser{}, formErr("days_back", err.Error())
	}
	// Read from Erp.Net, not the cache: the decision is made on the current state.
	users, err := erpnet.All[erpnet.User](ctx, s.erp, erpnet.From(erpnet.SetUsers).
		Where(erpnet.Eq("Email", erpnet.Str(ch.email))).Select("default", "Id").Top(2))
	if err != nil {
		return PortalUser{}, err
	}
	switch {
	case len(users) == 0:
		return PortalUser{}, formErr("email", MsgNoSuchEmail)
	case len(users) > 1:
		return PortalUser{}, formErr("email", "More than one user in the ERP system has this email, so it cannot say who is meant. Please ask your contact at "+s.inst.Title+" to sort it out.")
	}
	user := users[0]
	u := PortalUser{UserID: user.ID, Login: user.Login, Name: user.Name.String(), Display: user.Display(),
		Role: ch.role, DaysBack: ch.daysBack, Notes: ch.notes}
	already := formErr("email", u.Display+" already has access to "+v.Current.CustomerName+". Edit that access in the list instead.")
	existing, err := erpnet.All[erpnet.ExternalAccess](ctx, s.erp, erpnet.From(erpnet.SetExternalAccess).
		Where(erpnet.Eq("Customer", customerRef(v.Current.CustomerID)), erpnet.Eq("User", erpnet.NewRef(erpnet.SetUsers, user.ID))).
		Select("Id").Top(1))
	if err != nil {
		return PortalUser{}, err
	}
	if len(existing) > 0 {
		return u, already
	}
	// DaysBackAccess is always sent: left out, Erp.Net would default it to 30 days, not unlimited.
	// Erp.Net chooses the new record's Id.
	roleValue, err := s.roleValue(ctx, ch.role)
	if err != nil {
		return PortalUser{}, err
	}
	body := map[string]any{"Customer": customerRef(v.Current.CustomerID), "User": erpnet.NewRef(erpnet.SetUsers, user.ID),
		"Role": roleValue, "DaysBackAccess": ch.daysBack, "Notes": ch.notes}
	var created erpnet.ExternalAccess
	err = s.erp.Create(ctx, erpnet.SetExternalAccess, body, &created)
	u.ID = created.ID
	s.accessChanged(ctx, v, user.ID)
	if erpnet.IsDuplicate(err) {
		return u, already
	}
	if err != nil {
		return u, err
	}
	s.audit(v, "add", u.Login, nil, &u)
	return u, nil
}

// UpdateUser changes the role, days-back access and notes of an access record of the viewer's
// customer. The form's ObjectVersion must still be current; otherwise nothing changes and the
// FormError says so, with the current record returned.
func (s *Service) UpdateUser(ctx context.Context, v *Viewer, id string, in UserInput) (PortalUser, error) {
	r, err := s.readAccess(ctx, v, id)
	if err != nil {
		return PortalUser{}, err
	}
	before := portalUser(v, r)
	if !before.CanEdit {
		return before, &access.Denial{Reason: before.EditRefusal}
	}
	ch, fe := in.validate(false)
	if fe != nil {
		return before, fe
	}
	if err := access.CheckChange(access.Change{Actor: v.Current.Role, Current: before.Role, New: ch.role}); err != nil {
		return before, formErr("role", err.Error())
	}
	if err := access.CheckDaysBack(v.Current.DaysBack, ch.daysBack); err != nil {
		return before, formErr("days_back", err.Error())
	}
	if version, err := strconv.Atoi(strings.TrimSpace(in.Version)); err != nil || version != before.ObjectVersion {
		return before, changedMeanwhile(before)
	}
	roleValue, err := s.roleValue(ctx, ch.role)
	if err != nil {
		return before, err
	}
	body := map[string]any{"Role": roleValue, "DaysBackAccess": ch.daysBack, "Notes": ch.notes, "ObjectVersion": before.ObjectVersion}
	err = s.erp.Patch(ctx, erpnet.SetExternalAccess, r.ID, body)
	s.accessChanged(ctx, v, before.UserID)
	if err != nil {
		// Erp.Net refuses a stale ObjectVersion with a business error; a newer version read
		// back tells that apart from any other refusal.
		var ee *erpnet.Error
		if errors.As(err, &ee) && ee.Code != 0 {
			if now, rerr := s.GetUser(ctx, v, id); rerr == nil && now.ObjectVersion != before.ObjectVersion {
				return now, changedMeanwhile(now)
			}
		}
		return before, err
	}
	after := before
	after.Role, after.DaysBack, after.Notes = ch.role, ch.daysBack, ch.notes
	s.audit(v, "edit", before.Login, &before, &after)
	return after, nil
}

func changedMeanwhile(now PortalUser) *FormError {
	days := "unlimited days back"
	if now.DaysBack != nil {
		days = daysText(now.DaysBack) + " days back"
	}
	return formErr("", "This access was changed meanwhile by someone else; it is now "+now.Role.Label()+", "+days+
		". Check the form and save again.")
}

// RemoveUser deletes an access record of the viewer's customer: the person can no longer use
// this Client Center for the customer. The Erp.Net user itself stays.
func (s *Service) RemoveUser(ctx context.Context, v *Viewer, id string) (PortalUser, error) {
	r, err := s.readAccess(ctx, v, id)
	if err != nil {
		return PortalUser{}, err
	}
	before := portalUser(v, r)
	if err := access.CheckChange(access.Change{Actor: v.Current.Role, Self: before.Self, Current: before.Role, Removing: true}); err != nil {
		return before, err
	}
	err = s.erp.Delete(ctx, erpnet.SetExternalAccess, r.ID)
	s.accessChanged(ctx, v, before.UserID)
	if erpnet.IsNotFound(err) {
		return before, ErrNotFound
	}
	if err != nil {
		return before, err
	}
	s.audit(v, "remove", before.Login, &before, nil)
	return before, nil
}

// accessChanged drops what the cache holds of the customer's users and of the affected person's
// access, for every Client Center of the process, so the change holds from that person's next
// request rather than after the TTL.
func (s *Service) accessChanged(ctx context.Context, v *Viewer, userID string) {
	s.invalidate(ctx, v.Current.CustomerID)
	s.cache.InvalidateCustomer(ctx, "", usersScope(v.Current.CustomerID))
	s.cache.InvalidateCustomer(ctx, "", accessScope(userID))
}

// audit logs one User Management change: who, for which customer, what, whom, before and after.
func (s *Service) audit(v *Viewer, action, target string, before, after *PortalUser) {
	state := func(u *PortalUser) (string, string) {
		if u == nil {
			return "", ""
		}
		days := daysText(u.DaysBack)
		if days == "" {
			days = "unlimited"
		}
		return u.Role.String(), days
	}
	rb, db := state(before)
	ra, da := state(after)
	s.log.Info("user access changed", zapFields(v, "action", action, "target", target,
		"role_before", rb, "days_back_before", db, "role_after", ra, "days_back_after", da)...)
}

// roleValue is the value the connected server stores for role: "OrdersBilling" for Billing on
// older builds. A role the server does not have is refused at the form's role field.
func (s *Service) roleValue(ctx context.Context, role access.Role) (string, error) {
	rs, err := s.roleSet(ctx)
	if err != nil {
		return "", err
	}
	if v := rs.APIValue(role); v != "" {
		return v, nil
	}
	return "", formErr("role", "The ERP system behind this portal does not have this role. Choose another one.")
}
