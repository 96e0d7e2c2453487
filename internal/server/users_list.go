package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/i18n"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// newUserForm fills the form from what was typed, offering only the roles actor may grant, with
// its labels and the errors of its fields in lang.
func newUserForm(lang, action string, actor access.Role, offered []access.Role, svc *portal.Service, in portal.UserInput, errs map[string]string) web.UserForm {
	msgs := make(map[string]string, len(errs))
	for field, msg := range errs {
		msgs[field] = i18n.T(lang, msg)
	}
	f := web.UserForm{Action: action, Email: in.Email, Role: in.Role, DaysBack: in.DaysBack, Notes: in.Notes, Version: in.Version,
		Errors: msgs, MaxDaysBack: portal.MaxDaysBack, MaxNotes: portal.MaxNotesChars, UnknownEmail: errs["email"] == portal.MsgNoSuchEmail}
	chosen, _ := access.ParseRole(in.Role)
	for _, r := range access.Grantable(actor) {
		if !slices.Contains(offered, r) {
			continue // a role the connected Erp.Net does not have
		}
		f.Roles = append(f.Roles, web.RoleOption{Code: r.Code(), Label: i18n.T(lang, r.Label()), Sees: roleSees(lang, r, svc), Selected: r == chosen})
	}
	return f
}

// roleSees says what a role opens on this instance, in the order of the menu: the sections
// and the rights within them, only those the instance has switched on.
func roleSees(lang string, r access.Role, svc *portal.Service) string {
	var parts []string
	for _, c := range []struct {
		cap   access.Capability
		label string
		on    bool
	}{
		{access.ViewHome, "Home and the profile", true},
		{access.ViewOrders, "Orders", svc.OrdersOn()},
		{access.ViewOrderPrices, "Order prices", svc.OrdersOn()},
		{access.CancelOrder, "Cancelling orders", svc.OrdersOn()},
		{access.PlaceOrder, "New orders", svc.NewOrderOn()},
		{access.ViewInvoices, "Invoices", true},
		{access.ViewDue, "Due payments", true},
		{access.ViewPayments, "Payment history", true},
		{access.ManageUsers, "Managing users", true},
	} {
		if c.on && r.Can(c.cap) {
			parts = append(parts, i18n.T(lang, c.label))
		}
	}
	return strings.Join(parts, ", ")
}

// userInputOf reads the User Management form of a POST, as typed.
func userInputOf(c *gin.Context) portal.UserInput {
	return portal.UserInput{Email: c.PostForm("email"), Role: c.PostForm("role"), DaysBack: c.PostForm("days_back"),
		Notes: c.PostForm("notes"), Version: c.PostForm("version")}
}

// removeConfirm is the question asked before an access is removed, in the vendor's words.
func removeConfirm(c *gin.Context, u portal.PortalUser) string {
	return tr(c, "Are you sure you want to delete %s?", u.Display)
}

// showUsers handles "GET /:cc/users": the customer's portal users, with Edit and Remove where
// the rules allow them, and the form to add a user.
func (s *Server) showUsers(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, addUserDefaults(viewerOf(c).Current, instanceOf(c).svc.RolesOffered(c.Request.Context())), nil)
}

// addUserDefaults are the add form's first values, the model's defaults as the vendor's form has
// them: L30 Orders with Prices and 30 days back, within what the actor may grant (an actor with
// fewer days back grants at most those; a server without L30 starts from L20).
func addUserDefaults(actor *portal.Access, offered []access.Role) portal.UserInput {
	role, days := access.OrdersWithPrices, 30
	if !slices.Contains(offered, role) || role > actor.Role {
		role = access.Orders
	}
	if actor.DaysBack != nil && *actor.DaysBack < days {
		days = *actor.DaysBack
	}
	return portal.UserInput{Role: role.Code(), DaysBack: strconv.Itoa(days)}
}

// renderUsers shows the users page with the add form as given: empty, or as typed with its errors.
func (s *Server) renderUsers(c *gin.Context, status int, in portal.UserInput, errs map[string]string) {
	inst := instanceOf(c)
	vw := viewerOf(c)
	users, err := inst.svc.Users(c.Request.Context(), vw)
	if err != nil {
		s.fail(c, err)
		return
	}
	data := web.UsersView{Form: newUserForm(langOf(c), inst.base+"/users", vw.Current.Role, inst.svc.RolesOffered(c.Request.Context()), inst.svc, in, errs)}
	for _, u := range users {
		data.Users = append(data.Users, web.UserRow{PortalUser: u, Confirm: removeConfirm(c, u)})
	}
	s.show(c, status, web.Users(s.page(c, "Users"), data))
}
