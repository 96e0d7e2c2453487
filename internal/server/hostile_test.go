package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestHostileTextIsRenderedHarmlessly signs in as the owner of the customer whose name is markup,
// and searches with markup, quotes and Cyrillic: every page shows the text and runs none of it.
func TestHostileTextIsRenderedHarmlessly(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	b, home := env.SignIn(t, "cc", "hostile@orbis.example")
	if home.Status != 200 {
		t.Fatalf("home: %s", home)
	}
	pages := []*testenv.Page{home, b.Get("/cc/profile"), b.Get("/cc/orders")}
	for _, q := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `O'Neil`, `кафе`, `' or 1 eq 1 or '`, `%27)`} {
		p := b.Get("/cc/orders?q=" + url.QueryEscape(q))
		if p.Status != 200 {
			t.Errorf("search %q: %s", q, p)
		}
		if got := p.Doc.Find("input[name=q]").AttrOr("value", ""); got != q {
			t.Errorf("search box kept %q, want %q", got, q)
		}
		pages = append(pages, p)
	}
	for _, p := range pages {
		if strings.Contains(p.Body, "<script>alert") || strings.Contains(p.Body, "<img src=x") {
			t.Errorf("%s contains live markup", p)
		}
		if p.Doc.Find("script").Length() != 1 { // only the portal's own app.js
			t.Errorf("%s has %d script elements", p, p.Doc.Find("script").Length())
		}
	}
	if !strings.Contains(home.Body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Brien &amp; &#34;Partners&#34; Ltd") {
		t.Errorf("the customer's name is not shown escaped on Home")
	}
}
