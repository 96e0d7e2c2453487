package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// authRequest is an authorization request as the client sent it; the sign-in form carries it in
// hidden fields so the POST can be checked exactly like the GET.
type authRequest struct {
	ClientID, RedirectURI, ResponseType, Scope, State, Nonce string
	CodeChallenge, CodeChallengeMethod, Prompt               string

	scopes []string
}

// authError is a refused authorization request. Until the client and its redirect URI are known
// good the person sees the error; afterwards it goes back to the client, as OAuth 2.0 requires.
type authError struct {
	code, description string
	toClient          bool
}

// authCode is an issued authorization code, bound to everything the token request must repeat.
type authCode struct {
	clientID, redirectURI, challenge, nonce string
	scopes                                  []string
	login                                   string
	authTime, expires                       time.Time
}

// parseAuthRequest reads and checks an authorization request. State and nonce are required,
// stricter than the real server, so that a client forgetting them fails against the simulator.
func (id *Server) parseAuthRequest(v url.Values) (*authRequest, *authError) {
	req := &authRequest{
		ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"), ResponseType: v.Get("response_type"),
		Scope: v.Get("scope"), State: v.Get("state"), Nonce: v.Get("nonce"), Prompt: v.Get("prompt"),
		CodeChallenge: v.Get("code_challenge"), CodeChallengeMethod: v.Get("code_challenge_method"),
	}
	if req.ClientID != id.opts.ClientID {
		return req, &authError{code: "unauthorized_client", description: "Unknown client."}
	}
	if _, ok := absoluteHTTPURL(req.RedirectURI); !ok {
		return req, &authError{code: "invalid_request", description: "The redirect_uri must be an absolute http(s) URL."}
	}
	fail := func(code, description string) (*authRequest, *authError) {
		return req, &authError{code: code, description: description, toClient: true}
	}
	if req.ResponseType != "code" {
		return fail("unsupported_response_type", "Only response_type=code is supported.")
	}
	scopes, ok := parseScopes(req.Scope, userScopes)
	if !ok || !slices.Contains(scopes, scopeOpenID) {
		return fail("invalid_scope", "The scope must include openid and name only known scopes.")
	}
	req.scopes = scopes
	switch {
	case req.State == "" || len(req.State) > 2000:
		return fail("invalid_request", "A state (at most 2000 characters) is required.")
	case req.Nonce == "" || len(req.Nonce) > 300:
		return fail("invalid_request", "A nonce (at most 300 characters) is required.")
	case req.CodeChallenge == "" && req.CodeChallengeMethod != "":
		return fail("invalid_request", "code_challenge_method without code_challenge.")
	case req.CodeChallenge != "" && req.CodeChallengeMethod != "S256":
		return fail("invalid_request", "Only the S256 code challenge method is supported.")
	case req.CodeChallenge != "" && !isCodeChallenge(req.CodeChallenge):
		return fail("invalid_request", "The code_challenge is malformed.")
	}
	return req, nil
}

// isCodeChallenge reports whether c looks like a base64url SHA-256 (RFC 7636: 43 to 128 characters).
func isCodeChallenge(c string) bool {
	if len(c) < 43 || len(c) > 128 {
		return false
	}
	return !strings.ContainsFunc(c, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '~')
	})
}

// absoluteHTTPURL parses s as an absolute http(s) URL without a fragment.
func absoluteHTTPURL(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
		return nil, false
	}
	return u, true
}

// authorize handles "GET /id/connect/authorize": a known session skips the form, like a real IdP.
func (id *Server) authorize(w http.ResponseWriter, r *http.Request) {
	req, aerr := id.parseAuthRequest(r.URL.Query())
	if aerr != nil {
		id.refuse(w, r, req, aerr)
		return
	}
	if req.Prompt != "login" {
		if sess, ok := id.currentSession(r); ok {
			id.redirectWithCode(w, r, req, sess.login, sess.authTime)
			return
		}
	}
	if req.Prompt == "none" {
		id.refuse(w, r, req, &authError{code: "login_required", description: "The user is not signed in.", toClient: true})
		return
	}
	showSignInForm(w, http.StatusOK, signInView{Request: req})
}

// signIn handles "POST /id/connect/authorize": the sign-in form.
func (id *Server) signIn(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Bad form.", http.StatusBadRequest)
		return
	}
	req, aerr := id.parseAuthRequest(r.PostForm)
	if aerr != nil {
		id.refuse(w, r, req, aerr)
		return
	}
	if r.PostForm.Get("button") == "cancel" {
		id.refuse(w, r, req, &authError{code: "access_denied", description: "The user cancelled the sign-in.", toClient: true})
		return
	}
	login := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	u, known := id.opts.Users.UserByLogin(login)
	if !known || subtle.ConstantTimeCompare([]byte(password), []byte(id.opts.Password)) != 1 {
		showSignInForm(w, http.StatusOK, signInView{Request: req, Username: login, Error: "Wrong username or password."})
		return
	}
	if !u.Active {
		showSignInForm(w, http.StatusOK, signInView{Request: req, Username: login, Error: "This user is deactivated."})
		return
	}
	authTime := id.opts.Now()
	id.startSession(w, r, u.Login, authTime)
	id.redirectWithCode(w, r, req, u.Login, authTime)
}

// redirectWithCode sends the browser back to the client with a fresh single-use code.
func (id *Server) redirectWithCode(w http.ResponseWriter, r *http.Request, req *authRequest, login string, authTime time.Time) {
	now := id.opts.Now()
	code := rand.Text()
	id.mu.Lock()
	for k, c := range id.codes {
		if !now.Before(c.expires) {
			delete(id.codes, k)
		}
	}
	id.codes[code] = &authCode{clientID: req.ClientID, redirectURI: req.RedirectURI, challenge: req.CodeChallenge,
		nonce: req.Nonce, scopes: req.scopes, login: login, authTime: authTime, expires: now.Add(codeLifetime)}
	id.mu.Unlock()
	redirectToClient(w, r, req.RedirectURI, url.Values{"code": {code}, "state": {req.State}})
}

// takeCode removes and returns a code: a code is spent by its first exchange, good or bad.
func (id *Server) takeCode(code string) (*authCode, bool) {
	id.mu.Lock()
	defer id.mu.Unlock()
	c, ok := id.codes[code]
	delete(id.codes, code)
	if !ok || !id.opts.Now().Before(c.expires) {
		return nil, false
	}
	return c, true
}

// refuse shows an authorization error to the person, or returns it to the client when it is safe to.
func (id *Server) refuse(w http.ResponseWriter, r *http.Request, req *authRequest, aerr *authError) {
	if !aerr.toClient {
		showMessagePage(w, http.StatusBadRequest, "Sign-in request refused", aerr.code+": "+aerr.description)
		return
	}
	v := url.Values{"error": {aerr.code}, "error_description": {aerr.description}}
	if req.State != "" {
		v.Set("state", req.State)
	}
	redirectToClient(w, r, req.RedirectURI, v)
}

// redirectToClient redirects to target with params added to its query.
func redirectToClient(w http.ResponseWriter, r *http.Request, target string, params url.Values) {
	u, _ := url.Parse(target)
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}
