package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestEveryForeignDocumentIs404 requests every document of another customer by id, on every
// route that takes one, as the main customer's Owner: each answer is 404, the same as no document.
func TestEveryForeignDocumentIs404(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	b.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	foreign := func(set, filter string) []string {
		var rows idRows
		env.API(t, set+"?$select=Id&$filter="+url.QueryEscape(filter), &rows)
		if len(rows.Value) == 0 {
			t.Fatalf("no %s of the other customer", set)
		}
		ids := make([]string, len(rows.Value))
		for i, r := range rows.Value {
			ids[i] = r.ID
		}
		return ids
	}
	other := "Customer/Number eq '" + erpnetsim.SecondCustomerNumber + "'"
	checks := []struct {
		ids   []string
		paths []string // %s is the id
		post  []string
	}{
		{foreign("Crm_Sales_SalesOrders", other), []string{"/cc/orders/%s"}, []string{"/cc/orders/%s/cancel"}},
		{foreign("Crm_Invoicing_Invoices", other), []string{"/cc/invoices/%s", "/cc/invoices/%s/pdf", "/cc/invoices/%s/pdf?download=1"}, nil},
		{foreign("Crm_Sales_CustomerExternalAccess", other), []string{"/cc/users/%s/edit", "/cc/users/%s/delete"}, []string{"/cc/users/%s", "/cc/users/%s/delete"}},
		{foreign("Systems_Core_ObjectFiles", "AccessPermission eq 'Internal'"), []string{"/cc/profile/files/%s"}, nil},
	}
	writes := env.Sim.WriteCalls()
	n := 0
	for _, c := range checks {
		for _, id := range c.ids {
			for _, p := range c.paths {
				n++
				if page := b.Get(sprintf(p, id)); page.Status != http.StatusNotFound {
					t.Errorf("GET %s: %d, want 404", sprintf(p, id), page.Status)
				}
			}
			for _, p := range c.post {
				n++
				if page := b.Post(sprintf(p, id), url.Values{"role": {"L10"}, "days_back": {""}, "notes": {"x"}}); page.Status != http.StatusNotFound {
					t.Errorf("POST %s: %d, want 404", sprintf(p, id), page.Status)
				}
			}
		}
	}
	if got := env.Sim.WriteCalls() - writes; got != 0 {
		t.Errorf("the sweep made %d writes to Erp.Net", got)
	}
	t.Logf("%d requests for another customer's documents, all 404", n)
}

func sprintf(pattern, id string) string { return strings.ReplaceAll(pattern, "%s", id) }
