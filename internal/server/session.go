package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
)

// Cookie names. The session holds only who signed in, the customer chosen per Client Center and
// the times that bound it; access itself is re-read from Erp.Net (cached briefly) on every request.
const (
	sessionCookie = "cc_session"
	flowCookie    = "cc_signin"
	flashCookie   = "cc_flash"
	hintCookie    = "cc_hint"
	// lastCustomerCookie remembers, across sign-ins, the customer a person of several last
	// acted for in each Client Center, as the vendor's does; it is only a choice: access is
	// checked on every request.
	lastCustomerCookie = "cc_customer"
)

// session is the signed and encrypted content of the session cookie.
type session struct {
	ID        string            `json:"d"` // random; what sign-out revokes
	UserID    string            `json:"u"`
	Login     string            `json:"l"`
	Name      string            `json:"n"`
	Customers map[string]string `json:"c,omitempty"` // instance relative URL → chosen customer Id
	Issued    int64             `json:"i"`           // Unix milliseconds, to order it against a revocation
	Seen      int64             `json:"s"`
}

// signInFlow is what the callback must find again: state, nonce, PKCE verifier and where to return.
type signInFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Return   string `json:"r"`
	Started  int64  `json:"t"`
}

// cookies signs, encrypts and times the portal's cookies.
type cookies struct {
	codec *securecookie.SecureCookie
	// longCodec is for the one cookie that outlives sessions (lastCustomerCookie): the same keys,
	// its own age.
	longCodec *securecookie.SecureCookie
	secure    bool
	remember  bool
	idle      time.Duration
	absolute  time.Duration
	now       func() time.Time
}

// newCookies makes the portal's cookie jar. With remember false the session cookie is a browser
// session's (no Max-Age): sign-in goes through the identity server, so the portal has no sign-in
// form to offer "stay signed in" on, and the choice is the instance owner's (session.remember).
// Either way the absolute timeout bounds the session on the server.
func newCookies(hashKey, blockKey []byte, secure, remember bool, idle, absolute time.Duration, now func() time.Time) *cookies {
	codec := securecookie.New(hashKey, blockKey)
	codec.SetSerializer(securecookie.JSONEncoder{})
	codec.MaxAge(int(absolute / time.Second))
	// Its age is checked against the portal's clock (lastCustomers.At), not by the codec, which
	// reads the wall clock.
	long := securecookie.New(hashKey, blockKey)
	long.SetSerializer(securecookie.JSONEncoder{})
	long.MaxAge(0)
	return &cookies{codec: codec, longCodec: long, secure: secure, remember: remember, idle: idle, absolute: absolute, now: now}
}

// name is the cookie's name as sent: over https with the __Host- prefix, so that no subdomain
// and no plain-http page can set or shadow it.
func (ck *cookies) name(base string) string {
	if ck.secure {
		return "__Host-" + base
	}
	return base
}

func (ck *cookies) write(w http.ResponseWriter, name string, v any, maxAge time.Duration) error {
	enc, err := ck.codec.Encode(name, v)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: ck.name(name), Value: enc, Path: "/", HttpOnly: true, Secure: ck.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second)})
	return nil
}

// The ID token the identity server wants back as a hint at sign-out is kept in a cookie of its
// own, sent only to the sign-out path: it is a signed JWT, large, and needed once, while the
// session cookie is sent and decoded on every request. Its name has the __Secure- prefix over
// https (__Host- forbids a path); it is signed and encrypted like the others, so another site
// can at worst remove it, and sign-out then goes without the hint.
const signOutPath = "/auth/logout"

func (ck *cookies) hintName() string {
	if ck.secure {
		return "__Secure-" + hintCookie
	}
	return hintCookie
}

// saveHint keeps the ID token for sign-out; one too large for a cookie is not kept.
func (ck *cookies) saveHint(w http.ResponseWriter, idToken string) {
	enc, err := ck.codec.Encode(hintCookie, idToken)
	if err != nil {
		return
	}
	maxAge := time.Duration(0)
	if ck.remember {
		maxAge = ck.absolute
	}
	http.SetCookie(w, &http.Cookie{Name: ck.hintName(), Value: enc, Path: signOutPath, HttpOnly: true, Secure: ck.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second)})
}

// takeHint reads the ID token kept for sign-out, and removes it.
func (ck *cookies) takeHint(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(ck.hintName())
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: ck.hintName(), Value: "", Path: signOutPath, HttpOnly: true, Secure: ck.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	var token string
	if ck.codec.Decode(hintCookie, c.Value, &token) != nil {
		return ""
	}
	return token
}

func (ck *cookies) read(r *http.Request, name string, v any) error {
	c, err := r.Cookie(ck.name(name))
	if err != nil {
		return err
	}
	return ck.codec.Decode(name, c.Value, v)
}

func (ck *cookies) clear(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: ck.name(name), Value: "", Path: "/", HttpOnly: true, Secure: ck.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

var (
	errSessionExpired = errors.New("session expired")
	errSessionRevoked = errors.New("session revoked")
)

// session reads the session cookie and checks its idle and absolute expiry. A tampered, foreign
// or expired cookie is no session.
func (ck *cookies) session(r *http.Request) (*session, error) {
	var s session
	if err := ck.read(r, sessionCookie, &s); err != nil {
		return nil, err
	}
	now := ck.now()
	if s.UserID == "" || now.Sub(time.UnixMilli(s.Issued)) > ck.absolute || now.Sub(time.Unix(s.Seen, 0)) > ck.idle {
		return nil, errSessionExpired
	}
	return &s, nil
}

// saveSession writes the session, refreshing its last-seen time.
func (ck *cookies) saveSession(w http.ResponseWriter, s *session) error {
	s.Seen = ck.now().Unix()
	maxAge := time.Duration(0) // a browser session's cookie
	if ck.remember {
		maxAge = ck.absolute
	}
	return ck.write(w, sessionCookie, s, maxAge)
}

// touch refreshes the idle timer, but writes the cookie at most once a minute.
func (ck *cookies) touch(w http.ResponseWriter, s *session) {
	if ck.now().Sub(time.Unix(s.Seen, 0)) >= time.Minute {
		_ = ck.saveSession(w, s)
	}
}

// lastCustomers is the content of the lastCustomerCookie: whose choice it is, and per instance
// (its relative URL) the customer's Id.
type lastCustomers struct {
	UserID    string            `json:"u"`
	Customers map[string]string `json:"c"`
	At        int64             `json:"t"` // when written, Unix seconds on the portal's clock
}

// lastCustomerAge is how long the choice is remembered without a new one or a sign-in.
const lastCustomerAge = 400 * 24 * time.Hour

// rememberCustomers writes the lastCustomerCookie: the person's choices, for their next sign-in.
func (ck *cookies) rememberCustomers(w http.ResponseWriter, sess *session) {
	enc, err := ck.longCodec.Encode(lastCustomerCookie, lastCustomers{UserID: sess.UserID, Customers: sess.Customers, At: ck.now().Unix()})
	if err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: ck.name(lastCustomerCookie), Value: enc, Path: "/", HttpOnly: true, Secure: ck.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(lastCustomerAge / time.Second)})
}

// rememberedCustomers are the choices the lastCustomerCookie holds for the person userID, or nil.
func (ck *cookies) rememberedCustomers(r *http.Request, userID string) map[string]string {
	c, err := r.Cookie(ck.name(lastCustomerCookie))
	if err != nil {
		return nil
	}
	var last lastCustomers
	if ck.longCodec.Decode(lastCustomerCookie, c.Value, &last) != nil || last.UserID != userID ||
		ck.now().Sub(time.Unix(last.At, 0)) >= lastCustomerAge {
		return nil
	}
	return last.Customers
}

// flash is a one-time message shown on the next page.
type flash struct {
	Kind string `json:"k"` // ok, info, warn, bad
	Text string `json:"t"`
}

func (ck *cookies) setFlash(w http.ResponseWriter, kind, text string) {
	_ = ck.write(w, flashCookie, flash{kind, text}, 5*time.Minute)
}

func (ck *cookies) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	var f flash
	if ck.read(r, flashCookie, &f) != nil {
		return nil
	}
	ck.clear(w, flashCookie)
	return &f
}
