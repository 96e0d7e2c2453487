package erpnetsim_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/clock"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// testRedirectURI is the client's callback in these tests; nothing listens there.
const testRedirectURI = "http://portal.example/signin/callback"

// testVerifier is a PKCE code verifier (43 characters) and testChallenge its S256 challenge.
const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

var testChallenge = func() string {
	sum := sha256.Sum256([]byte(testVerifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}()

// startSim serves a simulated instance for the test's duration.
func startSim(t *testing.T, opts erpnetsim.Options) (*httptest.Server, *erpnetsim.Sim) {
	t.Helper()
	sim := erpnetsim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return srv, sim
}

// newBrowser is a client that keeps cookies and shows redirects instead of following them.
func newBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// authorizeURL is a valid authorization request (scope "openid profile", PKCE) that edit may change.
func authorizeURL(base string, edit func(url.Values)) string {
	v := url.Values{"client_id": {erpnetsim.DemoClientID}, "redirect_uri": {testRedirectURI}, "response_type": {"code"},
		"scope": {"openid profile"}, "state": {"st-1"}, "nonce": {"n-1"},
		"code_challenge": {testChallenge}, "code_challenge_method": {"S256"}}
	if edit != nil {
		edit(v)
	}
	return base + "/id/connect/authorize?" + v.Encode()
}

// getPage GETs a page and parses it, failing unless the status is want.
func getPage(t *testing.T, b *http.Client, u string, want int) *goquery.Document {
	t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("GET %s: got status %d, want %d", u, resp.StatusCode, want)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// submitSignIn posts the sign-in form of doc back as a browser would, with the given credentials.
func submitSignIn(t *testing.T, b *http.Client, base string, doc *goquery.Document, user, password string) *http.Response {
	t.Helper()
	form := doc.Find("form")
	if form.Length() != 1 {
		t.Fatalf("got %d forms, want 1", form.Length())
	}
	v := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	v.Set("username", user)
	v.Set("password", password)
	v.Set("button", "login")
	action, err := url.Parse(base + "/id/connect/authorize")
	if err != nil {
		t.Fatal(err)
	}
	target := action.ResolveReference(&url.URL{Path: form.AttrOr("action", "")})
	resp, err := b.PostForm(target.String(), v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// redirectParams checks that resp redirects to the test client and returns its query.
func redirectParams(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("got status %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirectURI {
		t.Fatalf("redirected to %q, want %q", got, testRedirectURI)
	}
	return loc.Query()
}

// signInCode runs the browser part of the code flow for user and returns the code.
func signInCode(t *testing.T, b *http.Client, base, authURL, user string) string {
	t.Helper()
	doc := getPage(t, b, authURL, http.StatusOK)
	q := redirectParams(t, submitSignIn(t, b, base, doc, user, erpnetsim.DemoPassword))
	if q.Get("code") == "" {
		t.Fatalf("no code in redirect: %v", q)
	}
	return q.Get("code")
}

// postToken calls the token endpoint with form (client credentials in the body unless basic).
func postToken(t *testing.T, base string, form url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	if !basic && body.Get("client_id") == "" {
		body.Set("client_id", erpnetsim.DemoClientID)
		body.Set("client_secret", erpnetsim.DemoClientSecret)
	}
	req, err := http.NewRequest(http.MethodPost, base+"/id/connect/token", strings.NewReader(body.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	if basic {
		req.SetBasicAuth(url.QueryEscape(erpnetsim.DemoClientID), url.QueryEscape(erpnetsim.DemoClientSecret))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatalf("token answer is not JSON: %v", err)
	}
	return resp.StatusCode, got
}

// exchangeCode redeems a code made with authorizeURL's defaults.
func exchangeCode(t *testing.T, base, code string) (int, map[string]any) {
	t.Helper()
	return postToken(t, base, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {testRedirectURI}, "code_verifier": {testVerifier}}, false)
}

// appToken is a client-credentials access token.
func appToken(t *testing.T, base string) string {
	t.Helper()
	status, body := postToken(t, base, url.Values{"grant_type": {"client_credentials"}}, false)
	if status != http.StatusOK {
		t.Fatalf("client credentials: got %d %v, want 200", status, body)
	}
	return body["access_token"].(string)
}

// verifiedClaims checks token's signature against the instance's published keys and returns its
// claims and its "typ" header.
func verifiedClaims(t *testing.T, base, token string) (map[string]any, string) {
	t.Helper()
	resp, err := http.Get(base + "/id/.well-known/openid-configuration/jwks")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("got %d published keys for kid %q, want 1", len(keys), tok.Headers[0].KeyID)
	}
	var claims map[string]any
	if err := tok.Claims(keys[0].Key, &claims); err != nil {
		t.Fatalf("signature: %v", err)
	}
	typ, _ := tok.Headers[0].ExtraHeaders[jose.HeaderType].(string)
	return claims, typ
}

// apiGet calls the Domain API with a bearer token ("" sends none).
func apiGet(t *testing.T, base, path, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/api/domain/odata/"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// pageOf parses an HTML answer.
func pageOf(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// deactivate turns a seeded user off through the Domain API, as an administrator would in Erp.Net.
func deactivate(t *testing.T, base, login string) {
	t.Helper()
	token := appToken(t, base)
	filter := url.Values{"$filter": {"Login eq '" + login + "'"}, "$select": {"Id"}}.Encode()
	resp := apiGet(t, base, "Systems_Security_Users?"+filter, token)
	var found struct{ Value []struct{ Id string } }
	if err := json.NewDecoder(resp.Body).Decode(&found); err != nil || len(found.Value) != 1 {
		t.Fatalf("finding %s: got %d users, %v", login, len(found.Value), err)
	}
	req, err := http.NewRequest(http.MethodPatch, base+"/api/domain/odata/Systems_Security_Users("+found.Value[0].Id+")",
		strings.NewReader(`{"Active":false}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	patched, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	patched.Body.Close()
	if patched.StatusCode != http.StatusNoContent {
		t.Fatalf("deactivating %s: got %d, want 204", login, patched.StatusCode)
	}
}

// fakeClock is the shared settable clock; tests move it by hand.
type fakeClock = clock.Fake

func newFakeClock() *fakeClock { return clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) }
