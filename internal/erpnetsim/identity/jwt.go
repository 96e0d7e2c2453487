package identity

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// accessClaims are the claims of an Erp.Net access token. Client-credentials tokens carry only the
// first group; user tokens (authorization code, refresh) add the user's.
type accessClaims struct {
	Issuer           string           `json:"iss"`
	Audience         []string         `json:"aud"` // always an array, as Erp.Net writes it
	ClientID         string           `json:"client_id"`
	ClientSystemUser string           `json:"client_system_user"`
	ClientDB         string           `json:"client_db"`
	Scope            []string         `json:"scope"`
	Expiry           *jwt.NumericDate `json:"exp"`
	NotBefore        *jwt.NumericDate `json:"nbf"`
	IssuedAt         *jwt.NumericDate `json:"iat"`
	ID               string           `json:"jti"`

	Subject  string `json:"sub,omitempty"` // the user's login
	UserID   string `json:"id,omitempty"`  // the user's GUID
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	UserType string `json:"user_type,omitempty"` // InternalUser | ExternalCommunityUser
	Locale   string `json:"locale,omitempty"`
}

// hasScope reports whether the token was granted scope.
func (c *accessClaims) hasScope(scope string) bool { return slices.Contains(c.Scope, scope) }

// isUser reports whether the token stands for a signed-in user rather than the application.
func (c *accessClaims) isUser() bool { return c.Subject != "" }

// idClaims are the claims of an ID token.
type idClaims struct {
	Issuer   string           `json:"iss"`
	Subject  string           `json:"sub"`
	Audience string           `json:"aud"`
	Nonce    string           `json:"nonce,omitempty"`
	Expiry   *jwt.NumericDate `json:"exp"`
	IssuedAt *jwt.NumericDate `json:"iat"`
	AuthTime *jwt.NumericDate `json:"auth_time"`
	Name     string           `json:"name,omitempty"`
	Email    string           `json:"email,omitempty"`
}

// grant is what a token is issued for: the client, the scopes and, for user tokens, the user.
type grant struct {
	scopes        []string
	refreshScopes []string // what a new refresh token carries; nil means scopes
	user          *User    // nil for client credentials
	authTime      time.Time
	nonce         string // only for the ID token of a code exchange
}

// userTypeClaim is the claim value of a user's UserType, which is held as its Domain API value.
func userTypeClaim(userType string) string {
	if userType == "" {
		return "InternalUser"
	}
	return userType
}

// mintAccessToken signs an access token for g, valid for the current token lifetime.
func (id *Server) mintAccessToken(r *http.Request, g grant) (token string, lifetime time.Duration, err error) {
	now := id.opts.Now()
	lifetime = id.opts.TokenLifetime()
	iss := id.issuer(r)
	c := accessClaims{
		Issuer: iss, Audience: audiences(iss, g.scopes), ClientID: id.opts.ClientID,
		ClientSystemUser: trustedAppSystemUser, ClientDB: id.opts.DBName, Scope: g.scopes,
		Expiry: jwt.NewNumericDate(now.Add(lifetime)), NotBefore: jwt.NewNumericDate(now),
		IssuedAt: jwt.NewNumericDate(now), ID: rand.Text(),
	}
	if u := g.user; u != nil {
		c.Subject, c.UserID, c.Name, c.Email = u.Login, u.ID, u.Name, u.Email
		c.UserType, c.Locale = userTypeClaim(u.UserType), u.Locale
	}
	token, err = jwt.Signed(id.accessSigner).Claims(c).Serialize()
	return token, lifetime, err
}

// audiences lists the resources a token is for: the Domain API only when an API scope was granted,
// and always the issuer's static resources audience, as IdentityServer emits it.
func audiences(iss string, scopes []string) []string {
	aud := []string{}
	if slices.ContainsFunc(scopes, func(s string) bool { return s == scopeRead || s == scopeUpdate || s == scopeDomainAPI }) {
		aud = append(aud, audienceDomainAPI)
	}
	return append(aud, iss+"/resources")
}

// mintIDToken signs the ID token of a user grant.
func (id *Server) mintIDToken(r *http.Request, g grant) (string, error) {
	now := id.opts.Now()
	c := idClaims{
		Issuer: id.issuer(r), Subject: g.user.Login, Audience: id.opts.ClientID, Nonce: g.nonce,
		Expiry: jwt.NewNumericDate(now.Add(id.opts.TokenLifetime())), IssuedAt: jwt.NewNumericDate(now),
		AuthTime: jwt.NewNumericDate(g.authTime), Name: g.user.Name, Email: g.user.Email,
	}
	return jwt.Signed(id.idSigner).Claims(c).Serialize()
}

// errTokenExpired is told apart so the 401 can say why, as ASP.NET's bearer handler does.
var errTokenExpired = errors.New("the token expired")

// validateAccessToken checks an access token's signature, type, issuer and validity period. The
// simulator allows no clock skew, so an injected clock moved past exp makes the token fail at once.
func (id *Server) validateAccessToken(r *http.Request, raw string) (*accessClaims, error) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, errors.New("the token is malformed")
	}
	if len(tok.Headers) != 1 || tok.Headers[0].ExtraHeaders[jose.HeaderType] != "at+jwt" {
		return nil, errors.New("the token is not an access token")
	}
	var c accessClaims
	if err := tok.Claims(&id.key.PublicKey, &c); err != nil {
		return nil, errors.New("the signature is invalid")
	}
	if c.Issuer != id.issuer(r) {
		return nil, fmt.Errorf("the issuer %q is invalid", c.Issuer)
	}
	now := id.opts.Now()
	if c.Expiry == nil || !now.Before(c.Expiry.Time()) {
		return nil, errTokenExpired
	}
	if c.NotBefore != nil && now.Before(c.NotBefore.Time()) {
		return nil, errors.New("the token is not valid yet")
	}
	return &c, nil
}

// bearerToken is the token of an "Authorization: Bearer" header, or "".
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// claimsKey keys the validated access-token claims in a request context.
type claimsKey struct{}

// tokenClaimsFrom returns the access-token claims RequireToken validated for this request.
func tokenClaimsFrom(ctx context.Context) (*accessClaims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*accessClaims)
	return c, ok
}

// RequireToken lets through only requests with a valid Domain API access token, putting its claims
// in the request context; anything else gets Erp.Net's 401.
func (id *Server) RequireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := bearerToken(r)
		if raw == "" {
			writeInvalidToken(w, "no bearer token was sent")
			return
		}
		c, err := id.validateAccessToken(r, raw)
		if err == nil && !slices.Contains(c.Audience, audienceDomainAPI) {
			err = errors.New("the audience is invalid")
		}
		if err != nil {
			writeInvalidToken(w, err.Error())
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, c)))
	})
}

// Grants reports whether the access token RequireToken validated for r grants scope. The legacy
// DomainApi scope grants read and update alike.
func (id *Server) Grants(r *http.Request, scope string) bool {
	c, ok := tokenClaimsFrom(r.Context())
	return ok && (c.hasScope(scope) || c.hasScope(scopeDomainAPI))
}

// Session names the session of a request: its bearer token, as Erp.Net ties a session to one
// access token. Requests without one share the session "".
func (id *Server) Session(r *http.Request) string { return bearerToken(r) }

// writeInvalidToken answers 401 the way a bearer-protected API does, so clients know to fetch a
// new token and retry.
func writeInvalidToken(w http.ResponseWriter, why string) {
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description=%q`, why))
	writePlainJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": why})
}

// userInfo handles "GET /id/connect/userinfo" (and POST): the signed-in user behind a user token.
func (id *Server) userInfo(w http.ResponseWriter, r *http.Request) {
	c, err := id.validateAccessToken(r, bearerToken(r))
	if err != nil {
		writeInvalidToken(w, err.Error())
		return
	}
	if !c.isUser() || !c.hasScope(scopeOpenID) {
		w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope"`)
		writePlainJSON(w, http.StatusForbidden, map[string]string{"error": "insufficient_scope"})
		return
	}
	writePlainJSON(w, http.StatusOK, map[string]string{"sub": c.Subject, "name": c.Name, "email": c.Email, "locale": c.Locale})
}
