package config

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// examplePath is the documented settings template at the top of the repository.
const examplePath = "../config.example.yaml"

func TestExampleLoadsWithSecretsFromEnvironment(t *testing.T) {
	t.Setenv("CLIENTCENTER_SESSION_HASH_KEY", testHashKey)
	t.Setenv("CLIENTCENTER_SESSION_BLOCK_KEY", testBlockKey)
	t.Setenv("CLIENTCENTER_ERPNET_CLIENT_SECRET", "from-env")
	c, err := Load(examplePath)
	if err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	// The example's values are the defaults, so it also documents them.
	d := Defaults()
	if c.Listen != d.Listen || c.Session.IdleTimeout != d.Session.IdleTimeout ||
		!reflect.DeepEqual(c.ErpNet.Scopes, d.ErpNet.Scopes) || c.Cache != d.Cache {
		t.Errorf("the example's global values differ from Defaults()")
	}
	if len(c.Instances) != 2 || c.Instances[1].RelativeURL != "b2b" || !c.Instances[1].IsNewOrderEnabled {
		t.Errorf("instances = %+v, want main and b2b with New Order on", c.Instances)
	}
}

func TestExampleDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	// Every key of the schema, with one instance, must be written out in the example.
	c := Defaults()
	c.Instances = []Instance{DefaultInstance()}
	var keys []string
	walk("", reflect.ValueOf(c), func(key string, _ reflect.Value) { keys = append(keys, key) })
	for _, key := range keys {
		if keyLine(root.Content[0], key) == 0 {
			t.Errorf("config.example.yaml does not document %s", key)
		}
	}
	if !slices.Contains(keys, "instances[0].default_columns") || !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, "cache.ttl.") }) {
		t.Errorf("the key walk missed nested keys: %v", keys)
	}
}
