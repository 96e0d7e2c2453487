package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestLoadReportsEveryProblem(t *testing.T) {
	inst := func(kv ...any) map[string]any {
		m := map[string]any{"name": "main", "enterprise_company": "Orbis Trading"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
				continue
			}
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name   string
		change func(m map[string]any)
		want   []string
	}{
		{
			name:   "valid",
			change: func(map[string]any) {},
			want:   nil,
		},
		{
			name: "relative url used twice",
			change: func(m map[string]any) {
				m["instances"] = []any{inst(), inst("name", "second")}
			},
			want: []string{`instances[1].relative_url: "cc" is already used by instances[0]`},
		},
		{
			name: "name used twice and missing",
			change: func(m map[string]any) {
				m["instances"] = []any{inst(), inst("relative_url", "x"), inst("relative_url", "y", "name", nil)}
			},
			want: []string{
				`instances[1].name: "main" is already used by instances[0]`,
				`instances[2].name: is required`,
			},
		},
		{
			name: "enterprise company missing is CC005",
			change: func(m map[string]any) {
				m["instances"] = []any{inst("enterprise_company", nil)}
			},
			want: []string{"instances[0].enterprise_company: CC005: " + MsgNoEnterpriseCompany + " (set the enterprise company's Id or its company's name)"},
		},
		{
			name: "new order without document type",
			change: func(m map[string]any) {
				m["instances"] = []any{inst("is_new_order_enabled", true)}
			},
			want: []string{"instances[0].new_order_document_type: is required when is_new_order_enabled is true (the Id or code of a SalesOrders document type; CC009)"},
		},
		{
			name: "document type without new order",
			change: func(m map[string]any) {
				m["instances"] = []any{inst("new_order_document_type", "SO")}
			},
			want: []string{"instances[0].is_new_order_enabled: is false while new_order_document_type is set: set both for New Order, or neither (CC009)"},
		},
		{
			name: "relative url shape and reserved paths",
			change: func(m map[string]any) {
				m["instances"] = []any{
					inst("relative_url", "Shop"), inst("name", "b", "relative_url", "healthz"),
					inst("name", "c", "relative_url", "-x"), inst("name", "d", "relative_url", "static"),
				}
			},
			want: []string{
				`instances[0].relative_url: "Shop" must be lower-case letters, digits and dashes, starting with a letter or digit`,
				`instances[1].relative_url: "healthz" is reserved (one of [healthz readyz metrics static auth])`,
				`instances[2].relative_url: "-x" must be lower-case letters, digits and dashes, starting with a letter or digit`,
				`instances[3].relative_url: "static" is reserved (one of [healthz readyz metrics static auth])`,
			},
		},
		{
			name: "instance lists",
			change: func(m map[string]any) {
				m["instances"] = []any{inst(
					"languages", []any{"en", "de", "en"},
					"order_document_types", []any{"SO", ""},
					"invoice_document_types", []any{"INV", "INV"},
					"availability_max", -1,
					"site_channel", " ",
					"default_columns", map[string]any{"orders": []any{"number", "number"}},
				)}
			},
			want: []string{
				`instances[0].languages[1]: "de" is not one of [en bg]`,
				`instances[0].languages[2]: "en" repeats instances[0].languages[0]`,
				`instances[0].order_document_types[1]: must not be empty`,
				`instances[0].invoice_document_types[1]: "INV" repeats instances[0].invoice_document_types[0]`,
				`instances[0].site_channel: must not be empty (the distribution channel code, e.g. CC)`,
				`instances[0].availability_max: must not be negative, got -1`,
				`instances[0].default_columns[orders][1]: "number" repeats instances[0].default_columns[orders][0]`,
			},
		},
		{
			name:   "no instances",
			change: func(m map[string]any) { delete(m, "instances") },
			want:   []string{"instances: at least one instance is required"},
		},
		{
			name: "urls and listen",
			change: func(m map[string]any) {
				m["listen"] = "8080"
				m["public_url"] = "portal.example.com"
				set(m, "erpnet.instance_url", "https://user:pw@erp.example.com")
			},
			want: []string{
				`listen: "8080" is not host:port (e.g. 127.0.0.1:8080)`,
				`public_url: "portal.example.com" must start with http:// or https://`,
				`erpnet.instance_url: must not contain a user name or password`,
			},
		},
		{
			name: "session keys",
			change: func(m map[string]any) {
				set(m, "session.hash_key", "abcd")
				set(m, "session.block_key", nil)
			},
			want: []string{
				"session.hash_key: decodes to 2 bytes, want 32 (generate one with: openssl rand -base64 32)",
				"session.block_key: is required",
			},
		},
		{
			name: "session keys equal, timeouts inverted",
			change: func(m map[string]any) {
				set(m, "session.block_key", testHashKey)
				set(m, "session.idle_timeout", "13h")
			},
			want: []string{
				"session.block_key: must differ from session.hash_key",
				"session.idle_timeout: 13h is longer than session.absolute_timeout (12h)",
			},
		},
		{
			name: "log, erpnet and cache values",
			change: func(m map[string]any) {
				m["log"] = map[string]any{"level": "verbose", "format": "text"}
				set(m, "erpnet.client_id", nil)
				set(m, "erpnet.client_secret", nil)
				set(m, "erpnet.scopes", []any{"update", "write"})
				set(m, "erpnet.max_concurrent", 0)
				set(m, "erpnet.max_retries", -1)
				set(m, "cache.ttl.access", "0s")
				set(m, "cache.max_entries", 0)
				set(m, "cache.access_grace", "24h")
			},
			want: []string{
				`log.level: "verbose" is not one of [debug info warn error]`,
				`log.format: "text" is not one of [json console]`,
				"erpnet.client_id: is required (the trusted application's ApplicationUri)",
				"erpnet.client_secret: is required",
				`erpnet.scopes[1]: "write" is not one of [read update DomainApi openid profile offline_access]`,
				"erpnet.scopes: must include read",
				"erpnet.max_concurrent: must be at least 1, got 0",
				"erpnet.max_retries: must not be negative, got -1",
				"cache.ttl.access: must be longer than 0, got 0s",
				"cache.access_grace: must be from 0 to 1h, got 24h",
				"cache.max_entries: must be at least 1, got 0",
			},
		},
		{
			name: "wrong types are reported once, by key",
			change: func(m map[string]any) {
				set(m, "erpnet.timeout", "soon")
				set(m, "erpnet.max_retries", "many")
				m["instances"] = []any{inst("hide_lines", "maybe"), "b2b"}
			},
			want: []string{
				"erpnet.timeout: not a duration; write it like 15s, 10m or 12h",
				`erpnet.max_retries: expected a whole number, got "many"`,
				`instances[0].hide_lines: expected true or false, got "maybe"`,
				"instances[1]: expected a mapping of keys",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := baseSettings()
			tt.change(m)
			c, err := Load(writeFile(t, render(t, m)))
			if tt.want == nil {
				if err != nil || c == nil {
					t.Fatalf("Load = %v, %v; want settings", c, err)
				}
				return
			}
			if c != nil {
				t.Errorf("Load returned settings along with problems")
			}
			got := problemLines(t, err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestValidateBuiltSettings(t *testing.T) {
	// Settings built in code (as the demo does) pass the same checks as a file.
	c := Defaults()
	c.PublicURL = "http://127.0.0.1:8080"
	c.Session.HashKey, c.Session.BlockKey = Secret(testHashKey), Secret(testBlockKey)
	c.ErpNet.InstanceURL, c.ErpNet.ClientID, c.ErpNet.ClientSecret = "http://127.0.0.1:8090", "app", "secret"
	in := DefaultInstance()
	in.Name, in.EnterpriseCompany = "cc", "Orbis Trading"
	c.Instances = []Instance{in}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	c.Instances = append(c.Instances, in)
	err := c.Validate()
	got := problemLines(t, err)
	want := []string{
		`instances[1].name: "cc" is already used by instances[0]`,
		`instances[1].relative_url: "cc" is already used by instances[0]`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
}

func TestEnterpriseCompanyID(t *testing.T) {
	tests := []struct {
		setting string
		wantID  string
		wantOK  bool
	}{
		{"0b3a4c8e-6f0d-4a55-9d3e-2f0a1b2c3d4e", "0b3a4c8e-6f0d-4a55-9d3e-2f0a1b2c3d4e", true},
		{"Orbis Trading", "00000000-0000-0000-0000-000000000000", false},
		{"ORB", "00000000-0000-0000-0000-000000000000", false},
	}
	for _, tt := range tests {
		id, ok := Instance{EnterpriseCompany: tt.setting}.EnterpriseCompanyID()
		if id.String() != tt.wantID || ok != tt.wantOK {
			t.Errorf("EnterpriseCompanyID(%q) = %s, %v; want %s, %v", tt.setting, id, ok, tt.wantID, tt.wantOK)
		}
	}
}
