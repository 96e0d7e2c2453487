package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The deployment examples name settings and environment variables of their own: each must be
// one the settings have, and each settings file in them must load.
func TestDeployExamplesNameOnlyRealSettings(t *testing.T) {
	envKeys := map[string]bool{}
	c := Defaults()
	walk("", reflect.ValueOf(c), func(key string, _ reflect.Value) {
		envKeys[EnvPrefix+"_"+strings.ToUpper(strings.NewReplacer(".", "_").Replace(key))] = true
	})
	if !envKeys["CLIENTCENTER_CACHE_REDIS_URL"] || !envKeys["CLIENTCENTER_LISTEN"] {
		t.Fatalf("the key walk misses settings: %v", envKeys)
	}
	env := regexp.MustCompile(`\bCLIENTCENTER_[A-Z0-9_]+`)
	var settings []string // settings files the examples hold
	for _, file := range []string{"../deploy/compose.yaml", "../deploy/kubernetes.yaml", "../deploy/config.yaml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		names := env.FindAllString(string(data), -1)
		if file != "../deploy/config.yaml" && len(names) == 0 {
			t.Errorf("%s names no environment variable", file)
		}
		for _, name := range names {
			if !envKeys[name] {
				t.Errorf("%s: %s is not a setting (no key of the settings is spelt so)", file, name)
			}
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				break
			}
			if file == "../deploy/config.yaml" {
				settings = append(settings, string(data))
			}
			if d, ok := doc["data"].(map[string]any); ok && doc["kind"] == "ConfigMap" {
				settings = append(settings, d["config.yaml"].(string))
			}
			if svcs, ok := doc["services"].(map[string]any); ok {
				for name, s := range svcs {
					envs, _ := s.(map[string]any)["environment"].(map[string]any)
					for k := range envs {
						if !envKeys[k] {
							t.Errorf("compose service %s sets %s, which is not a setting", name, k)
						}
					}
				}
			}
		}
	}
	if len(settings) != 2 {
		t.Fatalf("found %d settings files in the examples, want 2 (deploy/config.yaml and the ConfigMap)", len(settings))
	}
	t.Setenv("CLIENTCENTER_SESSION_HASH_KEY", testHashKey)
	t.Setenv("CLIENTCENTER_SESSION_BLOCK_KEY", testBlockKey)
	t.Setenv("CLIENTCENTER_ERPNET_CLIENT_SECRET", "from-env")
	t.Setenv("CLIENTCENTER_CACHE_REDIS_URL", "redis://127.0.0.1:6379/0")
	for i, s := range settings {
		cfg, err := Parse("deploy example", []byte(s))
		if err != nil {
			t.Errorf("settings %d of the examples do not load: %v", i+1, err)
			continue
		}
		if cfg.Cache.Redis.URL.Value() != "redis://127.0.0.1:6379/0" {
			t.Errorf("settings %d: cache.redis.url from the environment = %q", i+1, cfg.Cache.Redis.URL.Value())
		}
	}
}
