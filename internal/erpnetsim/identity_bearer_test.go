package erpnetsim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestDomainAPIChecksBearerToken(t *testing.T) {
	// Both instances claim the same URL, so only the signing key tells their tokens apart.
	const sharedBaseURL = "http://erp.example"
	tests := []struct {
		name       string
		faults     erpnetsim.Faults
		token      func(t *testing.T, base string) string
		advance    time.Duration
		wantStatus int
	}{
		{"valid application token", erpnetsim.Faults{}, appToken, 0, http.StatusOK},
		{"no token", erpnetsim.Faults{}, func(*testing.T, string) string { return "" }, 0, http.StatusUnauthorized},
		{"garbage", erpnetsim.Faults{}, func(*testing.T, string) string { return "abc.def.ghi" }, 0, http.StatusUnauthorized},
		{"token one second before expiry", erpnetsim.Faults{}, appToken, time.Hour - time.Second, http.StatusOK},
		{"expired token", erpnetsim.Faults{}, appToken, time.Hour, http.StatusUnauthorized},
		{"short token lifetime knob", erpnetsim.Faults{TokenLifetime: 30 * time.Second}, appToken, 30 * time.Second, http.StatusUnauthorized},
		{"another instance's token", erpnetsim.Faults{}, func(t *testing.T, _ string) string {
			other, _ := startSim(t, erpnetsim.Options{BaseURL: sharedBaseURL}) // same issuer, its own key
			return appToken(t, other.URL)
		}, 0, http.StatusUnauthorized},
		{"ID token", erpnetsim.Faults{}, func(t *testing.T, base string) string {
			_, body := exchangeCode(t, base, signInCode(t, newBrowser(t), base, authorizeURL(base, nil), "basic@orbis.example"))
			return body["id_token"].(string)
		}, 0, http.StatusUnauthorized},
		{"user token without an API scope", erpnetsim.Faults{}, func(t *testing.T, base string) string {
			_, body := exchangeCode(t, base, signInCode(t, newBrowser(t), base, authorizeURL(base, nil), "basic@orbis.example"))
			return body["access_token"].(string)
		}, 0, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			srv, _ := startSim(t, erpnetsim.Options{BaseURL: sharedBaseURL, Now: clock.Now, Faults: tt.faults})
			token := tt.token(t, srv.URL)
			clock.Advance(tt.advance)
			resp := apiGet(t, srv.URL, "GetVersion", token)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("got %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus != http.StatusUnauthorized {
				return
			}
			if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, `Bearer error="invalid_token"`) {
				t.Errorf("got WWW-Authenticate %q, want Bearer error=\"invalid_token\"", got)
			}
			var body struct{ Error string }
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Error != "invalid_token" {
				t.Errorf("got body %+v (%v), want error invalid_token", body, err)
			}
		})
	}
}

func TestTokenLifetimeKnobSetsExpiresIn(t *testing.T) {
	srv, sim := startSim(t, erpnetsim.Options{})
	tests := []struct {
		name     string
		lifetime time.Duration
		want     float64
	}{
		{"default", 0, 3600},
		{"knob", 90 * time.Second, 90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim.SetFaults(erpnetsim.Faults{TokenLifetime: tt.lifetime})
			_, body := postToken(t, srv.URL, url.Values{"grant_type": {"client_credentials"}}, false)
			if got := body["expires_in"]; got != tt.want {
				t.Errorf("got expires_in %v, want %v", got, tt.want)
			}
		})
	}
}
