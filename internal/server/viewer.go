package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

const (
	instanceKey = "instance"
	sessionKey  = "session"
	viewerKey   = "viewer"
)

func instanceOf(c *gin.Context) *instance {
	in, _ := c.Get(instanceKey)
	i, _ := in.(*instance)
	return i
}

func sessionOf(c *gin.Context) *session {
	v, _ := c.Get(sessionKey)
	s, _ := v.(*session)
	return s
}

func viewerOf(c *gin.Context) *portal.Viewer {
	v, _ := c.Get(viewerKey)
	vw, _ := v.(*portal.Viewer)
	return vw
}

// withInstance marks the request as one of this Client Center's, and asks Erp.Net to answer its
// calls in the person's language (printouts, Erp.Net's messages): the culture is a parameter of
// each call to Erp.Net, which the client reads from the call's context.
func (s *Server) withInstance(in *instance) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(instanceKey, in)
		c.Request = c.Request.WithContext(erpnet.WithCulture(c.Request.Context(), langOf(c)))
		c.Next()
	}
}

// requireSession sends a person without a valid session to sign in, coming back here afterwards.
// A POST without a session is refused rather than redirected, so nothing is replayed.
func (s *Server) requireSession() gin.HandlerFunc {
	return func(c *gin.Context) {
		sess, err := s.cookies.session(c.Request)
		if err == nil && s.sessionRevoked(sess) {
			err = errSessionRevoked
		}
		if err != nil {
			s.cookies.clear(c.Writer, sessionCookie)
			if c.Request.Method != http.MethodGet {
				s.fail(c, &appError{Status: http.StatusUnauthorized, Heading: "Signed out",
					Message: "Your session has ended. Sign in again and repeat what you were doing."})
				return
			}
			c.Redirect(http.StatusFound, "/auth/login?return="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		s.cookies.touch(c.Writer, sess)
		c.Set(sessionKey, sess)
		c.Next()
	}
}

// loadAccess re-reads the person's access to this Client Center's customers (cached for the
// access TTL, so removing a user or lowering a role takes effect within seconds) and picks the
// customer to act for. With needCustomer, a person with several customers and none chosen is
// asked to pick one. The request's calls to Erp.Net then take turns with other customers' (the
// fair key is the customer's; until it is known, the person's).
func (s *Server) loadAccess(needCustomer bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		in := instanceOf(c)
		sess := sessionOf(c)
		c.Request = c.Request.WithContext(erpnet.WithFairKey(c.Request.Context(), sess.UserID))
		vw, err := in.svc.Viewer(c.Request.Context(), portal.Who{UserID: sess.UserID, Login: sess.Login, Name: sess.Name,
			Lang: langOf(c), Policy: s.accessPolicy(c, in, sess.UserID)})
		if portal.IsDeactivated(err) {
			s.log.Info("deactivated user signed out", zap.String("login", sess.Login))
			s.endSessionsOf(sess.UserID)
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Set(viewerKey, vw)
		chosen := sess.Customers[in.cfg.RelativeURL]
		switch {
		case len(vw.Accesses) == 1:
			vw.Current = &vw.Accesses[0]
		default:
			for i := range vw.Accesses {
				if vw.Accesses[i].CustomerID == chosen {
					vw.Current = &vw.Accesses[i]
				}
			}
		}
		if vw.Current == nil && needCustomer {
			s.show(c, http.StatusOK, web.ChooseCustomer(s.page(c, "Choose a customer")))
			c.Abort()
			return
		}
		if vw.Current != nil {
			c.Request = c.Request.WithContext(erpnet.WithFairKey(c.Request.Context(), vw.Current.CustomerID))
		}
		c.Next()
	}
}

// accessPolicy is how stale the person's access may be for this request while Erp.Net fails:
// within the grace for pages that only read, never for a change or User Management, and never
// older than a revocation or change of the person's access seen by this process.
func (s *Server) accessPolicy(c *gin.Context, in *instance, userID string) portal.AccessPolicy {
	var p portal.AccessPolicy
	method, path := c.Request.Method, c.Request.URL.Path
	if (method == http.MethodGet || method == http.MethodHead) && path != in.base+"/users" && !strings.HasPrefix(path, in.base+"/users/") {
		p.Grace = s.cfg.Cache.AccessGrace
	}
	if at, ok := s.revocations.RevokedAt(accessRevocation(userID)); ok {
		p.NotBefore = at
	}
	return p
}

// chooseCustomer handles "POST /:cc/customer": act for another of the person's customers. Only a
// customer the person has access to can be chosen; the choice is remembered in the session.
func (s *Server) chooseCustomer(c *gin.Context) {
	in := instanceOf(c)
	vw := viewerOf(c)
	id := c.PostForm("customer")
	for _, a := range vw.Accesses {
		if a.CustomerID != id {
			continue
		}
		sess := sessionOf(c)
		if sess.Customers == nil {
			sess.Customers = map[string]string{}
		}
		sess.Customers[in.cfg.RelativeURL] = id
		if err := s.cookies.saveSession(c.Writer, sess); err != nil {
			s.fail(c, err)
			return
		}
		s.cookies.rememberCustomers(c.Writer, sess)
		s.cookies.setFlash(c.Writer, "info", tr(c, "You are now acting for %s.", a.CustomerName))
		redirectSeeOther(c, in.base+"/")
		return
	}
	s.fail(c, errNotFound)
}
