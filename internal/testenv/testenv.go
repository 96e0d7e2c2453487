// Package testenv runs the whole portal for tests: a simulated Erp.Net instance and the portal
// against it, in-process on loopback, and browsers (HTTP clients with cookie jars) that sign in
// through the simulator's real sign-in form.
package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/server"
)

// Options tune an environment.
type Options struct {
	// Instances replace the default single instance "cc" (New Order off).
	Instances []config.Instance
	// Configure may change the settings before the portal starts.
	Configure func(*config.Config)
	// Now is the clock of the simulator and the portal; default time.Now.
	Now func() time.Time
	// Scale of the simulator's seed.
	Scale int
	// Quiet discards the portal's log instead of sending it to the test log.
	Quiet bool
	// TLS serves the portal over https, as in production: its cookies are then Secure and
	// carry the __Host- prefix.
	TLS bool
	// ERPVersion is the Erp.Net version the simulator is (and knows the properties of); default
	// the simulator's own.
	ERPVersion string
}

// Env is a running simulator and portal.
type Env struct {
	Sim       *erpnetsim.Sim
	SimURL    string
	PortalURL string
	Server    *server.Server
	Config    *config.Config
	// transport trusts the portal's test certificate when it serves https.
	transport http.RoundTripper
}

// NewConfig returns valid settings for a portal against the simulator at simURL.
func NewConfig(simURL, publicURL string, instances []config.Instance) *config.Config {
	cfg := config.Defaults()
	cfg.PublicURL = publicURL
	cfg.Session.HashKey = config.Secret(randomKey())
	cfg.Session.BlockKey = config.Secret(randomKey())
	cfg.ErpNet.InstanceURL = simURL
	cfg.ErpNet.ClientID = erpnetsim.DemoClientID
	cfg.ErpNet.ClientSecret = config.Secret(erpnetsim.DemoClientSecret)
	if len(instances) == 0 {
		in := config.DefaultInstance()
		in.Name, in.Title, in.EnterpriseCompany = "cc", "Client Center", erpnetsim.EnterpriseCompanyName
		instances = []config.Instance{in}
	}
	cfg.Instances = instances
	return &cfg
}

// Instance returns default instance settings under relativeURL.
func Instance(relativeURL string) config.Instance {
	in := config.DefaultInstance()
	in.Name, in.RelativeURL, in.Title, in.EnterpriseCompany = relativeURL, relativeURL, "Client Center "+relativeURL, erpnetsim.EnterpriseCompanyName
	return in
}

func randomKey() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// Version is the release the portal of a test environment shows.
const Version = "0.0.0-test"

// New starts a simulator and a portal for the test; both stop when the test ends.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	sim := erpnetsim.New(erpnetsim.Options{Now: opts.Now, Scale: opts.Scale, Version: opts.ERPVersion})
	simSrv := httptest.NewServer(sim)
	t.Cleanup(simSrv.Close)
	// The portal's URL must be known before it is built (it is the sign-in redirect), so the
	// listener starts first and the handler is attached after.
	var handler http.Handler
	portalSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	if opts.TLS {
		portalSrv.StartTLS()
	} else {
		portalSrv.Start()
	}
	t.Cleanup(portalSrv.Close)
	cfg := NewConfig(simSrv.URL, portalSrv.URL, opts.Instances)
	if opts.Configure != nil {
		opts.Configure(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("testenv: settings: %v", err)
	}
	logger := zap.NewNop()
	if !opts.Quiet {
		logger = zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	}
	srv, err := server.NewServer(server.Deps{Config: cfg, Logger: logger, Now: opts.Now, Version: Version})
	if err != nil {
		t.Fatalf("testenv: portal: %v", err)
	}
	handler = srv
	return &Env{Sim: sim, SimURL: simSrv.URL, PortalURL: portalSrv.URL, Server: srv, Config: cfg, transport: portalSrv.Client().Transport}
}

// Browser is a person's browser: a cookie jar, no automatic redirects past the portal's own.
type Browser struct {
	t      testing.TB
	env    *Env
	Client *http.Client
}

// NewBrowser returns a browser with an empty cookie jar.
func (e *Env) NewBrowser(t testing.TB) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: t, env: e, Client: &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: e.transport}}
}

// SignIn opens the instance's home page, is sent to the simulator's sign-in form, fills it in
// with the demo password and follows the redirects back. It returns the browser and the page
// it landed on.
func (e *Env) SignIn(t testing.TB, instance, login string) (*Browser, *Page) {
	t.Helper()
	b := e.NewBrowser(t)
	return b, e.SignInWith(t, b, instance, login)
}

// SignInWith signs in as SignIn does, in the browser b with its cookies (after a sign-out, say),
// and returns the page it landed on.
func (e *Env) SignInWith(t testing.TB, b *Browser, instance, login string) *Page {
	t.Helper()
	page := b.Get("/" + instance + "/")
	form := page.Doc.Find("form").First()
	if form.Length() == 0 || !strings.Contains(page.URL, "/id/connect/authorize") {
		t.Fatalf("testenv: expected the sign-in form, got %s (%d): %.300s", page.URL, page.Status, page.Body)
	}
	vals := url.Values{}
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		val, _ := in.Attr("value")
		if name != "" {
			vals.Set(name, val)
		}
	})
	vals.Set("username", login)
	vals.Set("password", erpnetsim.DemoPassword)
	action, _ := form.Attr("action")
	target, err := url.Parse(page.URL)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := url.Parse(action)
	return b.do(http.MethodPost, target.ResolveReference(ref).String(), vals)
}

// Page is a response as a person's browser got it.
type Page struct {
	Status int
	URL    string // after redirects
	Header http.Header
	Body   string
	Doc    *goquery.Document
}

// Get opens a portal path (or an absolute URL).
func (b *Browser) Get(path string) *Page { return b.do(http.MethodGet, b.abs(path), nil) }

// Post submits a form to a portal path, from the portal's own origin.
func (b *Browser) Post(path string, form url.Values) *Page {
	return b.do(http.MethodPost, b.abs(path), form)
}

// Abs is the absolute URL of a portal path.
func (b *Browser) Abs(path string) string { return b.abs(path) }

func (b *Browser) abs(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.env.PortalURL + path
}

func (b *Browser) do(method, target string, form url.Values) *Page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		u, _ := url.Parse(target)
		// A browser sends these with every same-origin form post.
		req.Header.Set("Origin", u.Scheme+"://"+u.Host)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		b.t.Fatalf("testenv: %s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	p := &Page{Status: resp.StatusCode, URL: resp.Request.URL.String(), Header: resp.Header, Body: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		p.Doc, _ = goquery.NewDocumentFromReader(strings.NewReader(p.Body))
	}
	if p.Doc == nil {
		p.Doc, _ = goquery.NewDocumentFromReader(strings.NewReader(""))
	}
	return p
}

// Text is the trimmed text of the first element matching sel.
func (p *Page) Text(sel string) string { return strings.TrimSpace(p.Doc.Find(sel).First().Text()) }

// String describes the page for failure messages.
func (p *Page) String() string { return fmt.Sprintf("%d %s", p.Status, p.URL) }

// API reads the simulator's Domain API as the trusted application (for test setup and checks)
// and decodes the JSON answer into out.
func (e *Env) API(t testing.TB, path string, out any) {
	t.Helper()
	status, body := e.APIDo(t, http.MethodGet, path, nil)
	if status != http.StatusOK {
		t.Fatalf("testenv: GET %s: %d %s", path, status, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("testenv: GET %s: %v", path, err)
	}
}

// APIDo sends one Domain API request to the simulator's oracle — the data as the tenant's staff
// see it in Erp.Net, without the model's filter rules, limits or faults — and returns status and
// body. Tests check the portal's pages against it; the portal itself only meets the strict API.
func (e *Env) APIDo(t testing.TB, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, e.SimURL+"/api/domain/odata/"+path, rd)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.Sim.Oracle().ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}
