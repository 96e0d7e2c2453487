package app

import (
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap/zapcore"

	"github.com/clientcenter/clientcenter/config"
)

func TestServeAnswersHealthzAndStopsOnCancel(t *testing.T) {
	path := writeSettings(t, settingsYAML(simURL(t)))
	r := start(t, "serve", "-config", path)

	addr := r.m.Addr()
	if !strings.HasPrefix(addr, "127.0.0.1:") || strings.HasSuffix(addr, ":0") {
		t.Fatalf("Addr() = %q, want the bound loopback address", addr)
	}
	status, body := get(t, "http://"+addr+"/healthz")
	if status != http.StatusOK || body != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\"", status, body)
	}

	if err := r.stop(t); err != nil {
		t.Errorf("Run after cancel = %v, want nil (a clean stop)", err)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Errorf("the portal still answers after stopping")
	}
	logs := r.stderr.String()
	if !strings.Contains(logs, `"msg":"serving"`) || !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("log lacks the serving and stopped entries:\n%s", logs)
	}
	if !strings.Contains(logs, "erpnet.client_secret: set") {
		t.Errorf("log does not say which secrets are set:\n%s", logs)
	}
	assertNoSecrets(t, "the log", logs)
}

func TestServeRefusesInvalidSettings(t *testing.T) {
	path := writeSettings(t, settingsYAML("http://127.0.0.1:1", "    relative_url: healthz"))
	code, _, stderr := run(t, "serve", "-config", path)
	if code != ExitInvalid {
		t.Errorf("exit code = %d, want %d", code, ExitInvalid)
	}
	if !strings.Contains(stderr, `instances[0].relative_url: "healthz" is reserved`) {
		t.Errorf("stderr does not name the problem:\n%s", stderr)
	}
}

func TestReloaderAppliesNewSettings(t *testing.T) {
	load := func(content string) *config.Config {
		c, err := config.Load(writeSettings(t, content))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	erp := simURL(t)
	first := load(settingsYAML(erp))
	second := load(strings.Replace(settingsYAML(erp), "level: info", "level: debug", 1))

	var logs syncBuffer
	logger, level, err := NewLogger(first.Log, &logs)
	if err != nil {
		t.Fatal(err)
	}
	old := http.NewServeMux()
	h := newSwapHandler(old)
	r := &reloader{cur: first, handler: h, level: level, logger: logger}
	r.apply(second)

	if got := level.Level(); got != zapcore.DebugLevel {
		t.Errorf("log level after reload = %v, want debug", got)
	}
	if *h.h.Load() == http.Handler(old) {
		t.Errorf("the portal handler was not replaced")
	}
	if r.cur != second {
		t.Errorf("the reloader did not keep the new settings")
	}
	if !strings.Contains(logs.String(), "settings reloaded") {
		t.Errorf("log lacks the reload entry:\n%s", logs.String())
	}
}
