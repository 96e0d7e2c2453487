package app

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// Values for test settings only.
var (
	testHashKey  = strings.Repeat("ab", 32)
	testBlockKey = strings.Repeat("cd", 32)
	testSecret   = "test-client-secret-xyz"
)

// simURL starts a simulated Erp.Net instance for the test and returns its URL.
func simURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(erpnetsim.New(erpnetsim.Options{ClientSecret: testSecret}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// settingsYAML is a valid settings file for an instance at erpURL; extra lines are appended.
func settingsYAML(erpURL string, extra ...string) string {
	lines := []string{
		"listen: 127.0.0.1:0",
		"public_url: http://127.0.0.1:8080",
		"session:",
		"  hash_key: " + testHashKey,
		"  block_key: " + testBlockKey,
		"log:",
		"  level: info",
		"  format: json",
		"erpnet:",
		"  instance_url: " + erpURL,
		"  client_id: " + erpnetsim.DemoClientID,
		"  client_secret: " + testSecret,
		"instances:",
		"  - name: main",
		"    title: Client Center",
		"    enterprise_company: " + erpnetsim.EnterpriseCompanyName,
	}
	return strings.Join(append(lines, extra...), "\n") + "\n"
}

// writeSettings writes content to config.yaml in a fresh directory and returns its path.
func writeSettings(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertNoSecrets fails when text shows any of the test secrets.
func assertNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{testHashKey, testBlockKey, testSecret} {
		if strings.Contains(text, s) {
			t.Errorf("%s shows a secret value %q", what, s)
		}
	}
}
