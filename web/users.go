package web

import (
	"strconv"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// UsersView is the User Management page: the customer's portal users and the form to add one.
type UsersView struct {
	Users []UserRow
	Form  UserForm
}

// UserRow is a user of the list with the text its Remove button confirms.
type UserRow struct {
	portal.PortalUser
	Confirm string
}

// UserForm is the add or edit form as shown: the values as typed, the roles the viewer may
// grant, and a message per field ("" for the form as a whole), in the page's language.
type UserForm struct {
	Action                                string
	Email, Role, DaysBack, Notes, Version string
	Roles                                 []RoleOption
	Errors                                map[string]string
	MaxDaysBack, MaxNotes                 int
	// UnknownEmail: the e-mail typed is no user's in the ERP system; the page says what to do.
	UnknownEmail bool
}

// RoleOption is a role the form offers.
type RoleOption struct {
	Code, Label string
	// Sees is what the role opens, in the page's language ("Orders, Order prices, Invoices").
	Sees     string
	Selected bool
}

// UserEditView is the edit form of one access.
type UserEditView struct {
	User portal.PortalUser
	Form UserForm
}

func itoa(n int) string { return strconv.Itoa(n) }
