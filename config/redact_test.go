package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSecretsNeverPrinted(t *testing.T) {
	c, err := Load(writeFile(t, render(t, baseSettings())))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	asJSON, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	views := map[string]string{
		"Redacted": strings.Join(c.Redacted(), "\n"),
		"String":   c.String(),
		"%v":       fmt.Sprintf("%v", *c),
		"%+v":      fmt.Sprintf("%+v", c.Session),
		"%#v":      fmt.Sprintf("%#v", c.ErpNet),
		"json":     string(asJSON),
	}
	for name, text := range views {
		for _, secret := range []string{testHashKey, testBlockKey, "s3cr3t-value"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s view shows a secret value %q", name, secret)
			}
		}
	}
}

func TestRedactedShowsSetOrUnset(t *testing.T) {
	c := Defaults()
	c.Session.HashKey = "something"
	c.Instances = []Instance{DefaultInstance()}
	got := c.Redacted()
	for _, want := range []string{
		"session.hash_key: set",
		"session.block_key: unset",
		"erpnet.client_secret: unset",
		`listen: "127.0.0.1:8080"`,
		"session.idle_timeout: 30m",
		"session.absolute_timeout: 12h",
		`erpnet.scopes: ["read", "update"]`,
		`instances[0].relative_url: "cc"`,
		"instances[0].is_orders_enabled: true",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("Redacted() lacks %q; got\n%s", want, strings.Join(got, "\n"))
		}
	}
	wantSecrets := []string{"session.hash_key: set", "session.block_key: unset", "erpnet.client_secret: unset", "cache.redis.url: unset", "metrics.token: unset"}
	if gotSecrets := c.Secrets(); !reflect.DeepEqual(gotSecrets, wantSecrets) {
		t.Errorf("Secrets() = %q, want %q", gotSecrets, wantSecrets)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{15 * time.Second, "15s"},
		{30 * time.Minute, "30m"},
		{12 * time.Hour, "12h"},
		{90 * time.Minute, "1h30m"},
		{90 * time.Second, "1m30s"},
		{0, "0s"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
