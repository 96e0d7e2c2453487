package erpnetsim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestAutoDiscoveryListsIdentityAndDomainAPI(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	for _, path := range []string{"/sys/auto-discovery", "/tools/auto-discovery"} {
		t.Run(path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct {
				Host, DbName string
				WebSites     []struct {
					Type, Status, Url    string
					System               bool
					AdditionalProperties map[string]string
				}
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if got.DbName != "demo" || got.Host != strings.TrimPrefix(srv.URL, "http://") {
				t.Errorf("got Host %q DbName %q, want %q demo", got.Host, got.DbName, strings.TrimPrefix(srv.URL, "http://"))
			}
			sites := map[string]int{}
			for i, s := range got.WebSites {
				sites[s.Type] = i
			}
			for _, typ := range []string{"ID", "DomainAPI", "ClientCenter", "WebClient", "TableAPI"} {
				if _, ok := sites[typ]; !ok {
					t.Errorf("no %s site in %+v", typ, got.WebSites)
				}
			}
			idSite, api := got.WebSites[sites["ID"]], got.WebSites[sites["DomainAPI"]]
			if idSite.Url != srv.URL+"/id" || idSite.Status != "Working" || !idSite.System {
				t.Errorf("got ID site %+v, want Url %s/id, Working, System", idSite, srv.URL)
			}
			if api.Url != srv.URL+"/api" || api.Status != "Working" || api.System ||
				api.AdditionalProperties["ODataServiceRoot"] != srv.URL+"/api/domain/odata/" {
				t.Errorf("got DomainAPI site %+v, want Url %s/api with ODataServiceRoot", api, srv.URL)
			}
		})
	}
}

func TestOpenIDConnectCodeFlowWithStandardClients(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	ctx := t.Context()
	provider, err := oidc.NewProvider(ctx, srv.URL+"/id")
	if err != nil {
		t.Fatalf("discovery refused by go-oidc: %v", err)
	}
	cfg := oauth2.Config{ClientID: erpnetsim.DemoClientID, ClientSecret: erpnetsim.DemoClientSecret,
		Endpoint: provider.Endpoint(), RedirectURL: testRedirectURI, Scopes: []string{oidc.ScopeOpenID, "profile", "read"}}
	verifier := oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL("state-42", oidc.Nonce("nonce-42"), oauth2.S256ChallengeOption(verifier))

	b := newBrowser(t)
	doc := getPage(t, b, authURL, http.StatusOK)
	if got, want := doc.Find("title").Text(), "Erp.Net — Sign in"; got != want {
		t.Errorf("got title %q, want %q", got, want)
	}
	q := redirectParams(t, submitSignIn(t, b, srv.URL, doc, "billing@orbis.example", erpnetsim.DemoPassword))
	if got := q.Get("state"); got != "state-42" {
		t.Errorf("got state %q, want state-42", got)
	}
	tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if tok.RefreshToken != "" {
		t.Errorf("got a refresh token without offline_access")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: erpnetsim.DemoClientID}).Verify(ctx, raw)
	if err != nil {
		t.Fatalf("ID token refused by go-oidc: %v", err)
	}
	var claims struct{ Name, Email string }
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if idt.Nonce != "nonce-42" || idt.Subject != "billing@orbis.example" || claims.Email != "billing@orbis.example" || claims.Name == "" {
		t.Errorf("got nonce %q sub %q claims %+v, want nonce-42 and the billing user", idt.Nonce, idt.Subject, claims)
	}

	at, typ := verifiedClaims(t, srv.URL, tok.AccessToken)
	if typ != "at+jwt" || at["sub"] != "billing@orbis.example" || at["user_type"] != "ExternalCommunityUser" || at["id"] == "" {
		t.Errorf("got access token typ %q claims %v, want at+jwt with the user's claims", typ, at)
	}
	if resp := apiGet(t, srv.URL, "GetVersion", tok.AccessToken); resp.StatusCode != http.StatusOK {
		t.Errorf("Domain API with the user's token: got %d, want 200", resp.StatusCode)
	}
	info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil || info.Subject != "billing@orbis.example" || info.Email != "billing@orbis.example" {
		t.Errorf("userinfo: got %+v, %v, want the billing user", info, err)
	}
}

func TestUserInfoRefusesApplicationTokens(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/id/connect/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+appToken(t, srv.URL))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("got %d, want 403", resp.StatusCode)
	}
}

func TestSignInFormRefusesWrongCredentials(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	tests := []struct{ name, user, password string }{
		{"wrong password", "basic@orbis.example", "nope"},
		{"unknown user", "nobody@orbis.example", erpnetsim.DemoPassword},
		{"empty password", "basic@orbis.example", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t)
			doc := getPage(t, b, authorizeURL(srv.URL, nil), http.StatusOK)
			resp := submitSignIn(t, b, srv.URL, doc, tt.user, tt.password)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got status %d, want the form again (200)", resp.StatusCode)
			}
			doc = pageOf(t, resp)
			if got := doc.Find(".error").Text(); got != "Wrong username or password." {
				t.Errorf("got error %q, want %q", got, "Wrong username or password.")
			}
			if got := doc.Find("#username").AttrOr("value", ""); got != tt.user {
				t.Errorf("got username %q kept, want %q", got, tt.user)
			}
			// The form still carries the request, so a second try can succeed.
			q := redirectParams(t, submitSignIn(t, b, srv.URL, doc, "basic@orbis.example", erpnetsim.DemoPassword))
			if q.Get("code") == "" || q.Get("state") != "st-1" {
				t.Errorf("second try: got %v, want a code and state st-1", q)
			}
		})
	}
}

func TestSignInRefusesDeactivatedUser(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	deactivate(t, srv.URL, "spare@orbis.example")
	b := newBrowser(t)
	doc := getPage(t, b, authorizeURL(srv.URL, nil), http.StatusOK)
	resp := submitSignIn(t, b, srv.URL, doc, "spare@orbis.example", erpnetsim.DemoPassword)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d, want the form again (200)", resp.StatusCode)
	}
	if got := pageOf(t, resp).Find(".error").Text(); got != "This user is deactivated." {
		t.Errorf("got error %q, want the deactivated message", got)
	}
}

func TestIdentitySessionSkipsFormUntilSignedOut(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	b := newBrowser(t)
	signInCode(t, b, srv.URL, authorizeURL(srv.URL, nil), "orders@orbis.example")

	resp, err := b.Get(authorizeURL(srv.URL, func(v url.Values) { v.Set("state", "again") }))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	q := redirectParams(t, resp)
	if q.Get("code") == "" || q.Get("state") != "again" {
		t.Fatalf("second authorize: got %v, want a code without the form", q)
	}
	status, body := exchangeCode(t, srv.URL, q.Get("code"))
	if status != http.StatusOK {
		t.Fatalf("exchange of the session's code: got %d %v", status, body)
	}
	if claims, _ := verifiedClaims(t, srv.URL, body["access_token"].(string)); claims["sub"] != "orders@orbis.example" {
		t.Errorf("session code: got sub %v, want orders@orbis.example", claims["sub"])
	}
	getPage(t, b, authorizeURL(srv.URL, func(v url.Values) { v.Set("prompt", "login") }), http.StatusOK)

	out, err := b.Get(srv.URL + "/id/connect/endsession?" + url.Values{
		"post_logout_redirect_uri": {"http://portal.example/signed-out"}, "state": {"bye"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	out.Body.Close()
	if got, want := out.Header.Get("Location"), "http://portal.example/signed-out?state=bye"; out.StatusCode != http.StatusFound || got != want {
		t.Errorf("endsession: got %d to %q, want 302 to %q", out.StatusCode, got, want)
	}
	doc := getPage(t, b, authorizeURL(srv.URL, nil), http.StatusOK)
	if doc.Find("input[name=password]").Length() != 1 {
		t.Errorf("after sign-out: got no sign-in form")
	}
	if got := getPage(t, b, srv.URL+"/id/connect/endsession", http.StatusOK).Find("h1").Text(); got != "You are signed out" {
		t.Errorf("endsession without a return: got %q, want %q", got, "You are signed out")
	}
}

func TestAuthorizeRefusesBadRequests(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	tests := []struct {
		name      string
		edit      func(url.Values)
		wantError string // "" when the person sees a 400 page instead of a redirect
	}{
		{"unknown client", func(v url.Values) { v.Set("client_id", "other") }, ""},
		{"relative redirect_uri", func(v url.Values) { v.Set("redirect_uri", "/callback") }, ""},
		{"implicit flow", func(v url.Values) { v.Set("response_type", "token") }, "unsupported_response_type"},
		{"no openid", func(v url.Values) { v.Set("scope", "profile read") }, "invalid_scope"},
		{"unknown scope", func(v url.Values) { v.Set("scope", "openid admin") }, "invalid_scope"},
		{"no nonce", func(v url.Values) { v.Del("nonce") }, "invalid_request"},
		{"plain PKCE", func(v url.Values) { v.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"prompt none without session", func(v url.Values) { v.Set("prompt", "none") }, "login_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t)
			u := authorizeURL(srv.URL, tt.edit)
			if tt.wantError == "" {
				getPage(t, b, u, http.StatusBadRequest)
				return
			}
			resp, err := b.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			q := redirectParams(t, resp)
			if q.Get("error") != tt.wantError || q.Get("state") != "st-1" || q.Get("code") != "" {
				t.Errorf("got %v, want error %s with state st-1 and no code", q, tt.wantError)
			}
		})
	}
}
