package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/web"
)

// confirmRemoveUser handles "GET /:cc/users/:id/delete": the confirmation page, for browsers
// without JavaScript, with the question and the button that removes the access.
func (s *Server) confirmRemoveUser(c *gin.Context) {
	in := instanceOf(c)
	u, err := in.svc.GetUser(c.Request.Context(), viewerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !u.CanRemove {
		s.refuseUserChange(c, u.RemoveRefusal)
		return
	}
	data := web.UserRow{PortalUser: u, Confirm: removeConfirm(c, u)}
	s.show(c, http.StatusOK, web.UserDelete(s.page(c, tr(c, "Remove %s", u.Name)), data))
}

// removeUser handles "POST /:cc/users/:id/delete": removes the access (never the Erp.Net user).
// Sent from the list without JavaScript (the "ask" field is only there then), it goes to the
// confirmation page first instead.
func (s *Server) removeUser(c *gin.Context) {
	in := instanceOf(c)
	if c.PostForm("ask") != "" {
		redirectSeeOther(c, in.base+"/users/"+c.Param("id")+"/delete")
		return
	}
	u, err := in.svc.RemoveUser(c.Request.Context(), viewerOf(c), c.Param("id"))
	var denial *access.Denial
	switch {
	case err == nil:
		// Signed in elsewhere, the person is signed out everywhere rather than left a cookie
		// that works until the access TTL passes.
		s.endSessionsOf(u.UserID)
		s.cookies.setFlash(c.Writer, "ok", tr(c, "%s no longer has access. Their user account in the ERP system is unchanged.", u.Display))
		redirectSeeOther(c, in.base+"/users")
	case errors.As(err, &denial):
		s.refuseUserChange(c, denial.Reason)
	default:
		s.fail(c, err)
	}
}
