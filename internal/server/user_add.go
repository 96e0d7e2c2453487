package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// addUser handles "POST /:cc/users": gives an existing Erp.Net user, found by e-mail, access to
// the customer. A refused form is shown again with everything typed and the reason by its field.
func (s *Server) addUser(c *gin.Context) {
	in := instanceOf(c)
	input := userInputOf(c)
	u, err := in.svc.AddUser(c.Request.Context(), viewerOf(c), input)
	var fe *portal.FormError
	switch {
	case err == nil:
		s.cookies.setFlash(c.Writer, "ok", tr(c, "%s can now use the Client Center as %s.", u.Display, tr(c, u.Role.Label())))
		redirectSeeOther(c, in.base+"/users")
	case errors.As(err, &fe):
		s.renderUsers(c, http.StatusUnprocessableEntity, input, fe.Fields)
	default:
		s.fail(c, err)
	}
}
