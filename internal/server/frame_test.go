package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestProfileShowsCompanyAndSharedFilesOnly(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	page := billing.Get("/cc/profile")
	if page.Status != 200 {
		t.Fatalf("profile: %s", page)
	}
	for field, want := range map[string]string{"name": "Acme Build & Co.", "number": erpnetsim.MainCustomerNumber, "uin": "131234567", "vat": "BG131234567"} {
		if got := page.Text("[data-field=" + field + "]"); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	if !strings.Contains(page.Text("[data-field=address]"), "Plovdiv") {
		t.Errorf("address = %q", page.Text("[data-field=address]"))
	}
	var files []string
	page.Doc.Find("a[data-file]").Each(func(_ int, a *goquery.Selection) { files = append(files, a.Text()) })
	if len(files) != 2 || strings.Contains(strings.Join(files, ","), "internal") {
		t.Fatalf("shared files = %v, want the two External ones", files)
	}
	href, _ := page.Doc.Find("a[data-file]").First().Attr("href")
	file := billing.Get(href)
	if file.Status != 200 || !strings.HasPrefix(file.Header.Get("Content-Disposition"), "attachment") || len(file.Body) == 0 {
		t.Errorf("download: %s %q", file, file.Header.Get("Content-Disposition"))
	}
	// The internal file's id is not reachable by URL.
	internalID := findFileID(t, env, "Internal")
	if p := billing.Get("/cc/profile/files/" + internalID); p.Status != 404 {
		t.Errorf("internal file by id: %s, want 404", p)
	}
	// Below Billing: no files section and no file downloads.
	basic, _ := env.SignIn(t, "cc", "basic@orbis.example")
	page = basic.Get("/cc/profile")
	if page.Status != 200 || page.Doc.Find("a[data-file]").Length() != 0 {
		t.Errorf("L10 profile: %s with %d files", page, page.Doc.Find("a[data-file]").Length())
	}
	if p := basic.Get(href); p.Status != 403 {
		t.Errorf("L10 file download: %s, want 403", p)
	}
}

// findFileID asks the simulator, as the trusted application, for a file with that permission.
func findFileID(t *testing.T, env *testenv.Env, permission string) string {
	t.Helper()
	var out struct {
		Value []struct {
			ID string `json:"Id"`
		} `json:"value"`
	}
	env.API(t, "Systems_Core_ObjectFiles?$select=Id&$filter="+url.QueryEscape("AccessPermission eq '"+permission+"'"), &out)
	if len(out.Value) == 0 {
		t.Fatalf("no %s file", permission)
	}
	return out.Value[0].ID
}

func TestSwitcherForTwoCustomers(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	b, page := env.SignIn(t, "cc", "two@orbis.example")
	if page.Text("h1") != "Which customer are you acting for?" || page.Doc.Find("button[name=customer]").Length() != 2 {
		t.Fatalf("two-customer user landed on %s: %q", page, page.Text("h1"))
	}
	second := page.Doc.Find("button[name=customer]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), erpnetsim.SecondCustomerNumber)
	}).AttrOr("value", "")
	home := b.Post("/cc/customer", url.Values{"customer": {second}})
	if home.Status != 200 || !strings.Contains(home.Text(".switcher select option[selected]"), "Müller") {
		t.Fatalf("after choosing: %s, selected %q", home, home.Text(".switcher select option[selected]"))
	}
	// The choice is remembered, and the role follows the customer: L40 there, so no Users menu.
	home = b.Get("/cc/")
	if !strings.Contains(home.Text(".switcher select option[selected]"), "Müller") || strings.Contains(strings.Join(menuOf(home), " "), "Users") {
		t.Errorf("remembered: %q, menu %v", home.Text(".switcher select option[selected]"), menuOf(home))
	}
	// A customer the person has no access to cannot be chosen.
	if p := b.Post("/cc/customer", url.Values{"customer": {"00000000-0000-4000-8000-000000000000"}}); p.Status != 404 {
		t.Errorf("foreign customer: %s, want 404", p)
	}
	// Signed out and in again in this browser, the person lands on the customer last chosen;
	// another person signing in here is asked, as before.
	b.Post("/auth/logout", url.Values{})
	if again := env.SignInWith(t, b, "cc", "two@orbis.example"); !strings.Contains(again.Text(".switcher select option[selected]"), "Müller") {
		t.Errorf("after signing in again: %s %q, want the last customer chosen", again, again.Text("h1"))
	}
	b.Post("/auth/logout", url.Values{})
	if other := env.SignInWith(t, b, "cc", "owner@orbis.example"); other.Status != 200 || strings.Contains(other.Text(".switcher"), "Müller") {
		t.Errorf("another person in the same browser: %s", other)
	}
}

func TestRemovedAccessEndsWithinAccessTTL(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	b, home := env.SignIn(t, "cc", "billing@orbis.example")
	if home.Status != 200 {
		t.Fatalf("sign-in: %s", home)
	}
	var acc struct {
		Value []struct {
			ID string `json:"Id"`
		} `json:"value"`
	}
	env.API(t, "Crm_Sales_CustomerExternalAccess?$select=Id&$filter="+url.QueryEscape("User/Login eq 'billing@orbis.example'"), &acc)
	if len(acc.Value) != 1 {
		t.Fatalf("access records: %d", len(acc.Value))
	}
	env.APIDo(t, http.MethodDelete, "Crm_Sales_CustomerExternalAccess("+acc.Value[0].ID+")", nil)
	clk.Advance(env.Config.Cache.TTL.Access + time.Second)
	if p := b.Get("/cc/profile"); p.Status != 403 || p.Text("[data-code]") != "CC010" {
		t.Errorf("after removal: %s code %q, want 403 CC010", p, p.Text("[data-code]"))
	}
}

func TestSessionCookieFlagsAndTampering(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	b, page := env.SignIn(t, "cc", "two@orbis.example")
	u, _ := url.Parse(env.PortalURL)
	first := page.Doc.Find("button[name=customer]").First().AttrOr("value", "")
	b.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp := b.Post("/cc/customer", url.Values{"customer": {first}})
	var setCookie string
	for _, sc := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "cc_session=") {
			setCookie = sc
		}
	}
	for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(setCookie, flag) {
			t.Errorf("session cookie %q lacks %s", setCookie, flag)
		}
	}
	var sess *http.Cookie
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "cc_session" {
			sess = c
		}
	}
	if sess == nil {
		t.Fatal("no session cookie")
	}
	tampered := &http.Cookie{Name: "cc_session", Value: sess.Value[:len(sess.Value)-4] + "AAAA"}
	b.Client.Jar.SetCookies(u, []*http.Cookie{tampered})
	page = b.Get("/cc/")
	if page.Status != http.StatusFound || !strings.HasPrefix(page.Header.Get("Location"), "/auth/login") {
		t.Errorf("tampered cookie: %s → %q, want a redirect to sign in", page, page.Header.Get("Location"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	p := env.NewBrowser(t).Get("/healthz")
	for h, want := range map[string]string{"X-Frame-Options": "SAMEORIGIN", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if got := p.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := p.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestCrossSitePostRefused(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	b, _ := env.SignIn(t, "cc", "two@orbis.example")
	req, _ := http.NewRequest(http.MethodPost, env.PortalURL+"/cc/customer", strings.NewReader("customer=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
}

func TestOpenRedirectAfterSignInRefused(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	for _, target := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"} {
		b := env.NewBrowser(t)
		page := b.Get("/auth/login?return=" + url.QueryEscape(target))
		// Sign in through the form; where do we land?
		form := page.Doc.Find("form").First()
		vals := url.Values{}
		form.Find("input").Each(func(_ int, in *goquery.Selection) { vals.Set(in.AttrOr("name", ""), in.AttrOr("value", "")) })
		vals.Set("username", "basic@orbis.example")
		vals.Set("password", erpnetsim.DemoPassword)
		pu, _ := url.Parse(page.URL)
		action, _ := url.Parse(form.AttrOr("action", ""))
		landed := b.Post(pu.ResolveReference(action).String(), vals)
		if !strings.HasPrefix(landed.URL, env.PortalURL+"/") {
			t.Errorf("return=%q landed on %s", target, landed.URL)
		}
	}
}

// The customer last chosen is remembered for longer than a session lasts (its age counted on the
// portal's clock): a person signing in a few days later in the same browser lands on it.
func TestLastCustomerOutlivesTheSession(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	b, page := env.SignIn(t, "cc", "two@orbis.example")
	second := page.Doc.Find("button[name=customer]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), erpnetsim.SecondCustomerNumber)
	}).AttrOr("value", "")
	b.Post("/cc/customer", url.Values{"customer": {second}})
	b.Post("/auth/logout", url.Values{})
	clk.Advance(3 * 24 * time.Hour) // past the session's absolute timeout
	if again := env.SignInWith(t, b, "cc", "two@orbis.example"); !strings.Contains(again.Text(".switcher select option[selected]"), "Müller") {
		t.Errorf("three days later: %s %q, want the last customer chosen", again, again.Text("h1"))
	}
	// Each sign-in remembers it anew; unused for more than 400 days, it is forgotten.
	b.Post("/auth/logout", url.Values{})
	clk.Advance(401 * 24 * time.Hour)
	if later := env.SignInWith(t, b, "cc", "two@orbis.example"); later.Text("h1") != "Which customer are you acting for?" {
		t.Errorf("401 days later: %s %q, want the question again", later, later.Text("h1"))
	}
}
