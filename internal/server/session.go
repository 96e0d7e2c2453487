package server

import (
	"errors"
	"maps"
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
)

// session is the signed and encrypted content of the session cookie.
type session struct {
	UserID    string            `json:"u"`
	Login     string            `json:"l"`
	Name      string            `json:"n"`
	IDToken   string            `json:"t,omitempty"` // the hint the identity server wants at sign-out
	Customers map[string]string `json:"c,omitempty"` // instance relative URL → chosen customer Id
	Issued    int64             `json:"i"`
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
	codec    *securecookie.SecureCookie
	secure   bool
	idle     time.Duration
	absolute time.Duration
	now      func() time.Time
	// decoded keeps sessions by their exact cookie value: checking the signature, decrypting and
	// decoding the same value again would give the same session. The expiry checks still run on
	// every request.
	decoded *memo[session]
}

// decodedBudget bounds the decoded sessions kept, in bytes of cookie value and content: about
// 5,000 sessions, a cookie and its session being some 3 KB with the identity token.
const decodedBudget = 16 << 20

func newCookies(hashKey, blockKey []byte, secure bool, idle, absolute time.Duration, now func() time.Time) *cookies {
	codec := securecookie.New(hashKey, blockKey)
	codec.SetSerializer(securecookie.JSONEncoder{})
	codec.MaxAge(int(absolute / time.Second))
	return &cookies{codec: codec, secure: secure, idle: idle, absolute: absolute, now: now, decoded: newMemo[session](decodedBudget)}
}

func (ck *cookies) write(w http.ResponseWriter, name string, v any, maxAge time.Duration) error {
	enc, err := ck.codec.Encode(name, v)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: enc, Path: "/", HttpOnly: true, Secure: ck.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second)})
	return nil
}

func (ck *cookies) read(r *http.Request, name string, v any) error {
	c, err := r.Cookie(name)
	if err != nil {
		return err
	}
	return ck.codec.Decode(name, c.Value, v)
}

func (ck *cookies) clear(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: ck.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

var errSessionExpired = errors.New("session expired")

// session reads the session cookie and checks its idle and absolute expiry. A tampered, foreign
// or expired cookie is no session.
func (ck *cookies) session(r *http.Request) (*session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, err
	}
	s, ok := ck.decoded.get(c.Value)
	if !ok {
		if err := ck.codec.Decode(sessionCookie, c.Value, &s); err != nil {
			return nil, err
		}
		ck.decoded.put(c.Value, s, s.size())
	}
	// Handlers change the session they get (the chosen customer, the last-seen time); the kept
	// one stays as decoded.
	s.Customers = maps.Clone(s.Customers)
	now := ck.now()
	if s.UserID == "" || now.Sub(time.Unix(s.Issued, 0)) > ck.absolute || now.Sub(time.Unix(s.Seen, 0)) > ck.idle {
		return nil, errSessionExpired
	}
	return &s, nil
}

// size is about the bytes a session holds.
func (s *session) size() int {
	n := len(s.UserID) + len(s.Login) + len(s.Name) + len(s.IDToken) + 64
	for k, v := range s.Customers {
		n += len(k) + len(v) + 16
	}
	return n
}

// saveSession writes the session, refreshing its last-seen time.
func (ck *cookies) saveSession(w http.ResponseWriter, s *session) error {
	s.Seen = ck.now().Unix()
	return ck.write(w, sessionCookie, s, ck.absolute)
}

// touch refreshes the idle timer, but writes the cookie at most once a minute.
func (ck *cookies) touch(w http.ResponseWriter, s *session) {
	if ck.now().Sub(time.Unix(s.Seen, 0)) >= time.Minute {
		_ = ck.saveSession(w, s)
	}
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
