package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestCheckConfigOnlineNewOrderSetup(t *testing.T) {
	erp := simURL(t)
	tests := []struct {
		name     string
		extra    []string
		wantCode int
		want     []string
	}{
		{"new order off: nothing to check", nil, 0, []string{"config.yaml: ok"}},
		{"known sales order type", []string{"    is_new_order_enabled: true", "    new_order_document_type: SO"}, 0, []string{"config.yaml: ok"}},
		{"unknown type", []string{"    is_new_order_enabled: true", "    new_order_document_type: NOPE"}, 2,
			[]string{`instances[0].new_order_document_type: CC009: the order document type "NOPE" is not a document type of sales orders`}},
		{"type of invoices", []string{"    is_new_order_enabled: true", "    new_order_document_type: INV"}, 2,
			[]string{"instances[0].new_order_document_type: CC009"}},
		{"unknown channel and store", []string{"    is_new_order_enabled: true", "    new_order_document_type: SO",
			"    site_channel: SHOP", "    default_store: NOWHERE"}, 2, []string{
			`instances[0].site_channel: the distribution channel "SHOP" is not known`,
			`instances[0].default_store: the store "NOWHERE" is not known`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeSettings(t, settingsYAML(erp, tt.extra...))
			code, stdout, stderr := run(t, "check-config", "-config", path, "-online")
			stdout = strings.ReplaceAll(stdout, path, "config.yaml")
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
		})
	}
}

// TestCheckConfigOnlineTriesEveryPage: against the simulator, which is at least as strict as
// the documentation, every query shape of the pages is answered; the write probe prices a test
// order and saves nothing.
func TestCheckConfigOnlineTriesEveryPage(t *testing.T) {
	sim := erpnetsim.New(erpnetsim.Options{ClientSecret: testSecret})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	path := writeSettings(t, settingsYAML(srv.URL, "    is_new_order_enabled: true", "    new_order_document_type: SO"))
	before := orderCount(t, sim)
	code, stdout, stderr := run(t, "check-config", "-config", path, "-online", "-write-probe")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"Erp.Net " + erpnetsim.Version, " refused\n", "0 refused", "was priced", "nothing was saved"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	// The probe writes only inside a transaction it rolls back: no order is left.
	if after := orderCount(t, sim); after != before {
		t.Errorf("orders: %s before the probe, %s after", before, after)
	}
	if got := sim.OpenTransactions(); got != 0 {
		t.Errorf("%d transactions left open", got)
	}
	t.Logf("check-config -online -write-probe:\n%s", stdout)
}

// orderCount is the number of sales orders the simulator holds, read through its oracle.
func orderCount(t *testing.T, sim *erpnetsim.Sim) string {
	t.Helper()
	rec := httptest.NewRecorder()
	sim.Oracle().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/domain/odata/Crm_Sales_SalesOrders/$count", nil))
	return rec.Body.String()
}

// TestCheckConfigOnlineReportsWhatTheServerRefuses: a server that does not have a set the pages
// use (here Finance_Payments_PaymentBalances, renamed in 25.1.2.86) is reported with the page
// that would break and Erp.Net's message.
func TestCheckConfigOnlineReportsWhatTheServerRefuses(t *testing.T) {
	sim := erpnetsim.New(erpnetsim.Options{ClientSecret: testSecret})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "Finance_Payments_PaymentBalances") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"error":{"code":0,"message":"The entity set 'Finance_Payments_PaymentBalances' is not found.","type":"System.NotSupportedException"}}`))
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	path := writeSettings(t, settingsYAML(srv.URL))
	code, stdout, _ := run(t, "check-config", "-config", path, "-online")
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	for _, want := range []string{"page Due Payments", "Finance_Payments_PaymentBalances' is not found"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}
