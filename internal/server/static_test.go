package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestStaticFilesAndVersion: static files are served but never listed; signed-out visitors are
// not told the version, and asset URLs carry a content hash rather than the version.
func TestStaticFilesAndVersion(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	visitor := env.NewBrowser(t)
	tests := []struct {
		path string
		want int
	}{
		{"/static/", http.StatusNotFound},
		{"/static", http.StatusNotFound},
		{"/static/app.css", http.StatusOK},
		{"/static/nosuch.css", http.StatusNotFound},
		{"/static/../templates/layout.html", http.StatusNotFound},
	}
	for _, tt := range tests {
		if p := visitor.Get(tt.path); p.Status != tt.want {
			t.Errorf("GET %s: %d, want %d", tt.path, p.Status, tt.want)
		}
	}
	if p := visitor.Get("/static/"); strings.Contains(p.Body, "app.css") {
		t.Errorf("GET /static/ lists the files: %.200s", p.Body)
	}
	footer := func(p *testenv.Page) string { return p.Text("footer") }
	for _, path := range []string{"/auth/signed-out", "/nosuch"} {
		p := visitor.Get(path)
		if strings.Contains(footer(p), testenv.Version) {
			t.Errorf("%s shows the version to a visitor: %q", path, footer(p))
		}
	}
	if p := visitor.Get("/readyz"); !strings.Contains(p.Body, `"version":"`+testenv.Version+`"`) {
		t.Errorf("/readyz %q, want the version for the operators", p.Body)
	}
	b, page := env.SignIn(t, "cc", "basic@orbis.example")
	if strings.Contains(footer(page), testenv.Version) || strings.Contains(footer(page), page.Header.Get("X-Request-Id")) {
		t.Errorf("the footer of a customer's page: %q, want neither the version nor the request id", footer(page))
	}
	css := page.Doc.Find(`link[rel=stylesheet]`).AttrOr("href", "")
	if !regexp.MustCompile(`^/static/app\.css\?v=[0-9a-f]{12}$`).MatchString(css) || strings.Contains(css, testenv.Version) {
		t.Errorf("stylesheet URL %q, want a content hash", css)
	}
	if p := b.Get(css); p.Status != http.StatusOK || !strings.Contains(p.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d %q, want 200 kept for good", css, p.Status, p.Header.Get("Cache-Control"))
	}
}

// TestRequestIDFromTheClientOnlyIfAToken: a proxy's X-Request-Id is kept when it is a short
// token; anything else is replaced, so a client cannot write what it likes into the log.
func TestRequestIDFromTheClientOnlyIfAToken(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	tests := []struct {
		sent string
		kept bool
	}{
		{"abc123DEF-_x", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"short", false},
		{"has space in it", false},
		{"quote\"s-and<tags>", false},
		{"ünïcödé-token", false},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodGet, env.PortalURL+"/healthz", nil)
		req.Header["X-Request-Id"] = []string{tt.sent}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("X-Request-Id")
		if tt.kept && got != tt.sent || !tt.kept && (got == tt.sent || !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(got)) {
			t.Errorf("sent %q, answered %q; kept %v", tt.sent, got, tt.kept)
		}
	}
}
