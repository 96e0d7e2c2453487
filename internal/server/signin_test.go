package server_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

func menuOf(p *testenv.Page) []string {
	var out []string
	p.Doc.Find("nav.menu a").Each(func(_ int, a *goquery.Selection) { out = append(out, a.Text()) })
	return out
}

func TestSignInLandsOnHomeWithRoleMenu(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	tests := []struct {
		login string
		menu  string
	}{
		{"basic@orbis.example", "Home Profile"},
		{"orders@orbis.example", "Home Orders Profile"},
		{"prices@orbis.example", "Home Orders Profile"},
		{"billing@orbis.example", "Home Orders Invoices Due payments Payments Profile"},
		{"admin@orbis.example", "Home Orders Invoices Due payments Payments Users Profile"},
		{"owner@orbis.example", "Home Orders Invoices Due payments Payments Users Profile"},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			_, home := env.SignIn(t, "cc", tt.login)
			if home.Status != 200 || !strings.HasSuffix(home.URL, "/cc/") {
				t.Fatalf("landed on %s: %.400s", home, home.Body)
			}
			if got := strings.Join(menuOf(home), " "); got != tt.menu {
				t.Errorf("menu = %q, want %q", got, tt.menu)
			}
			if got := home.Text("h1"); !strings.HasPrefix(got, "Welcome") {
				t.Errorf("h1 = %q", got)
			}
			if !strings.Contains(home.Body, "Acme Build &amp; Co.") {
				t.Errorf("home does not name the customer")
			}
		})
	}
}

func TestNoRoleIsCC010(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	_, page := env.SignIn(t, "cc", "norole@orbis.example")
	if page.Status != 403 || page.Text("[data-code]") != "CC010" || !strings.Contains(page.Body, "Account not active") {
		t.Errorf("norole: %s code %q: %.300s", page, page.Text("[data-code]"), page.Body)
	}
}

func TestHomeShowsWhatIsOwed(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	owner, home := env.SignIn(t, "cc", "owner@orbis.example")
	due := owner.Get("/cc/due-payments")
	var first string
	due.Doc.Find("[data-aging] [data-remaining]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		first = strings.TrimSpace(s.Text())
		return false
	})
	if got := home.Text("[data-due]"); got == "" || got != first {
		t.Errorf("Home owes %q, Due payments says %q", got, first)
	}
	_, home = env.SignIn(t, "cc", "orders@orbis.example")
	if home.Doc.Find("[data-due]").Length() != 0 {
		t.Errorf("L20 sees what the customer owes")
	}
}
