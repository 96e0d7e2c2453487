package app

import (
	"context"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
)

func TestCheckConfig(t *testing.T) {
	const erp = "http://erp.example.com"
	tests := []struct {
		name       string
		content    string // "" means no file at all
		args       []string
		online     OnlineCheck
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{
			name:     "valid",
			content:  settingsYAML(erp),
			wantCode: 0,
			wantStdout: []string{
				"config.yaml: ok",
				"secrets: session.hash_key: set, session.block_key: set, erpnet.client_secret: set",
				`main  /cc/  "Client Center"  enterprise company "Orbis Trading"  orders on, new order off  languages en,bg`,
			},
		},
		{
			name: "every problem listed",
			content: settingsYAML(erp,
				"  - name: main",
				"    is_new_order_enabled: true",
				"    colour: blue",
			),
			wantCode: 2,
			wantStdout: []string{
				"config.yaml: not ok",
				"  instances[1].colour: unknown key (line 19)",
				`  instances[1].name: "main" is already used by instances[0]`,
				`  instances[1].relative_url: "cc" is already used by instances[0]`,
				"  instances[1].enterprise_company: CC005: " + config.MsgNoEnterpriseCompany,
				"  instances[1].new_order_document_type: is required when is_new_order_enabled is true",
			},
		},
		{
			name:       "does not parse",
			content:    "listen: a\n  b: c\n",
			wantCode:   2,
			wantStdout: []string{"config.yaml:2: mapping values are not allowed in this context (CC008"},
		},
		{
			name:       "missing file",
			wantCode:   2,
			wantStdout: []string{"config.yaml: not ok", "no such file"},
		},
		{
			name:       "online without a check",
			content:    settingsYAML(erp),
			args:       []string{"-online"},
			wantCode:   1,
			wantStderr: "-online: checks against Erp.Net are not available",
		},
		{
			name:    "online check finds a problem",
			content: settingsYAML(erp),
			args:    []string{"-online"},
			online: func(_ context.Context, c *config.Config, _ OnlineOptions) config.Problems {
				return config.Problems{{Key: "instances[0].new_order_document_type", Message: "CC009: unknown in " + c.ErpNet.InstanceURL}}
			},
			wantCode:   2,
			wantStdout: []string{"  instances[0].new_order_document_type: CC009: unknown in http://erp.example.com"},
		},
		{
			name:       "online check passes",
			content:    settingsYAML(erp),
			args:       []string{"-online"},
			online:     func(context.Context, *config.Config, OnlineOptions) config.Problems { return nil },
			wantCode:   0,
			wantStdout: []string{"config.yaml: ok"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := t.TempDir() + "/config.yaml"
			if tt.content != "" {
				path = writeSettings(t, tt.content)
			}
			var out, errOut syncBuffer
			m := NewMain(append([]string{"check-config", "-config", path}, tt.args...), &out, &errOut)
			m.CheckOnline = tt.online
			code := Report(&errOut, m.Run(t.Context()))

			stdout := strings.ReplaceAll(out.String(), path, "config.yaml")
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, errOut.String())
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if !strings.Contains(errOut.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut.String(), tt.wantStderr)
			}
			assertNoSecrets(t, "check-config output", stdout+errOut.String())
		})
	}
}
