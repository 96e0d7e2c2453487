package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestDemoServesPortalAndSimulator(t *testing.T) {
	r := start(t, "demo", "-addr", "127.0.0.1:0", "-sim-addr", "127.0.0.1:0")
	portal, sim := "http://"+r.m.Addr(), "http://"+r.m.SimAddr()
	if status, body := get(t, portal+"/healthz"); status != http.StatusOK || body != "ok" {
		t.Errorf("GET portal /healthz = %d %q, want 200 \"ok\"", status, body)
	}
	if status, _ := get(t, sim+"/sys/auto-discovery"); status != http.StatusOK {
		t.Errorf("GET simulator /sys/auto-discovery = %d, want 200", status)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}

	out := r.stdout.String()
	for _, want := range []string{
		"Client Center  " + portal + "/cc/\n",
		"B2B Orders     " + portal + "/b2b/\n",
		sim + "/api/domain/odata/\n",
		`Demo sign-ins (password "demo"):`,
		"owner@orbis.example",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDemoSettings(t *testing.T) {
	a := demoSettings("127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8090")
	if err := a.Validate(); err != nil {
		t.Fatalf("built-in settings do not validate: %v", err)
	}
	b := demoSettings("127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8090")
	if a.Session.HashKey == b.Session.HashKey || a.Session.BlockKey == b.Session.BlockKey {
		t.Errorf("two runs share a session key; each run must generate its own")
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"erpnet.instance_url", a.ErpNet.InstanceURL, "http://127.0.0.1:8090"},
		{"erpnet.client_id", a.ErpNet.ClientID, erpnetsim.DemoClientID},
		{"erpnet.client_secret", a.ErpNet.ClientSecret.Value(), erpnetsim.DemoClientSecret},
		{"instances", len(a.Instances), 2},
		{"instances[0].relative_url", a.Instances[0].RelativeURL, "cc"},
		{"instances[0].is_new_order_enabled", a.Instances[0].IsNewOrderEnabled, false},
		{"instances[1].relative_url", a.Instances[1].RelativeURL, "b2b"},
		{"instances[1].title", a.Instances[1].Title, "B2B Orders"},
		{"instances[1].is_new_order_enabled", a.Instances[1].IsNewOrderEnabled, true},
		{"instances[1].new_order_document_type", a.Instances[1].NewOrderDocumentType, "SO"},
		{"instances[1].enterprise_company", a.Instances[1].EnterpriseCompany, "Orbis Trading"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
