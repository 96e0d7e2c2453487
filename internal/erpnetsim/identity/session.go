package identity

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"time"
)

// sessionCookie names the identity server's own sign-in session, kept apart from any client's.
const sessionCookie = "idsrv"

// idSession is a person signed in to the identity server (not to any client application).
type idSession struct {
	login    string
	authTime time.Time
}

// startSession remembers the person so the next authorization request skips the form.
func (id *Server) startSession(w http.ResponseWriter, r *http.Request, login string, authTime time.Time) {
	sid := rand.Text()
	id.mu.Lock()
	id.sessions[sid] = &idSession{login: login, authTime: authTime}
	id.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/id/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// currentSession is the request's identity-server session, if it names a user who may still sign in.
func (id *Server) currentSession(r *http.Request) (idSession, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return idSession{}, false
	}
	id.mu.Lock()
	sess, ok := id.sessions[c.Value]
	id.mu.Unlock()
	if !ok {
		return idSession{}, false
	}
	if u, known := id.opts.Users.UserByLogin(sess.login); !known || !u.Active {
		return idSession{}, false
	}
	return *sess, true
}

// endSession handles "GET /id/connect/endsession": it forgets the identity-server session and
// returns to the client when it named where to. id_token_hint is accepted and not required.
func (id *Server) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		id.mu.Lock()
		delete(id.sessions, c.Value)
		id.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/id/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	q := r.URL.Query()
	if target := q.Get("post_logout_redirect_uri"); target != "" {
		if _, ok := absoluteHTTPURL(target); ok {
			params := url.Values{}
			if st := q.Get("state"); st != "" {
				params.Set("state", st)
			}
			redirectToClient(w, r, target, params)
			return
		}
	}
	showMessagePage(w, http.StatusOK, "You are signed out", "You are signed out of the Erp.Net identity server.")
}
