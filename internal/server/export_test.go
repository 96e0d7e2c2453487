package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/server"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestErpNetAnswersInViewersLanguage: every call a page or printout makes asks Erp.Net for the
// viewer's language, cached reads included (their fetch runs detached from the request), and a
// printout, which Erp.Net renders in that language, is fetched again for a viewer of another
// language rather than shared.
func TestErpNetAnswersInViewersLanguage(t *testing.T) {
	env := newInvoiceEnv(t)
	inv := findInvoices(t, env, "Customer/Number eq 'C-1001'")[0]
	pdf := "/cc/invoices/" + inv.ID + "/pdf"
	browsers := map[string]*testenv.Browser{}
	for login, lang := range map[string]string{"mueller@orbis.example": "bg", "owner@orbis.example": "en", "billing@orbis.example": "bg"} {
		b, _ := env.SignIn(t, "cc", login)
		if p := b.Post("/cc/lang", url.Values{"lang": {lang}, "return": {"/cc/profile"}}); p.Status != http.StatusOK {
			t.Fatalf("%s choosing %s: %s", login, lang, p)
		}
		browsers[login] = b
	}
	tests := []struct {
		name, login, path, lang string
	}{
		{"orders page, Bulgarian", "mueller@orbis.example", "/cc/orders", "bg"},
		{"invoices page, Bulgarian", "mueller@orbis.example", "/cc/invoices", "bg"},
		{"orders page, English", "owner@orbis.example", "/cc/orders?page=2", "en"}, // page 1 is warm: Home lists its first rows
		{"printout, English", "owner@orbis.example", pdf, "en"},
		{"the same printout, Bulgarian", "billing@orbis.example", pdf, "bg"},
		{"the printout downloaded, Bulgarian", "billing@orbis.example", pdf + "?download=1", "bg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.Sim.ResetCalls()
			if p := browsers[tt.login].Get(tt.path); p.Status != http.StatusOK {
				t.Fatalf("%s: %s", tt.path, p)
			}
			got, all := env.Sim.CultureCalls(tt.lang), env.Sim.TotalAPICalls()
			if got == 0 || got != all {
				t.Errorf("%s: %d of %d Erp.Net calls asked for culture=%s, want all and at least one", tt.path, got, all, tt.lang)
			}
		})
	}
}

// TestOneExportPerSession: while an export of a session is being prepared, a second one of the
// same session is refused with 429 and a message in the person's language, the first still
// completes, and the session may export again afterwards. Another session of the same person is
// not held back.
func TestOneExportPerSession(t *testing.T) {
	zipPath := "/cc/invoices.zip?from=" + invoiceDate(-30) + "&to=" + invoiceDate(0)
	tests := []struct {
		name, first, second string
		otherSession        bool
		lang                string
		want                int
		message             string
	}{
		{"ZIP beside a ZIP", zipPath, zipPath, false, "en", http.StatusTooManyRequests, "An export is already being prepared for you; wait for it to finish."},
		{"CSV beside a ZIP, in Bulgarian", zipPath, "/cc/invoices.csv", false, "bg", http.StatusTooManyRequests, "Вече се подготвя експорт за вас; изчакайте го да завърши."},
		{"ZIP beside a CSV", "/cc/orders.csv", zipPath, false, "en", http.StatusTooManyRequests, "An export is already being prepared for you"},
		{"CSV beside a CSV", "/cc/payments.csv", "/cc/due-payments.csv", false, "en", http.StatusTooManyRequests, "An export is already being prepared for you"},
		{"another session's export", zipPath, "/cc/orders.csv", true, "en", http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Three slots toward Erp.Net, so two exports' bulk calls can be in flight at once.
			env, spy := newSpiedEnv(t, func(c *config.Config) { c.ErpNet.MaxConcurrent = 3 })
			b, _ := env.SignIn(t, "cc", "billing@orbis.example")
			if p := b.Post("/cc/lang", url.Values{"lang": {tt.lang}, "return": {"/cc/invoices"}}); p.Status != http.StatusOK {
				t.Fatalf("choosing %s: %s", tt.lang, p)
			}
			second := b
			if tt.otherSession {
				second, _ = env.SignIn(t, "cc", "billing@orbis.example")
			}

			release := spy.holdBulk()
			firstDone := make(chan *testenv.Page, 1)
			go func() { firstDone <- b.Get(tt.first) }()
			select {
			case <-spy.arrived: // the first export is under way: its first bulk call has reached Erp.Net
			case p := <-firstDone:
				t.Fatalf("first export %s: %s without a bulk call to Erp.Net", tt.first, p)
			}
			secondDone := make(chan *testenv.Page, 1)
			go func() { secondDone <- second.Get(tt.second) }()
			var got *testenv.Page
			select {
			case <-spy.arrived: // the second is under way beside the first
			case got = <-secondDone: // answered without waiting for the first
			}
			release()
			if got == nil {
				got = <-secondDone
			}
			first := <-firstDone

			if first.Status != http.StatusOK || !isDownload(first) {
				t.Errorf("first export %s: %s %q, want 200 and a file", tt.first, first, first.Header.Get("Content-Type"))
			}
			if strings.HasSuffix(strings.SplitN(tt.first, "?", 2)[0], ".zip") && len(readInvoiceZip(t, first)) == 0 {
				t.Errorf("first export %s: an empty ZIP", tt.first)
			}
			if got.Status != tt.want {
				t.Errorf("second export %s: %s, want %d", tt.second, got, tt.want)
			}
			if tt.message != "" && !strings.Contains(got.Text("main"), tt.message) {
				t.Errorf("second export %s says %q, want %q", tt.second, got.Text("main"), tt.message)
			}
			if again := b.Get(tt.second); again.Status != http.StatusOK || !isDownload(again) {
				t.Errorf("export after the first ended %s: %s, want 200", tt.second, again)
			}
		})
	}
}

// TestPrintoutsAndExportsGoBehindPageViews: the calls of printouts, the ZIP and every CSV
// export reach the client marked bulk, so they wait behind page views; a page view's are not.
// Every call names the customer (so customers take turns) and the viewer's language.
func TestPrintoutsAndExportsGoBehindPageViews(t *testing.T) {
	env, spy := newSpiedEnv(t, nil)
	inv := findInvoices(t, env, "Customer/Number eq 'C-1001' and DocumentDate ge "+invoiceDate(-300)+"Z")[0]
	var cust struct {
		Value []struct {
			ID string `json:"Id"`
		} `json:"value"`
	}
	env.API(t, "Crm_Sales_Customers?$select=Id&$filter="+url.QueryEscape("Number eq 'C-1001'"), &cust)
	customer := cust.Value[0].ID
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	if p := b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/profile"}}); p.Status != http.StatusOK {
		t.Fatalf("choosing bg: %s", p)
	}
	tests := []struct {
		path string
		bulk bool
	}{
		// Page views first, while their data is not cached.
		{"/cc/orders", false},
		{"/cc/invoices", false},
		{"/cc/invoices/" + inv.ID, false},
		{"/cc/invoices/" + inv.ID + "/pdf", true},
		{"/cc/invoices/" + inv.ID + "/pdf?download=1", true},
		{"/cc/invoices.zip?from=" + invoiceDate(-20) + "&to=" + invoiceDate(0), true},
		{"/cc/invoices.csv", true},
		{"/cc/orders.csv", true},
		// Payment History's export reads through the cache: it comes before its page. Due
		// Payments' reads the listing the home page has cached, so it makes no call to check.
		{"/cc/payments.csv", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			spy.reset()
			if p := b.Get(tt.path); p.Status != http.StatusOK {
				t.Fatalf("%s: %s", tt.path, p)
			}
			calls := spy.taken()
			if len(calls) == 0 {
				t.Fatalf("%s made no Erp.Net call", tt.path)
			}
			forCustomer := 0
			for _, c := range calls {
				if c.bulk != tt.bulk || c.culture != "bg" || c.fairKey == "" {
					t.Errorf("%s: call %s went bulk=%v culture=%q fair key=%q, want bulk=%v culture=bg and a fair key",
						tt.path, c.path, c.bulk, c.culture, c.fairKey, tt.bulk)
				}
				if c.fairKey == customer {
					forCustomer++
				}
			}
			if forCustomer == 0 {
				t.Errorf("%s: no call took its turn as the customer %s", tt.path, customer)
			}
		})
	}
}

func isDownload(p *testenv.Page) bool {
	return strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment")
}

// spiedCall is a Domain API call as it left the portal's client, with its context's marks.
type spiedCall struct {
	path, fairKey, culture string
	bulk                   bool
}

// upstreamSpy sits between the portal's Erp.Net client and the simulator: it notes every
// Domain API call with the marks of its context and, while held, keeps bulk calls waiting.
type upstreamSpy struct {
	next    http.RoundTripper
	arrived chan string // a held bulk call, as it arrives

	mu    sync.Mutex
	calls []spiedCall
	hold  chan struct{} // closed to let held calls go; nil when not holding
}

func (s *upstreamSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/api/domain/odata/") {
		ctx := r.Context()
		c := spiedCall{path: r.URL.Path, fairKey: erpnet.FairKey(ctx), culture: erpnet.Culture(ctx), bulk: erpnet.IsBulk(ctx)}
		s.mu.Lock()
		s.calls = append(s.calls, c)
		hold := s.hold
		s.mu.Unlock()
		if c.bulk && hold != nil {
			s.arrived <- c.path
			select {
			case <-hold:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return s.next.RoundTrip(r)
}

// holdBulk keeps every bulk call waiting until the returned release is called.
func (s *upstreamSpy) holdBulk() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hold := make(chan struct{})
	s.hold = hold
	return sync.OnceFunc(func() {
		s.mu.Lock()
		s.hold = nil
		s.mu.Unlock()
		close(hold)
	})
}

func (s *upstreamSpy) reset() { s.mu.Lock(); s.calls = nil; s.mu.Unlock() }

func (s *upstreamSpy) taken() []spiedCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]spiedCall(nil), s.calls...)
}

// newSpiedEnv is testenv.New with the portal's Erp.Net client sending through a spy, on a
// clock that stands still, so nothing cached expires during the test.
func newSpiedEnv(t *testing.T, configure func(*config.Config)) (*testenv.Env, *upstreamSpy) {
	t.Helper()
	clk := clock.NewFake(invoiceDay)
	sim := erpnetsim.New(erpnetsim.Options{Now: clk.Now})
	simSrv := httptest.NewServer(sim)
	t.Cleanup(simSrv.Close)
	portalSrv := httptest.NewUnstartedServer(nil)
	t.Cleanup(portalSrv.Close)
	cfg := testenv.NewConfig(simSrv.URL, "http://"+portalSrv.Listener.Addr().String(), nil)
	if configure != nil {
		configure(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	spy := &upstreamSpy{next: http.DefaultTransport, arrived: make(chan string, 1024)}
	e := cfg.ErpNet
	client, err := erpnet.NewClient(context.Background(), erpnet.Config{InstanceURL: e.InstanceURL, ClientID: e.ClientID,
		ClientSecret: e.ClientSecret.Value(), Scopes: e.Scopes, MaxConcurrent: e.MaxConcurrent, RequestsPerMinute: e.RequestsPerMinute,
		Timeout: e.Timeout, MaxRetries: e.MaxRetries, Now: clk.Now, HTTPClient: &http.Client{Transport: spy}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.NewServer(server.Deps{Config: cfg, Logger: zap.NewNop(), ERP: client, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	portalSrv.Config.Handler = srv
	portalSrv.Start()
	return &testenv.Env{Sim: sim, SimURL: simSrv.URL, PortalURL: portalSrv.URL, Server: srv, Config: cfg}, spy
}
