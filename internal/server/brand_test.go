package server_test

import (
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// The tenant's portal, not the vendor's: its logo, colour, name and support contact on its
// pages, error pages included, served by the portal itself.
func TestTheTenantsBrandOnEveryPage(t *testing.T) {
	t.Parallel()
	logo := filepath.Join(t.TempDir(), "logo.png")
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	f, err := os.Create(logo)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	in := testenv.Instance("cc")
	in.Logo, in.BrandColor, in.Supplier = logo, "#7a1f5c", "Orbis Trading"
	in.Support = config.Support{Email: "help@orbis.example", Phone: "+359 2 123 4567", Hours: "Mon–Fri 9:00–17:30"}
	env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
	b, home := env.SignIn(t, "cc", "owner@orbis.example")
	for name, p := range map[string]*testenv.Page{"home": home, "error page": b.Get("/cc/orders/00000000-0000-4000-8000-000000000000")} {
		css := p.Doc.Find(`link[rel=stylesheet][href^="/cc/brand.css"]`).AttrOr("href", "")
		logoHref := p.Doc.Find("header img.logo").AttrOr("src", "")
		if css == "" || logoHref == "" || p.Text("[data-supplier]") != "Orbis Trading" {
			t.Errorf("%s: brand css %q, logo %q, supplier %q", name, css, logoHref, p.Text("[data-supplier]"))
		}
		support := p.Text("[data-support]")
		if !strings.Contains(support, "help@orbis.example") || !strings.Contains(support, "+359 2 123 4567") || !strings.Contains(support, "Mon–Fri") {
			t.Errorf("%s: support %q", name, support)
		}
		if name == "home" {
			if c := b.Get(css); c.Status != http.StatusOK || !strings.Contains(c.Body, "--brand: #7a1f5c") {
				t.Errorf("brand.css: %s %q", c, c.Body)
			}
			want, _ := os.ReadFile(logo)
			// Signed out too: the sign-in and error pages show the brand.
			anon := env.NewBrowser(t)
			if l := anon.Get(logoHref); l.Status != http.StatusOK || l.Body != string(want) || l.Header.Get("Content-Type") != "image/png" ||
				l.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("logo: %s %q", l, l.Header.Get("Content-Type"))
			}
		}
	}
}

func TestBrandSettingsAreChecked(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.png")
	if err := os.WriteFile(big, make([]byte, config.MaxLogoSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*config.Instance)
		key  string
	}{
		{"too light for white text", func(in *config.Instance) { in.BrandColor = "#f5d90a" }, "brand_color"},
		{"not a colour", func(in *config.Instance) { in.BrandColor = "red" }, "brand_color"},
		{"a logo too big", func(in *config.Instance) { in.Logo = big }, "logo"},
		{"no logo there", func(in *config.Instance) { in.Logo = big + ".missing.png" }, "logo"},
		{"not an e-mail", func(in *config.Instance) { in.Support.Email = "helpdesk" }, "support.email"},
	}
	for _, tt := range tests {
		cfg := testenv.NewConfig("http://erpnet.test", "http://portal.test", []config.Instance{testenv.Instance("cc")})
		tt.edit(&cfg.Instances[0])
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), "instances[0]."+tt.key) {
			t.Errorf("%s: %v, want a problem with instances[0].%s", tt.name, err, tt.key)
		}
	}
	if r := config.ContrastWithWhite("#1f5fbf"); r < 4.5 {
		t.Errorf("the default brand colour has a contrast of %.2f with white", r)
	}
}

// An SVG logo, which could hold a script, is sent as an image that runs nothing: a policy with no
// script source and a sandbox, and nosniff.
func TestSVGLogoRunsNothing(t *testing.T) {
	t.Parallel()
	logo := filepath.Join(t.TempDir(), "logo.svg")
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>`
	if err := os.WriteFile(logo, []byte(svg), 0o600); err != nil {
		t.Fatal(err)
	}
	in := testenv.Instance("cc")
	in.Logo = logo
	env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
	p := env.NewBrowser(t).Get("/cc/logo")
	csp := p.Header.Get("Content-Security-Policy")
	if p.Status != 200 || p.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") ||
		strings.Contains(csp, "script-src") || p.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the SVG logo: %s %q, policy %q, nosniff %q", p, p.Header.Get("Content-Type"), csp, p.Header.Get("X-Content-Type-Options"))
	}
}
