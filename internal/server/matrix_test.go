package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/server"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// routeRule is what a route needs: the lowest role that opens it ("" for routes without a
// session). Every registered route must have a rule, so a new route cannot skip this sweep.
var routeRules = map[string]string{
	"GET /healthz": "", "GET /readyz": "", "GET /": "",
	"GET /metrics":      "token", // the operator's bearer token, never a person's session
	"GET /static/*file": "", "HEAD /static/*file": "",
	"GET /auth/login": "", "GET /auth/callback": "", "POST /auth/logout": "", "GET /auth/signed-out": "",
	"GET /{cc}":                          "", // redirects to /{cc}/
	"POST /{cc}/customer":                "L10",
	"POST /{cc}/lang":                    "", // a signed-out page may switch language too
	"GET /{cc}/":                         "L10",
	"GET /{cc}/profile":                  "L10",
	"GET /{cc}/profile/files/:id":        "L40",
	"GET /{cc}/orders":                   "L20",
	"GET /{cc}/orders.csv":               "L20",
	"POST /{cc}/orders/columns":          "L20",
	"GET /{cc}/orders/:id":               "L20",
	"GET /{cc}/orders/:id/cancel":        "L20",
	"GET /{cc}/orders/:id/pdf":           "L30",
	"GET /{cc}/orders/:id/files/:file":   "L20",
	"GET /{cc}/logo":                     "",
	"GET /{cc}/brand.css":                "",
	"POST /{cc}/orders/:id/cancel":       "L20",
	"GET /{cc}/orders/new":               "L20",
	"GET /{cc}/products/:id":             "L20",
	"GET /{cc}/products/:id/picture":     "L20",
	"POST /{cc}/orders/new":              "L20",
	"GET /{cc}/invoices":                 "L40",
	"GET /{cc}/invoices.csv":             "L40",
	"GET /{cc}/invoices.zip":             "L40",
	"POST /{cc}/invoices/columns":        "L40",
	"GET /{cc}/invoices/:id":             "L40",
	"GET /{cc}/invoices/:id/pdf":         "L40",
	"GET /{cc}/invoices/:id/files/:file": "L40",
	"GET /{cc}/due-payments":             "L40",
	"GET /{cc}/due-payments.csv":         "L40",
	"POST /{cc}/due-payments/columns":    "L40",
	"GET /{cc}/due-payments/pay":         "L40",
	"GET /{cc}/statement":                "L40",
	"GET /{cc}/statement.csv":            "L40",
	"GET /{cc}/statement.pdf":            "L40",
	"POST /{cc}/orders/:id/messages":     "L20",
	"POST /{cc}/invoices/:id/messages":   "L40",
	"GET /{cc}/payments":                 "L40",
	"GET /{cc}/payments.csv":             "L40",
	"GET /{cc}/payments/:id":             "L40",
	"POST /{cc}/payments/columns":        "L40",
	"GET /{cc}/users":                    "L80",
	"POST /{cc}/users":                   "L80",
	"GET /{cc}/users/:id/edit":           "L80",
	"POST /{cc}/users/:id":               "L80",
	"GET /{cc}/users/:id/delete":         "L80",
	"POST /{cc}/users/:id/delete":        "L80",
}

// offRoutes are routes of a feature the instance leaves off: 404 for everybody signed in.
var offRoutes = map[string]bool{"cc GET /{cc}/orders/new": true, "cc POST /{cc}/orders/new": true,
	"cc GET /{cc}/products/:id": true, "cc GET /{cc}/products/:id/picture": true}

var roleUsers = []struct{ level, login string }{
	{"L10", "basic@orbis.example"}, {"L20", "orders@orbis.example"}, {"L30", "prices@orbis.example"},
	{"L40", "billing@orbis.example"}, {"L80", "admin@orbis.example"}, {"L90", "owner@orbis.example"},
}

// TestEveryRouteEveryRole walks every registered route of two instances (New Order off and on)
// as every role and signed out: a role below the rule gets 403, a signed-out GET is sent to
// sign in, a signed-out POST is refused, and nobody allowed meets 403 or a server error.
func TestEveryRouteEveryRole(t *testing.T) {
	t.Parallel()
	b2b := testenv.Instance("b2b")
	b2b.IsNewOrderEnabled, b2b.NewOrderDocumentType = true, "SO"
	env := testenv.New(t, testenv.Options{Instances: []config.Instance{testenv.Instance("cc"), b2b}, Quiet: true})
	ids := map[string]string{
		"orders":   orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'Completed'").Value[0].ID,
		"invoices": apiID(t, env, "Crm_Invoicing_Invoices", "Customer/Number eq 'C-1001'"),
		// Another customer's access record: the POSTs of the sweep must not remove a real user of it.
		"users": apiID(t, env, "Crm_Sales_CustomerExternalAccess", "User/Login eq 'mueller@orbis.example'"),
		"files": findFileID(t, env, "External"),
		// Any payment will do: the sweep checks the role gate, not whose it is.
		"payments": apiID(t, env, "Finance_Payments_PaymentTransactions", "Direction eq 'Incoming'"),
		"products": apiID(t, env, "General_Products_Products", "Active eq true"),
	}
	browsers := map[string]*testenv.Browser{"": env.NewBrowser(t)}
	for _, u := range roleUsers {
		browsers[u.level], _ = env.SignIn(t, "cc", u.login)
	}
	for _, b := range browsers {
		b.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	levels := []string{"", "L10", "L20", "L30", "L40", "L80", "L90"}
	seen := 0
	// GETs first: however often and by whoever, a GET never changes anything in Erp.Net.
	routes := env.Server.Routes()
	slices.SortStableFunc(routes, func(a, b server.Route) int { return strings.Compare(a.Method, b.Method) })
	writesBefore := env.Sim.WriteCalls()
	getsDone := false
	for _, r := range routes {
		if r.Method != http.MethodGet && !getsDone {
			getsDone = true
			if w := env.Sim.WriteCalls(); w != writesBefore {
				t.Errorf("GET requests made %d writes to Erp.Net", w-writesBefore)
			}
		}
		for _, inst := range []string{"cc", "b2b"} {
			pattern := r.Path
			if !strings.HasPrefix(pattern, "/"+inst+"/") && pattern != "/"+inst {
				if strings.HasPrefix(pattern, "/cc") || strings.HasPrefix(pattern, "/b2b") || inst == "b2b" {
					continue
				}
			}
			key := r.Method + " " + strings.Replace(pattern, "/"+inst, "/{cc}", 1)
			if key == "POST /auth/logout" {
				continue // it would end the sessions the sweep uses; the browser test signs out
			}
			rule, ok := routeRules[key]
			if off := offRoutes[inst+" "+key]; off {
				rule = "off"
			}
			if !ok {
				t.Errorf("route %s has no rule in routeRules", key)
				continue
			}
			seen++
			path := fillIDs(pattern, ids)
			for _, level := range levels {
				b := browsers[level]
				var p *testenv.Page
				if r.Method == http.MethodPost {
					p = b.Post(path, url.Values{})
				} else {
					p = b.Get(path)
				}
				check(t, r.Method, path, rule, level, p)
			}
		}
	}
	if seen < 20 {
		t.Errorf("only %d routes walked", seen)
	}
}

func check(t *testing.T, method, path, rule, level string, p *testenv.Page) {
	t.Helper()
	who := level
	if who == "" {
		who = "signed out"
	}
	switch {
	case p.Status >= 500 && p.Status != http.StatusServiceUnavailable:
		t.Errorf("%s %s as %s: %d", method, path, who, p.Status)
	case rule == "off" && level != "":
		if p.Status != http.StatusNotFound {
			t.Errorf("%s %s as %s: %d, want 404 (the feature is off)", method, path, who, p.Status)
		}
	case rule == "off":
	case rule == "token":
		if p.Status != http.StatusForbidden && p.Status != http.StatusUnauthorized {
			t.Errorf("%s %s as %s: %d, want 401/403 without the metrics token", method, path, who, p.Status)
		}
	case rule == "":
		if p.Status == http.StatusForbidden {
			t.Errorf("%s %s as %s: 403 on a public route", method, path, who)
		}
	case level == "" && method == http.MethodGet:
		if p.Status != http.StatusFound || !strings.HasPrefix(p.Header.Get("Location"), "/auth/login") {
			t.Errorf("%s %s signed out: %d → %q, want a redirect to sign in", method, path, p.Status, p.Header.Get("Location"))
		}
	case level == "":
		if p.Status != http.StatusUnauthorized {
			t.Errorf("%s %s signed out: %d, want 401", method, path, p.Status)
		}
	case level < rule:
		if p.Status != http.StatusForbidden {
			t.Errorf("%s %s as %s: %d, want 403 (needs %s)", method, path, who, p.Status, rule)
		}
	default:
		if p.Status == http.StatusForbidden || p.Status == http.StatusUnauthorized {
			t.Errorf("%s %s as %s: %d, want it open (needs %s)", method, path, who, p.Status, rule)
		}
	}
}

func fillIDs(pattern string, ids map[string]string) string {
	for _, part := range []string{"orders", "invoices", "users", "files", "payments", "products"} {
		pattern = strings.Replace(pattern, "/"+part+"/:id", "/"+part+"/"+ids[part], 1)
	}
	return strings.Replace(pattern, "/files/:file", "/files/"+ids["files"], 1)
}

func apiID(t *testing.T, env *testenv.Env, set, filter string) string {
	t.Helper()
	var rows idRows
	env.API(t, set+"?$top=1&$select=Id&$filter="+url.QueryEscape(filter), &rows)
	if len(rows.Value) == 0 {
		t.Fatalf("no %s for %s", set, filter)
	}
	return rows.Value[0].ID
}
