// Package identity is the simulator's identity server (OAuth2/OIDC), at {instance}/id like
// Erp.Net's own: OpenID Connect discovery, the signing keys, authorize (with a sign-in form for
// the instance's users), token, userinfo and end-session, and the bearer-token check that guards
// the Domain API.
//
// This file holds its state and discovery; authorize.go, token.go and jwt.go hold the endpoints
// and the tokens, pages.go the sign-in pages, session.go the sign-in session.
package identity

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Scope names of the instance. DomainApi is the legacy API scope old servers need and the official
// client still sends, so it is accepted wherever read and update are.
const (
	scopeOpenID        = "openid"
	scopeProfile       = "profile"
	scopeRead          = "read"
	scopeUpdate        = "update"
	scopeOfflineAccess = "offline_access"
	scopeDomainAPI     = "DomainApi"
)

// audienceDomainAPI is the API resource every Domain API token must be issued for.
const audienceDomainAPI = "DomainAPI"

// trustedAppSystemUser is the login of the system user the trusted application's
// client-credentials calls run under; the seed creates it as an internal user.
const trustedAppSystemUser = "cc-demo-system"

// codeLifetime is how long an authorization code may wait for its exchange.
const codeLifetime = 60 * time.Second

// refreshLifetime is the absolute lifetime of a refresh token (IdentityServer's default, 30 days).
const refreshLifetime = 30 * 24 * time.Hour

// User is what the identity server needs to know of a user of the instance.
type User struct {
	ID, Login, Name, Email, UserType, Locale string
	Active                                   bool
}

// Users finds the instance's users; the Domain API's store provides them.
type Users interface {
	// UserByLogin finds a user by login, case-insensitively.
	UserByLogin(login string) (User, bool)
}

// Options configure the identity server of an instance.
type Options struct {
	// ClientID and ClientSecret are the trusted application's credentials.
	ClientID, ClientSecret string
	// Password is the password of every user.
	Password string
	// DBName is the instance's database name, carried in tokens as client_db.
	DBName string
	// Now is the clock.
	Now func() time.Time
	// BaseURL is the instance URL for a request, without a trailing slash; the issuer is
	// BaseURL + "/id".
	BaseURL func(r *http.Request) string
	// TokenLifetime is the access-token lifetime now.
	TokenLifetime func() time.Duration
	// Users are the people who sign in.
	Users Users
}

// Server is the state of the instance's identity server: its RSA key, and the codes, refresh
// tokens and sign-in sessions it has handed out.
type Server struct {
	opts Options
	key  *rsa.PrivateKey
	kid  string
	// Access tokens and ID tokens differ only in their "typ" header, so each has its signer.
	accessSigner, idSigner jose.Signer

	mu       sync.Mutex
	codes    map[string]*authCode
	refresh  map[string]*refreshGrant
	sessions map[string]*idSession
}

// New generates the instance's signing key; it panics only if the system's random source or the
// signer fails, which leaves no instance to serve.
func New(opts Options) *Server {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("erpnetsim: generating the signing key: " + err.Error())
	}
	id := &Server{opts: opts, key: key,
		codes: map[string]*authCode{}, refresh: map[string]*refreshGrant{}, sessions: map[string]*idSession{}}
	thumb, err := (&jose.JSONWebKey{Key: &key.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		panic("erpnetsim: key thumbprint: " + err.Error())
	}
	id.kid = hex.EncodeToString(thumb[:16])
	signingKey := jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: id.kid}}
	if id.accessSigner, err = jose.NewSigner(signingKey, (&jose.SignerOptions{}).WithType("at+jwt")); err != nil {
		panic("erpnetsim: access-token signer: " + err.Error())
	}
	if id.idSigner, err = jose.NewSigner(signingKey, (&jose.SignerOptions{}).WithType("JWT")); err != nil {
		panic("erpnetsim: id-token signer: " + err.Error())
	}
	return id
}

// Register adds every identity endpoint under /id/.
func (id *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /id/.well-known/openid-configuration", id.showConfiguration)
	mux.HandleFunc("GET /id/.well-known/openid-configuration/jwks", id.showKeys)
	mux.HandleFunc("GET /id/connect/authorize", id.authorize)
	mux.HandleFunc("POST /id/connect/authorize", id.signIn)
	mux.HandleFunc("POST /id/connect/token", id.issueToken)
	mux.HandleFunc("GET /id/connect/userinfo", id.userInfo)
	mux.HandleFunc("POST /id/connect/userinfo", id.userInfo)
	mux.HandleFunc("GET /id/connect/endsession", id.endSession)
}

// issuer is the identity server's issuer: exactly {instance}/id.
func (id *Server) issuer(r *http.Request) string { return id.opts.BaseURL(r) + "/id" }

// showConfiguration handles "GET /id/.well-known/openid-configuration".
func (id *Server) showConfiguration(w http.ResponseWriter, r *http.Request) {
	iss := id.issuer(r)
	writePlainJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + "/.well-known/openid-configuration/jwks",
		"authorization_endpoint":                iss + "/connect/authorize",
		"token_endpoint":                        iss + "/connect/token",
		"userinfo_endpoint":                     iss + "/connect/userinfo",
		"end_session_endpoint":                  iss + "/connect/endsession",
		"scopes_supported":                      []string{scopeOpenID, scopeProfile, scopeRead, scopeUpdate, scopeOfflineAccess, scopeDomainAPI},
		"claims_supported":                      []string{"sub", "name", "email", "locale", "id", "user_type"},
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials", "refresh_token"},
		"subject_types_supported":               []string{"public"},
		"code_challenge_methods_supported":      []string{"S256"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic"},
		"frontchannel_logout_supported":         false,
	})
}

// showKeys handles "GET /id/.well-known/openid-configuration/jwks".
func (id *Server) showKeys(w http.ResponseWriter, r *http.Request) {
	writePlainJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &id.key.PublicKey, KeyID: id.kid, Algorithm: string(jose.RS256), Use: "sig",
	}}})
}

// writePlainJSON answers with a JSON document that is not OData.
func writePlainJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding the answer failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
