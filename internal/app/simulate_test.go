package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestSimulatePrintsURLsAndSignIns(t *testing.T) {
	r := start(t, "simulate", "-addr", "127.0.0.1:0")
	base := "http://" + r.m.Addr()
	if status, _ := get(t, base+"/sys/auto-discovery"); status != http.StatusOK {
		t.Errorf("GET /sys/auto-discovery = %d, want 200", status)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}

	out := r.stdout.String()
	want := []string{
		base + "/id\n",
		base + "/api/domain/odata/\n",
		base + "/sys/auto-discovery\n",
		base + "/_sim/faults\n",
		"client id cc-demo, secret cc-demo-secret (demo only)",
		`Demo sign-ins (password "demo"):`,
	}
	for _, u := range erpnetsim.New(erpnetsim.Options{}).DemoUsers() {
		customer := u.Customer
		if customer == "" {
			customer = "-"
		}
		want = append(want, u.Login, u.Role+"  ", customer)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestSimulateFlagsReachTheSimulator(t *testing.T) {
	tests := []struct {
		args       []string
		wantStatus int
	}{
		{nil, http.StatusOK},
		{[]string{"-outage"}, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			r := start(t, append([]string{"simulate", "-addr", "127.0.0.1:0"}, tt.args...)...)
			if status, _ := get(t, "http://"+r.m.Addr()+"/sys/auto-discovery"); status != tt.wantStatus {
				t.Errorf("GET /sys/auto-discovery = %d, want %d", status, tt.wantStatus)
			}
		})
	}
}

func TestSimulateRefusesBadErrorRate(t *testing.T) {
	code, _, stderr := run(t, "simulate", "-addr", "127.0.0.1:0", "-error-rate", "1.5")
	if code != ExitInvalid || !strings.Contains(stderr, "-error-rate 1.5 is not between 0 and 1") {
		t.Errorf("simulate -error-rate 1.5 = %d, %q; want 2 and the reason", code, stderr)
	}
}
