package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadAppliesDefaults(t *testing.T) {
	m := baseSettings()
	m["instances"] = []any{
		map[string]any{"name": "main", "enterprise_company": "Orbis Trading"},
		map[string]any{
			"name": "b2b", "relative_url": "b2b", "title": "B2B Orders", "enterprise_company": "Orbis Trading",
			"is_new_order_enabled": true, "new_order_document_type": "SO", "is_orders_enabled": false,
			"languages": []any{"bg"},
		},
	}
	c, err := Load(writeFile(t, render(t, m)))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	tests := []struct {
		name      string
		got, want any
	}{
		{"listen", c.Listen, "127.0.0.1:8080"},
		{"session.idle_timeout", c.Session.IdleTimeout, 30 * time.Minute},
		{"session.absolute_timeout", c.Session.AbsoluteTimeout, 12 * time.Hour},
		{"log.level", c.Log.Level, "info"},
		{"log.format", c.Log.Format, "json"},
		{"erpnet.scopes", c.ErpNet.Scopes, []string{"read", "update"}},
		{"erpnet.max_concurrent", c.ErpNet.MaxConcurrent, 1},
		{"erpnet.requests_per_minute", c.ErpNet.RequestsPerMinute, 600},
		{"erpnet.timeout", c.ErpNet.Timeout, 15 * time.Second},
		{"erpnet.max_retries", c.ErpNet.MaxRetries, 3},
		{"cache.ttl.access", c.Cache.TTL.Access, 15 * time.Second},
		{"cache.ttl.documents", c.Cache.TTL.Documents, 60 * time.Second},
		{"cache.ttl.lists", c.Cache.TTL.Lists, 60 * time.Second},
		{"cache.ttl.reference", c.Cache.TTL.Reference, 10 * time.Minute},
		{"cache.ttl.counts", c.Cache.TTL.Counts, 5 * time.Minute},
		{"cache.max_stale", c.Cache.MaxStale, 24 * time.Hour},
		{"cache.max_entries", c.Cache.MaxEntries, 50000},
		{"cache.access_grace", c.Cache.AccessGrace, 2 * time.Minute},
		{"session.remember", c.Session.Remember, false},
		// The first instance sets nothing but its name and company: every default applies.
		{"instances[0].relative_url", c.Instances[0].RelativeURL, "cc"},
		{"instances[0].title", c.Instances[0].Title, "main"},
		{"instances[0].languages", c.Instances[0].Languages, []string{"en", "bg"}},
		{"instances[0].is_new_order_enabled", c.Instances[0].IsNewOrderEnabled, false},
		{"instances[0].is_orders_enabled", c.Instances[0].IsOrdersEnabled, true},
		{"instances[0].site_channel", c.Instances[0].SiteChannel, "CC"},
		// The second overrides defaults, including turning a true default off.
		{"instances[1].relative_url", c.Instances[1].RelativeURL, "b2b"},
		{"instances[1].title", c.Instances[1].Title, "B2B Orders"},
		{"instances[1].languages", c.Instances[1].Languages, []string{"bg"}},
		{"instances[1].is_new_order_enabled", c.Instances[1].IsNewOrderEnabled, true},
		{"instances[1].new_order_document_type", c.Instances[1].NewOrderDocumentType, "SO"},
		{"instances[1].is_orders_enabled", c.Instances[1].IsOrdersEnabled, false},
		{"instances[1].site_channel", c.Instances[1].SiteChannel, "CC"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}
}

func TestLoadEnvironmentOverrides(t *testing.T) {
	m := baseSettings()
	set(m, "erpnet.client_secret", nil)
	set(m, "session.hash_key", nil)
	path := writeFile(t, render(t, m))
	t.Setenv("CLIENTCENTER_ERPNET_CLIENT_SECRET", "from-env")
	t.Setenv("CLIENTCENTER_SESSION_HASH_KEY", testHashKey)
	t.Setenv("CLIENTCENTER_LISTEN", "0.0.0.0:9000")
	t.Setenv("CLIENTCENTER_CACHE_TTL_ACCESS", "5s")
	t.Setenv("CLIENTCENTER_ERPNET_SCOPES", "read,update,DomainApi")
	t.Setenv("CLIENTCENTER_ERPNET_INSTANCE_URL", "https://other.example.com/")

	c, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"erpnet.client_secret", c.ErpNet.ClientSecret.Value(), "from-env"},
		{"session.hash_key", c.Session.HashKey.Value(), testHashKey},
		{"listen", c.Listen, "0.0.0.0:9000"},
		{"cache.ttl.access", c.Cache.TTL.Access, 5 * time.Second},
		{"erpnet.scopes", c.ErpNet.Scopes, []string{"read", "update", "DomainApi"}},
		{"erpnet.instance_url", c.ErpNet.InstanceURL, "https://other.example.com"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}
}

func TestLoadParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantLine int
		wantText string
	}{
		{"bad indentation", "listen: a\n  b: c\n", 2, "config.yaml:2: mapping values are not allowed in this context (CC008"},
		{"tab indentation", "listen: a\nlog:\n\tlevel: info\n", 3, "config.yaml:3: found character that cannot start any token (CC008"},
		{"duplicate key", "listen: a\nlog:\n  level: info\nlisten: b\n", 4, `config.yaml:4: mapping key "listen" already defined at line 1 (CC008`},
		{"not a mapping", "- a\n- b\n", 1, "config.yaml:1: the settings must be a mapping of keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, []byte(tt.content))
			_, err := Load(path)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %T %v, want *ParseError", err, err)
			}
			if pe.Line != tt.wantLine {
				t.Errorf("line = %d, want %d (%v)", pe.Line, tt.wantLine, err)
			}
			// Messages name the file as given, so a person can open it at the line.
			got := strings.Replace(err.Error(), path, "config.yaml", 1)
			if !strings.HasPrefix(got, tt.wantText) || !strings.Contains(got, CodeNotParsed) {
				t.Errorf("error = %q, want prefix %q and %s", got, tt.wantText, CodeNotParsed)
			}
		})
	}
}

func TestLoadUnknownKeysNamedByPathAndLine(t *testing.T) {
	content := strings.Join([]string{
		"public_url: https://portal.example.com", // line 1
		"colour: red",
		"session:",
		"  hash_key: " + testHashKey,
		"  block_key: " + testBlockKey, // line 5
		"  lifetime: 1h",
		"erpnet:",
		"  instance_url: https://erp.example.com",
		"  client_id: app",
		"  client_secret: x", // line 10
		"cache:",
		"  ttl:",
		"    products: 1m",
		"instances:",
		"  - name: main", // line 15
		"    enterprise_company: Orbis Trading",
		"  - name: b2b",
		"    relative_url: b2b",
		"    enterprise_company: Orbis Trading",
		"    hide_prices: true", // line 20
		"",
	}, "\n")
	_, err := Load(writeFile(t, []byte(content)))
	got := problemLines(t, err)
	want := []string{
		"session.lifetime: unknown key (line 6)",
		"cache.ttl.products: unknown key (line 13)",
		"instances[1].hide_prices: unknown key (line 20)",
		"colour: unknown key (line 2)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(t.TempDir() + "/absent.yaml")
	if err == nil || !strings.Contains(err.Error(), "absent.yaml") {
		t.Errorf("error = %v, want one naming the file", err)
	}
}
