package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// acceptLanguage sends an Accept-Language header with every request, as a browser set up for
// that language does.
type acceptLanguage struct {
	lang string
	next http.RoundTripper
}

func (a acceptLanguage) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept-Language", a.lang)
	next := a.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r)
}

// speaking makes b's browser ask for lang.
func speaking(b *testenv.Browser, lang string) *testenv.Browser {
	b.Client.Transport = acceptLanguage{lang: lang, next: b.Client.Transport}
	return b
}

func menuText(p *testenv.Page) string { return p.Text("nav.menu") }

// TestBulgarianBrowserSeesBulgarian: a browser asking for Bulgarian gets the menu, headings and
// Erp.Net's multi-language values in Bulgarian; one asking for nothing gets English.
func TestBulgarianBrowserSeesBulgarian(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	o := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'Completed'").Value[0]
	bgB, _ := env.SignIn(t, "cc", "prices@orbis.example")
	speaking(bgB, "bg-BG,bg;q=0.9,en;q=0.5")
	enB, _ := env.SignIn(t, "cc", "prices@orbis.example")

	tests := []struct {
		name    string
		b       *testenv.Browser
		lang    string
		menu    []string
		heading string
		cyrLine bool
	}{
		{"bulgarian", bgB, "bg", []string{"Начало", "Поръчки", "Профил"}, "Поръчка " + o.DocumentNo, true},
		{"no preference", enB, "en", []string{"Home", "Orders", "Profile"}, "Order " + o.DocumentNo, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.b.Get("/cc/orders/" + o.ID)
			if p.Status != 200 {
				t.Fatalf("order page: %s", p)
			}
			if got := p.Doc.Find("html").AttrOr("lang", ""); got != tt.lang {
				t.Errorf("<html lang> = %q, want %q", got, tt.lang)
			}
			for _, want := range tt.menu {
				if !strings.Contains(menuText(p), want) {
					t.Errorf("menu %q lacks %q", menuText(p), want)
				}
			}
			if got := p.Text("h1"); !strings.HasPrefix(got, tt.heading) {
				t.Errorf("heading %q, want it to start with %q", got, tt.heading)
			}
			if got := containsCyrillic(p.Text("table[data-lines] tbody")); got != tt.cyrLine {
				t.Errorf("product names in Cyrillic: %v, want %v (%q)", got, tt.cyrLine, p.Text("table[data-lines] tbody"))
			}
			if got := p.Text("table[data-lines] thead"); tt.lang == "bg" && !strings.Contains(got, "Продукт") {
				t.Errorf("line headings not in Bulgarian: %q", got)
			}
		})
	}
}

// TestLanguageSwitcher: the footer's switcher changes the language, which sticks over the
// browser's own preference, and goes back to the page it was used on.
func TestLanguageSwitcher(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	speaking(b, "en-US,en;q=0.9")
	p := b.Get("/cc/invoices")
	if p.Doc.Find("footer form[action='/cc/lang'] button[value=bg]").Length() != 1 {
		t.Fatalf("no switcher to Bulgarian in the footer")
	}
	if !strings.Contains(menuText(p), "Invoices") {
		t.Fatalf("not English before switching: %q", menuText(p))
	}

	// Without JavaScript the form names no return; the page it was posted from is the way back.
	req, _ := http.NewRequest(http.MethodPost, env.PortalURL+"/cc/lang", strings.NewReader("lang=bg"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", env.PortalURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Referer", env.PortalURL+"/cc/invoices?page=1")
	noFollow := *b.Client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cc/invoices?page=1" {
		t.Fatalf("switch: %d → %q, want 303 → /cc/invoices?page=1", resp.StatusCode, resp.Header.Get("Location"))
	}

	for _, path := range []string{"/cc/invoices", "/cc/", "/cc/profile"} {
		p := b.Get(path)
		if !strings.Contains(menuText(p), "Фактури") || p.Doc.Find("html").AttrOr("lang", "") != "bg" {
			t.Errorf("%s after switching: menu %q, lang %q", path, menuText(p), p.Doc.Find("html").AttrOr("lang", ""))
		}
	}

	// An unsafe return goes to the Client Center's home, and back to English works.
	p = b.Post("/cc/lang", url.Values{"lang": {"en"}, "return": {"//evil.example/x"}})
	if p.Status != 200 || !strings.HasSuffix(p.URL, "/cc/") || !strings.Contains(menuText(p), "Invoices") {
		t.Errorf("back to English: %s, menu %q", p, menuText(p))
	}
}

// TestEnglishOnlyInstance: an instance offering English only never shows Bulgarian, offers no
// switcher and refuses to switch.
func TestEnglishOnlyInstance(t *testing.T) {
	t.Parallel()
	en := testenv.Instance("cc")
	en.Languages = []string{"en"}
	env := testenv.New(t, testenv.Options{Instances: []config.Instance{en}})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	speaking(b, "bg")
	o := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'Completed'").Value[0]
	for _, path := range []string{"/cc/", "/cc/orders", "/cc/orders/" + o.ID} {
		p := b.Get(path)
		if strings.Contains(p.Body, "Поръчки") || p.Doc.Find("html").AttrOr("lang", "") != "en" {
			t.Errorf("%s shows Bulgarian (lang %q)", path, p.Doc.Find("html").AttrOr("lang", ""))
		}
		if lines := p.Text("table[data-lines] tbody"); containsCyrillic(lines) {
			t.Errorf("%s shows Bulgarian product names: %q", path, lines)
		}
		if p.Doc.Find("[data-langs]").Length() != 0 {
			t.Errorf("%s offers a language switcher with one language", path)
		}
	}
	if p := b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}}); p.Status != http.StatusBadRequest {
		t.Errorf("lang=bg: %s, want 400", p)
	}
	if p := b.Get("/cc/"); strings.Contains(p.Body, "Начало") {
		t.Errorf("Bulgarian after a refused switch")
	}
}

// TestOrdersListKeptPerLanguage: the Orders list is kept drawn; an English and a Bulgarian
// request for the same page each get their own language, in either order.
func TestOrdersListKeptPerLanguage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	enB, _ := env.SignIn(t, "cc", "prices@orbis.example")
	bgB, _ := env.SignIn(t, "cc", "prices@orbis.example")
	speaking(bgB, "bg")
	steps := []struct {
		b          *testenv.Browser
		lang       string
		want, not  string
		wantStatus string
	}{
		{enB, "en", "Export CSV", "Експорт", "Ordered"},
		{bgB, "bg", "Експорт в CSV", "Export CSV", "Поръчана"},
		{enB, "en", "Export CSV", "Експорт", "Ordered"},
		{bgB, "bg", "Експорт в CSV", "Export CSV", "Поръчана"},
	}
	for i, s := range steps {
		p := s.b.Get("/cc/orders?sort=date&dir=desc")
		list := p.Text(".list-bar") + " " + p.Text("table[data-list] tbody")
		if p.Status != 200 || !strings.Contains(list, s.want) || strings.Contains(list, s.not) {
			t.Errorf("step %d (%s): %s, list %q", i, s.lang, p, list)
		}
		if !strings.Contains(p.Text("table[data-list]"), s.wantStatus) {
			t.Errorf("step %d (%s): statuses not in %s", i, s.lang, s.lang)
		}
		if th := p.Text("table[data-list] thead"); (s.lang == "bg") != containsCyrillic(th) {
			t.Errorf("step %d (%s): column labels %q", i, s.lang, th)
		}
	}
}
