package erpnetsim_test

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestCodeExchange(t *testing.T) {
	tests := []struct {
		name      string
		authEdit  func(url.Values) // changes the authorization request
		form      func(url.Values) // changes the token request
		advance   time.Duration    // clock moved between sign-in and exchange
		wantError string           // "" for success
	}{
		{"PKCE", nil, nil, 0, ""},
		{"without PKCE", func(v url.Values) { v.Del("code_challenge"); v.Del("code_challenge_method") },
			func(v url.Values) { v.Del("code_verifier") }, 0, ""},
		{"wrong verifier", nil, func(v url.Values) { v.Set("code_verifier", strings.Repeat("x", 43)) }, 0, "invalid_grant"},
		{"missing verifier", nil, func(v url.Values) { v.Del("code_verifier") }, 0, "invalid_grant"},
		{"other redirect_uri", nil, func(v url.Values) { v.Set("redirect_uri", "http://portal.example/other") }, 0, "invalid_grant"},
		{"unknown code", nil, func(v url.Values) { v.Set("code", "forged") }, 0, "invalid_grant"},
		{"code 59s old", nil, nil, 59 * time.Second, ""},
		{"code 60s old", nil, nil, 60 * time.Second, "invalid_grant"},
	}
	clock := newFakeClock()
	srv, _ := startSim(t, erpnetsim.Options{Now: clock.Now})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := signInCode(t, newBrowser(t), srv.URL, authorizeURL(srv.URL, tt.authEdit), "prices@orbis.example")
			clock.Advance(tt.advance)
			form := url.Values{"grant_type": {"authorization_code"}, "code": {code},
				"redirect_uri": {testRedirectURI}, "code_verifier": {testVerifier}}
			if tt.form != nil {
				tt.form(form)
			}
			status, body := postToken(t, srv.URL, form, false)
			if tt.wantError != "" {
				if status != http.StatusBadRequest || body["error"] != tt.wantError {
					t.Errorf("got %d %v, want 400 %s", status, body, tt.wantError)
				}
				return
			}
			if status != http.StatusOK || body["id_token"] == nil || body["scope"] != "openid profile" {
				t.Errorf("got %d %v, want 200 with an ID token and scope \"openid profile\"", status, body)
			}
		})
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	code := signInCode(t, newBrowser(t), srv.URL, authorizeURL(srv.URL, nil), "owner@orbis.example")
	if status, body := exchangeCode(t, srv.URL, code); status != http.StatusOK {
		t.Fatalf("first exchange: got %d %v, want 200", status, body)
	}
	if status, body := exchangeCode(t, srv.URL, code); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("second exchange: got %d %v, want 400 invalid_grant", status, body)
	}
}

func TestClientCredentialsAuthStyles(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	tests := []struct {
		name      string
		style     oauth2.AuthStyle
		secret    string
		wantError string
	}{
		{"form body", oauth2.AuthStyleInParams, erpnetsim.DemoClientSecret, ""},
		{"basic header", oauth2.AuthStyleInHeader, erpnetsim.DemoClientSecret, ""},
		{"form body, wrong secret", oauth2.AuthStyleInParams, "guess", "invalid_client"},
		{"basic header, wrong secret", oauth2.AuthStyleInHeader, "guess", "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := clientcredentials.Config{ClientID: erpnetsim.DemoClientID, ClientSecret: tt.secret,
				TokenURL: srv.URL + "/id/connect/token", AuthStyle: tt.style}
			tok, err := cfg.Token(t.Context())
			if tt.wantError != "" {
				var re *oauth2.RetrieveError
				if !errors.As(err, &re) || re.ErrorCode != tt.wantError || re.Response.StatusCode != http.StatusBadRequest {
					t.Errorf("got %v, want 400 %s", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.TokenType != "Bearer" || tok.RefreshToken != "" || tok.Extra("scope") != "read update" {
				t.Errorf("got %+v scope %v, want a Bearer token, no refresh token, scope \"read update\"", tok, tok.Extra("scope"))
			}
		})
	}
}

func TestClientCredentialsScopesAndClaims(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	tests := []struct {
		name      string
		form      url.Values
		wantScope string
		wantError string
	}{
		{"no scope means the app's scopes", url.Values{}, "read update", ""},
		{"read only", url.Values{"scope": {"read"}}, "read", ""},
		{"legacy scope", url.Values{"scope": {"DomainApi"}}, "DomainApi", ""},
		{"identity scope", url.Values{"scope": {"openid read"}}, "", "invalid_scope"},
		{"unknown scope", url.Values{"scope": {"read delete"}}, "", "invalid_scope"},
		{"unknown client", url.Values{"client_id": {"other"}, "client_secret": {erpnetsim.DemoClientSecret}}, "", "invalid_client"},
		{"password grant", url.Values{"grant_type": {"password"}}, "", "unsupported_grant_type"},
		{"no grant type", url.Values{"grant_type": {""}}, "", "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"grant_type": {"client_credentials"}}
			for k, v := range tt.form {
				form[k] = v
			}
			status, body := postToken(t, srv.URL, form, false)
			if tt.wantError != "" {
				if status != http.StatusBadRequest || body["error"] != tt.wantError {
					t.Errorf("got %d %v, want 400 %s", status, body, tt.wantError)
				}
				return
			}
			if status != http.StatusOK || body["scope"] != tt.wantScope || body["expires_in"] != 3600.0 || body["token_type"] != "Bearer" {
				t.Fatalf("got %d %v, want 200, scope %q, expires_in 3600", status, body, tt.wantScope)
			}
			claims, typ := verifiedClaims(t, srv.URL, body["access_token"].(string))
			if typ != "at+jwt" {
				t.Errorf("got typ %q, want at+jwt", typ)
			}
			aud, _ := claims["aud"].([]any)
			scope, _ := claims["scope"].([]any)
			gotScope := []string{}
			for _, s := range scope {
				gotScope = append(gotScope, s.(string))
			}
			if !slices.Contains(aud, any("DomainAPI")) || claims["iss"] != srv.URL+"/id" ||
				claims["client_id"] != erpnetsim.DemoClientID || claims["client_db"] != "demo" ||
				claims["client_system_user"] == nil || claims["jti"] == nil || claims["nbf"] == nil || claims["sub"] != nil ||
				strings.Join(gotScope, " ") != tt.wantScope {
				t.Errorf("got claims %v, want an application token for DomainAPI with scope %q", claims, tt.wantScope)
			}
		})
	}
}

func TestRefreshTokenOnlyWithOfflineAccess(t *testing.T) {
	srv, _ := startSim(t, erpnetsim.Options{})
	offline := func(v url.Values) { v.Set("scope", "openid profile read offline_access") }
	_, first := exchangeCode(t, srv.URL, signInCode(t, newBrowser(t), srv.URL, authorizeURL(srv.URL, offline), "admin@orbis.example"))
	old, _ := first["refresh_token"].(string)
	if old == "" {
		t.Fatalf("got %v, want a refresh token with offline_access", first)
	}
	refresh := func(token, scope string) (int, map[string]any) {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}}
		if scope != "" {
			form.Set("scope", scope)
		}
		return postToken(t, srv.URL, form, true)
	}
	status, second := refresh(old, "")
	next, _ := second["refresh_token"].(string)
	if status != http.StatusOK || second["access_token"] == nil || next == "" || next == old {
		t.Fatalf("refresh: got %d %v, want new tokens and a rotated refresh token", status, second)
	}
	if status, body := refresh(old, ""); status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("reusing a rotated refresh token: got %d %v, want invalid_grant", status, body)
	}
	if status, body := refresh(next, "update"); status != http.StatusBadRequest || body["error"] != "invalid_scope" {
		t.Errorf("widening the scope: got %d %v, want invalid_scope", status, body)
	}
	if status, body := refresh(next, "read"); status != http.StatusOK || body["scope"] != "read" || body["refresh_token"] == nil {
		t.Errorf("narrowing the scope: got %d %v, want scope read and a new refresh token", status, body)
	}

	_, online := exchangeCode(t, srv.URL, signInCode(t, newBrowser(t), srv.URL, authorizeURL(srv.URL, nil), "admin@orbis.example"))
	if online["refresh_token"] != nil {
		t.Errorf("got a refresh token without offline_access: %v", online)
	}
}
