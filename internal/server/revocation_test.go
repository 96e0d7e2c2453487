package server_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// copyOf is another browser holding a copy of b's portal cookies, and nothing of the identity
// server's: what someone who copied the cookie has.
func copyOf(t *testing.T, env *testenv.Env, b *testenv.Browser) *testenv.Browser {
	t.Helper()
	u, _ := url.Parse(env.PortalURL)
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(u, b.Client.Jar.Cookies(u))
	cp := env.NewBrowser(t)
	cp.Client.Jar = jar
	return cp
}

// signedOut tells whether p is where a browser without a session lands: the sign-in form.
func signedOut(p *testenv.Page) bool { return strings.Contains(p.URL, "/id/connect/authorize") }

func TestSignOutEndsACopiedCookie(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	stolen := copyOf(t, env, b)
	if p := stolen.Get("/cc/invoices"); p.Status != http.StatusOK {
		t.Fatalf("the copy before sign-out: %s, want 200", p)
	}
	b.Post("/auth/logout", url.Values{})
	if p := stolen.Get("/cc/invoices"); !signedOut(p) {
		t.Errorf("the copy after sign-out: %s, want the sign-in form", p)
	}
	if p := stolen.Post("/cc/orders/columns", url.Values{"col": {"date"}}); p.Status != http.StatusUnauthorized {
		t.Errorf("a post with the copy after sign-out: %s, want 401", p)
	}
}

func TestRemovalEndsEverySessionOfThePerson(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	desk, _ := env.SignIn(t, "cc", "basic@orbis.example")
	phone, _ := env.SignIn(t, "cc", "basic@orbis.example")
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	clk.Advance(time.Second)
	id := mustAccess(t, env, "basic@orbis.example").ID
	if p := admin.Post("/cc/users/"+id+"/delete", nil); p.Text(".notice.ok") == "" {
		t.Fatalf("removing: %s %q", p, p.Text(".notice"))
	}
	for name, b := range map[string]*testenv.Browser{"desk": desk, "phone": phone} {
		if p := copyOf(t, env, b).Get("/cc/"); !signedOut(p) {
			t.Errorf("%s after removal: %s, want the sign-in form", name, p)
		}
	}
	// Signing in again works, and says there is no access.
	clk.Advance(time.Second)
	if p := desk.Get("/cc/"); p.Status != http.StatusForbidden || p.Text("[data-code]") != "CC010" {
		t.Errorf("signing in again after removal: %s %q, want 403 CC010", p, p.Text("[data-code]"))
	}
	if p := admin.Get("/cc/users"); p.Status != http.StatusOK {
		t.Errorf("the admin's own session after the removal: %s", p)
	}
}

func TestDeactivatedUserLosesThePortalWithinTheAccessTTL(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	if p := b.Get("/cc/invoices"); p.Status != http.StatusOK {
		t.Fatalf("before: %s", p)
	}
	var users struct {
		Value []struct {
			ID string `json:"Id"`
		}
	}
	env.API(t, "Systems_Security_Users?$select=Id&$filter="+url.QueryEscape("Login eq 'billing@orbis.example'"), &users)
	if len(users.Value) != 1 {
		t.Fatalf("users: %+v", users)
	}
	user := "Systems_Security_Users(" + users.Value[0].ID + ")"
	if status, body := env.APIDo(t, http.MethodPatch, user, map[string]any{"Active": false}); status >= 300 {
		t.Fatalf("deactivating: %d %s", status, body)
	}
	clk.Advance(env.Config.Cache.TTL.Access + time.Second)
	stolen := copyOf(t, env, b)
	if p := b.Get("/cc/invoices"); p.Status != http.StatusForbidden || p.Text("[data-code]") != "CC010" {
		t.Errorf("deactivated: %s %q, want 403 CC010", p, p.Text("[data-code]"))
	}
	// Active again, the person signs in anew: the session seen deactivated stays ended.
	env.APIDo(t, http.MethodPatch, user, map[string]any{"Active": true})
	clk.Advance(env.Config.Cache.TTL.Access + time.Second)
	if p := stolen.Get("/cc/invoices"); !signedOut(p) {
		t.Errorf("the session seen deactivated, once active again: %s, want the sign-in form", p)
	}
}

// TestRemovalThroughOneClientCenterReachesTheOthers: two Client Centers of one process share who
// may see what; a change made through one holds in the other from the next request.
func TestAccessChangeThroughOneClientCenterReachesTheOthers(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: fixedClock(), Quiet: true,
		Instances: []config.Instance{testenv.Instance("cc"), testenv.Instance("cc2")}})
	billing, _ := env.SignIn(t, "cc2", "billing@orbis.example")
	if p := billing.Get("/cc2/invoices"); p.Status != http.StatusOK {
		t.Fatalf("billing on cc2 before: %s", p)
	}
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	rec := mustAccess(t, env, "billing@orbis.example")
	edit := admin.Get("/cc/users/" + rec.ID + "/edit")
	version := edit.Doc.Find("input[name=version]").AttrOr("value", "")
	if p := admin.Post("/cc/users/"+rec.ID, url.Values{"role": {"L10"}, "days_back": {"365"}, "version": {version}}); p.Text(".notice.ok") == "" {
		t.Fatalf("lowering billing through cc: %s %q", p, p.Text(".notice"))
	}
	if p := billing.Get("/cc2/invoices"); p.Status != http.StatusForbidden {
		t.Errorf("billing's invoices on cc2 after being lowered to Basic through cc: %s, want 403", p)
	}
}

// The ID token, a large signed JWT, is not in the session cookie every request carries: it is
// kept apart, sent only to the sign-out, and handed back to the identity server there as the hint.
func TestSignOutHandsBackTheIDTokenKeptApartFromTheSession(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	u, _ := url.Parse(env.PortalURL + "/cc/")
	var session string
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "cc_session" {
			session = c.Value
		}
		if c.Name == "cc_hint" {
			t.Errorf("the ID token's cookie is sent to %s, want it sent only to the sign-out", u.Path)
		}
	}
	if session == "" || len(session) > 600 {
		t.Errorf("session cookie of %d bytes, want one without the ID token (under 600)", len(session))
	}
	client := *b.Client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest(http.MethodPost, env.PortalURL+"/auth/logout", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", env.PortalURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if hint := loc.Query().Get("id_token_hint"); strings.Count(hint, ".") != 2 {
		t.Errorf("sign-out goes to %q, want the ID token as id_token_hint", resp.Header.Get("Location"))
	}
}
