package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
	"golang.org/x/oauth2"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/web"
)

// oidcClient signs people in through the Erp.Net instance's identity server. Sign-in only
// identifies the person (scope openid profile); Domain API calls use the application's own token.
type oidcClient struct {
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	endSession string
}

// signInFlowTTL bounds how long a person may take on the identity server's form.
const signInFlowTTL = 10 * time.Minute

// oidcFor finds the identity server by auto-discovery on first use, so the portal starts even
// while Erp.Net is down; a failure is not remembered and the next sign-in tries again.
func (s *Server) oidcFor(ctx context.Context) (*oidcClient, error) {
	s.oidcOnce.Lock()
	defer s.oidcOnce.Unlock()
	if s.oidc != nil {
		return s.oidc, nil
	}
	if err := s.erp.Discover(ctx); err != nil {
		return nil, err
	}
	provider, err := oidc.NewProvider(ctx, s.erp.Authority())
	if err != nil {
		return nil, fmt.Errorf("server: identity server: %w", err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = provider.Claims(&extra)
	s.oidc = &oidcClient{
		verifier: provider.Verifier(&oidc.Config{ClientID: s.cfg.ErpNet.ClientID, Now: s.now}),
		oauth: oauth2.Config{ClientID: s.cfg.ErpNet.ClientID, ClientSecret: s.cfg.ErpNet.ClientSecret.Value(),
			Endpoint: provider.Endpoint(), RedirectURL: s.publicURL + "/auth/callback", Scopes: []string{oidc.ScopeOpenID, "profile"}},
		endSession: extra.EndSession,
	}
	return s.oidc, nil
}

// formActionOrigin is the identity server's origin, which the sign-out form redirects to.
func (s *Server) formActionOrigin() string {
	if u, err := url.Parse(s.cfg.ErpNet.InstanceURL); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return ""
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// safeReturn keeps a post-sign-in target on this site: a path, never another host.
func safeReturn(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(target, "/") ||
		strings.HasPrefix(target, "//") || strings.Contains(target, "\\") {
		return "/"
	}
	return u.RequestURI()
}

// startSignIn handles "GET /auth/login": off to the identity server with state, nonce and PKCE.
// While Erp.Net is known to be down (its last health check failed, or its identity server does
// not answer discovery), the person stays on the portal's own page, in the tenant's brand when
// the sign-in was for one of its Client Centers, rather than being sent to an identity server
// that will not answer.
func (s *Server) startSignIn(c *gin.Context) {
	ret := safeReturn(c.Query("return"))
	for _, in := range s.instances {
		if ret == in.base || strings.HasPrefix(ret, in.base+"/") {
			c.Set(instanceKey, in)
		}
	}
	if s.health.current(c.Request.Context()).Status == "down" {
		s.log.Warn("sign-in held back: Erp.Net is down")
		s.renderError(c, errSignInUnavailable)
		return
	}
	oc, err := s.oidcFor(c.Request.Context())
	if err != nil {
		s.log.Warn("sign-in held back: the identity server does not answer", zap.Error(err))
		s.renderError(c, errSignInUnavailable)
		return
	}
	flow := signInFlow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Return: ret, Started: s.now().Unix()}
	if err := s.cookies.write(c.Writer, flowCookie, flow, signInFlowTTL); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusFound, oc.oauth.AuthCodeURL(flow.State, oidc.Nonce(flow.Nonce), oauth2.S256ChallengeOption(flow.Verifier)))
}

var errSignInUnavailable = &appError{Status: http.StatusServiceUnavailable, Heading: "Sign-in is not available right now",
	Message: "Our ERP system, which checks who you are, is not reachable. Please try again in a few minutes.", Retry: true}

var errSignInFailed = &appError{Status: http.StatusBadRequest, Heading: "Sign-in did not complete",
	Message: "The sign-in could not be completed. It may have taken too long, or been started in another window. Please sign in again.", Retry: false}

// finishSignIn handles "GET /auth/callback": checks state, exchanges the code with the PKCE
// verifier, verifies the ID token and its nonce, finds the person in Erp.Net and starts a session.
func (s *Server) finishSignIn(c *gin.Context) {
	var flow signInFlow
	err := s.cookies.read(c.Request, flowCookie, &flow)
	s.cookies.clear(c.Writer, flowCookie)
	if err != nil || s.now().Sub(time.Unix(flow.Started, 0)) > signInFlowTTL ||
		subtle.ConstantTimeCompare([]byte(flow.State), []byte(c.Query("state"))) != 1 {
		s.fail(c, errSignInFailed)
		return
	}
	if e := c.Query("error"); e != "" {
		s.log.Info("sign-in refused by the identity server", zap.String("error", e))
		s.fail(c, errSignInFailed)
		return
	}
	ctx := erpnet.WithCulture(c.Request.Context(), langOf(c))
	oc, err := s.oidcFor(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	tok, err := oc.oauth.Exchange(ctx, c.Query("code"), oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		s.log.Warn("code exchange failed", zap.Error(err))
		s.fail(c, errSignInFailed)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := oc.verifier.Verify(ctx, raw)
	if err != nil || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(flow.Nonce)) != 1 {
		s.log.Warn("id token refused", zap.Error(err))
		s.fail(c, errSignInFailed)
		return
	}
	var claims struct {
		Sub  string `json:"sub"`
		Name string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil || claims.Sub == "" {
		s.fail(c, errSignInFailed)
		return
	}
	user, err := s.users.FindUser(ctx, claims.Sub)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := user.Name
	if name == "" {
		name = claims.Name
	}
	sess := &session{ID: randomToken(), UserID: user.ID, Login: user.Login, Name: name, Issued: s.now().UnixMilli()}
	// The customers last chosen in this browser, if it was this person who chose them; written
	// again, so the choice lasts lastCustomerAge from the last sign-in.
	if last := s.cookies.rememberedCustomers(c.Request, user.ID); last != nil {
		sess.Customers = last
		s.cookies.rememberCustomers(c.Writer, sess)
	}
	if err := s.cookies.saveSession(c.Writer, sess); err != nil {
		s.fail(c, err)
		return
	}
	s.cookies.saveHint(c.Writer, raw)
	s.log.Info("signed in", zap.String("login", user.Login))
	s.metrics.signIns.Inc()
	target := flow.Return
	if target == "/" && len(s.instances) == 1 {
		target = s.instances[0].base + "/"
	}
	c.Redirect(http.StatusFound, target)
}

// signOut handles "POST /auth/logout": ends the portal session, for good (a copy of the cookie
// no longer works), and the identity server's.
func (s *Server) signOut(c *gin.Context) {
	sess, _ := s.cookies.session(c.Request)
	s.cookies.clear(c.Writer, sessionCookie)
	if sess != nil && sess.ID != "" {
		s.revocations.Revoke(sess.ID, time.UnixMilli(sess.Issued).Add(s.cfg.Session.AbsoluteTimeout))
	}
	s.metrics.signOuts.Inc()
	done := s.publicURL + "/auth/signed-out"
	oc, err := s.oidcFor(c.Request.Context())
	if err != nil || oc.endSession == "" {
		redirectSeeOther(c, "/auth/signed-out")
		return
	}
	q := url.Values{"post_logout_redirect_uri": {done}}
	if hint := s.cookies.takeHint(c.Writer, c.Request); sess != nil && hint != "" {
		q.Set("id_token_hint", hint)
	}
	redirectSeeOther(c, oc.endSession+"?"+q.Encode())
}

// showSignedOut handles "GET /auth/signed-out".
func (s *Server) showSignedOut(c *gin.Context) {
	target := "/auth/login"
	if len(s.instances) == 1 {
		target += "?return=" + url.QueryEscape(s.instances[0].base+"/")
	}
	s.show(c, http.StatusOK, web.SignedOut(s.page(c, "Signed out"), target))
}
