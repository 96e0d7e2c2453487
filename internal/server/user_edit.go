package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// showEditUser handles "GET /:cc/users/:id/edit": the role, days-back access and notes of one
// access, read fresh with its ObjectVersion. An access the rules protect (an Owner's, the
// viewer's own) is not offered for editing; the list says why.
func (s *Server) showEditUser(c *gin.Context) {
	in := instanceOf(c)
	u, err := in.svc.GetUser(c.Request.Context(), viewerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !u.CanEdit {
		s.refuseUserChange(c, u.EditRefusal)
		return
	}
	s.renderEditUser(c, http.StatusOK, u, inputOf(u), nil)
}

// updateUser handles "POST /:cc/users/:id": saves the form if the access did not change since it
// was read and the rules allow the new role.
func (s *Server) updateUser(c *gin.Context) {
	in := instanceOf(c)
	input := userInputOf(c)
	u, err := in.svc.UpdateUser(c.Request.Context(), viewerOf(c), c.Param("id"), input)
	var fe *portal.FormError
	var denial *access.Denial
	switch {
	case err == nil:
		s.accessChanged(u.UserID)
		days := tr(c, "unlimited days back")
		if u.DaysBack != nil {
			days = tr(c, "%s days back", u.DaysBackText())
		}
		s.cookies.setFlash(c.Writer, "ok", tr(c, "Saved: %s is now %s, %s.", u.Display, tr(c, u.Role.Label()), days))
		redirectSeeOther(c, in.base+"/users")
	case errors.As(err, &denial):
		s.refuseUserChange(c, denial.Reason)
	case errors.As(err, &fe):
		if _, stale := fe.Fields[""]; stale {
			// Saving again is meant to apply what was typed over the newer version.
			input.Version = strconv.Itoa(u.ObjectVersion)
		}
		s.renderEditUser(c, http.StatusUnprocessableEntity, u, input, fe.Fields)
	default:
		s.fail(c, err)
	}
}

func (s *Server) renderEditUser(c *gin.Context, status int, u portal.PortalUser, input portal.UserInput, errs map[string]string) {
	in := instanceOf(c)
	form := newUserForm(langOf(c), in.base+"/users/"+u.ID, viewerOf(c).Current.Role, in.svc.RolesOffered(c.Request.Context()), in.svc, input, errs)
	s.show(c, status, web.UserEdit(s.page(c, tr(c, "Edit %s", u.Name)), web.UserEditView{User: u, Form: form}))
}

// inputOf is the edit form filled with an access as it is now.
func inputOf(u portal.PortalUser) portal.UserInput {
	return portal.UserInput{Role: u.Role.Code(), DaysBack: u.DaysBackText(), Notes: u.Notes, Version: strconv.Itoa(u.ObjectVersion)}
}

// refuseUserChange sends the person back to the list with the rule that refused the change.
func (s *Server) refuseUserChange(c *gin.Context, reason string) {
	s.cookies.setFlash(c.Writer, "warn", tr(c, reason))
	redirectSeeOther(c, instanceOf(c).base+"/users")
}
