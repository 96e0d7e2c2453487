package config

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Session keys for tests only: hex and base64 spellings of 32 bytes.
var (
	testHashKey  = strings.Repeat("ab", 32)
	testBlockKey = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xcd}, 32))
)

// baseSettings is a complete, valid settings file as a map that cases change with set.
func baseSettings() map[string]any {
	return map[string]any{
		"public_url": "https://portal.example.com",
		"session":    map[string]any{"hash_key": testHashKey, "block_key": testBlockKey},
		"erpnet": map[string]any{
			"instance_url":  "https://erp.example.com",
			"client_id":     "https://portal.example.com/app",
			"client_secret": "s3cr3t-value",
		},
		"instances": []any{
			map[string]any{"name": "main", "enterprise_company": "Orbis Trading"},
		},
	}
}

// set puts value at a dotted key path, creating mappings on the way; a nil value deletes.
func set(m map[string]any, key string, value any) {
	parts := strings.Split(key, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	if value == nil {
		delete(m, parts[len(parts)-1])
		return
	}
	m[parts[len(parts)-1]] = value
}

// writeFile writes content to a fresh config.yaml and returns its path.
func writeFile(t *testing.T, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// render marshals settings to YAML.
func render(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := yaml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// problemLines returns err's problems as "key: message" strings, failing when err is not Problems.
func problemLines(t *testing.T, err error) []string {
	t.Helper()
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("error = %T %v, want Problems", err, err)
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return lines
}
