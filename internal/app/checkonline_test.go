package app

import (
	"strings"
	"testing"
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
