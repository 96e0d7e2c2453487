package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Scopes each flow may grant. Identity scopes make no sense without a person, so client
// credentials asking for them get invalid_scope, as IdentityServer answers.
var (
	userScopes       = []string{scopeOpenID, scopeProfile, scopeRead, scopeUpdate, scopeOfflineAccess, scopeDomainAPI}
	appScopes        = []string{scopeRead, scopeUpdate, scopeDomainAPI}
	defaultAppScopes = []string{scopeRead, scopeUpdate}
)

// refreshGrant is an issued refresh token; each use replaces it with a new one.
type refreshGrant struct {
	clientID, login   string
	scopes            []string
	authTime, expires time.Time
}

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// parseScopes splits a space-separated scope list without duplicates; ok is false when it names
// a scope outside allowed.
func parseScopes(s string, allowed []string) (scopes []string, ok bool) {
	for sc := range strings.FieldsSeq(s) {
		if !slices.Contains(allowed, sc) {
			return nil, false
		}
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	return scopes, true
}

// issueToken handles "POST /id/connect/token".
func (id *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		writeTokenError(w, "invalid_request", "The body must be application/x-www-form-urlencoded.")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeTokenError(w, "invalid_request", "The form cannot be read.")
		return
	}
	if !id.authenticClient(r) {
		writeTokenError(w, "invalid_client", "Unknown client or wrong secret.")
		return
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "authorization_code":
		id.exchangeCode(w, r)
	case "client_credentials":
		id.grantClientCredentials(w, r)
	case "refresh_token":
		id.exchangeRefreshToken(w, r)
	case "":
		writeTokenError(w, "invalid_request", "grant_type is missing.")
	default:
		writeTokenError(w, "unsupported_grant_type", "Grant type "+gt+" is not supported.")
	}
}

// authenticClient checks the client's credentials from an HTTP Basic header or, without one, the
// form body. Basic credentials are form-encoded first (RFC 6749 2.3.1), so they are decoded.
func (id *Server) authenticClient(r *http.Request) bool {
	clientID, secret, basic := r.BasicAuth()
	if basic {
		if v, err := url.QueryUnescape(clientID); err == nil {
			clientID = v
		}
		if v, err := url.QueryUnescape(secret); err == nil {
			secret = v
		}
	} else {
		clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	idOK := subtle.ConstantTimeCompare([]byte(clientID), []byte(id.opts.ClientID)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(id.opts.ClientSecret)) == 1
	return idOK && secretOK
}

// grantClientCredentials issues an application token: no scope asked means read and update.
func (id *Server) grantClientCredentials(w http.ResponseWriter, r *http.Request) {
	scopes, ok := parseScopes(r.PostForm.Get("scope"), appScopes)
	if !ok {
		writeTokenError(w, "invalid_scope", "The client may ask only for read, update or DomainApi.")
		return
	}
	if len(scopes) == 0 {
		scopes = defaultAppScopes
	}
	id.respondWithTokens(w, r, grant{scopes: scopes})
}

// exchangeCode redeems an authorization code; the code is spent even when the exchange fails.
func (id *Server) exchangeCode(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	if f.Get("code") == "" {
		writeTokenError(w, "invalid_request", "code is missing.")
		return
	}
	c, ok := id.takeCode(f.Get("code"))
	switch {
	case !ok:
		writeTokenError(w, "invalid_grant", "The code is unknown, used or expired.")
		return
	case c.clientID != id.opts.ClientID || c.redirectURI != f.Get("redirect_uri"):
		writeTokenError(w, "invalid_grant", "The code was issued for another client or redirect_uri.")
		return
	case c.challenge != "" && !pkceMatches(c.challenge, f.Get("code_verifier")):
		writeTokenError(w, "invalid_grant", "The code_verifier does not match the code_challenge.")
		return
	}
	u, known := id.opts.Users.UserByLogin(c.login)
	if !known || !u.Active {
		writeTokenError(w, "invalid_grant", "The user may no longer sign in.")
		return
	}
	id.respondWithTokens(w, r, grant{scopes: c.scopes, user: &u, authTime: c.authTime, nonce: c.nonce})
}

// pkceMatches checks an S256 code verifier against its challenge.
func pkceMatches(challenge, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// exchangeRefreshToken rotates a refresh token: the old one is spent, a new one comes back.
// A scope parameter may narrow the access token's scopes, never widen them; asking too much
// leaves the refresh token unspent.
func (id *Server) exchangeRefreshToken(w http.ResponseWriter, r *http.Request) {
	token := r.PostForm.Get("refresh_token")
	if token == "" {
		writeTokenError(w, "invalid_request", "refresh_token is missing.")
		return
	}
	id.mu.Lock()
	rg, ok := id.refresh[token]
	valid := ok && id.opts.Now().Before(rg.expires) && rg.clientID == id.opts.ClientID
	scopes, scopeOK := []string(nil), false
	if valid {
		scopes, scopeOK = rg.scopes, true
		if asked := r.PostForm.Get("scope"); asked != "" {
			scopes, scopeOK = parseScopes(asked, rg.scopes)
		}
	}
	if !valid || scopeOK {
		delete(id.refresh, token)
	}
	id.mu.Unlock()
	if !valid {
		writeTokenError(w, "invalid_grant", "The refresh token is unknown, used or expired.")
		return
	}
	if !scopeOK {
		writeTokenError(w, "invalid_scope", "The scope exceeds the one originally granted.")
		return
	}
	u, known := id.opts.Users.UserByLogin(rg.login)
	if !known || !u.Active {
		writeTokenError(w, "invalid_grant", "The user may no longer sign in.")
		return
	}
	// The rotated token keeps the full original grant, whatever this request narrowed.
	id.respondWithTokens(w, r, grant{scopes: scopes, refreshScopes: rg.scopes, user: &u, authTime: rg.authTime})
}

// respondWithTokens answers with an access token and, for user grants, an ID token (when openid
// was granted) and a refresh token (when offline_access was).
func (id *Server) respondWithTokens(w http.ResponseWriter, r *http.Request, g grant) {
	if g.refreshScopes == nil {
		g.refreshScopes = g.scopes
	}
	at, lifetime, err := id.mintAccessToken(r, g)
	if err != nil {
		writeTokenError(w, "server_error", "Signing the token failed.")
		return
	}
	resp := tokenResponse{AccessToken: at, ExpiresIn: int64(lifetime / time.Second), TokenType: "Bearer", Scope: strings.Join(g.scopes, " ")}
	if g.user != nil && slices.Contains(g.scopes, scopeOpenID) {
		if resp.IDToken, err = id.mintIDToken(r, g); err != nil {
			writeTokenError(w, "server_error", "Signing the ID token failed.")
			return
		}
	}
	if g.user != nil && slices.Contains(g.refreshScopes, scopeOfflineAccess) {
		resp.RefreshToken = id.newRefreshToken(g)
	}
	writePlainJSON(w, http.StatusOK, resp)
}

// newRefreshToken records a refresh token for a user grant.
func (id *Server) newRefreshToken(g grant) string {
	token := rand.Text() + rand.Text()
	now := id.opts.Now()
	id.mu.Lock()
	defer id.mu.Unlock()
	for k, rg := range id.refresh {
		if !now.Before(rg.expires) {
			delete(id.refresh, k)
		}
	}
	id.refresh[token] = &refreshGrant{clientID: id.opts.ClientID, login: g.user.Login, scopes: g.refreshScopes,
		authTime: g.authTime, expires: now.Add(refreshLifetime)}
	return token
}

// writeTokenError answers the token endpoint's error shape: HTTP 400 with an OAuth error code.
func writeTokenError(w http.ResponseWriter, code, description string) {
	status := http.StatusBadRequest
	if code == "server_error" {
		status = http.StatusInternalServerError
	}
	writePlainJSON(w, status, map[string]string{"error": code, "error_description": description})
}
