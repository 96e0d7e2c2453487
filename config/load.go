package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// EnvPrefix starts every environment override: erpnet.client_secret is read from
// CLIENTCENTER_ERPNET_CLIENT_SECRET. Keys inside instances cannot be overridden this way.
const EnvPrefix = "CLIENTCENTER"

// Load reads the YAML settings file at path, applies defaults and CLIENTCENTER_* environment
// overrides, and validates the result. A file that is not well-formed YAML gives a *ParseError
// (CC008); otherwise every unknown key, wrong type and invalid value is returned at once as
// Problems.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load for settings already in memory; name is used in messages as the file name.
func Parse(name string, data []byte) (*Config, error) {
	root, err := parseYAML(name, data)
	if err != nil {
		return nil, err
	}
	v := viper.New()
	v.SetConfigType("yaml")
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	setDefaults(v)
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, &ParseError{File: name, Message: err.Error()}
	}

	c := Defaults()
	// Each list item starts from DefaultInstance: mapstructure decodes onto the existing
	// elements, so keys an item leaves out keep their defaults.
	n := 0
	switch items := v.Get("instances").(type) {
	case []any:
		n = len(items)
	case map[string]any:
		n = 1
	}
	for range n {
		c.Instances = append(c.Instances, DefaultInstance())
	}

	var ps Problems
	if err := v.Unmarshal(&c, func(dc *mapstructure.DecoderConfig) { dc.ErrorUnused = true }); err != nil {
		ps = decodeProblems(err, root)
	}
	fillDerived(&c)
	ps = append(ps, unlessReported(c.validate(), ps)...)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// parseYAML checks that data is well-formed YAML holding a mapping, and returns its tree so
// that problems can be located by line.
func parseYAML(name string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	// Decoding into a map also catches duplicate keys, which a bare tree allows.
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		if len(doc.Content) > 0 && doc.Content[0].Kind != yaml.MappingNode {
			return nil, &ParseError{File: name, Line: doc.Content[0].Line, Message: "the settings must be a mapping of keys (key: value)"}
		}
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// yamlError turns the YAML parser's errors into ParseErrors naming file and line.
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		errs := make([]error, len(te.Errors))
		for i, msg := range te.Errors {
			errs[i] = lineError(name, msg)
		}
		return errors.Join(errs...)
	}
	return lineError(name, strings.TrimPrefix(err.Error(), "yaml: "))
}

// lineError splits "line 12: message" into a ParseError.
func lineError(name, msg string) *ParseError {
	pe := &ParseError{File: name, Message: msg}
	var line int
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		num, text, found := strings.Cut(rest, ": ")
		if _, err := fmt.Sscanf(num, "%d", &line); err == nil && found {
			pe.Line, pe.Message = line, text
		}
	}
	return pe
}

// unlessReported drops validation problems for keys (or parts of keys) that already failed to
// decode: their value is only a leftover default and would be reported twice.
func unlessReported(more, already Problems) Problems {
	var out Problems
	for _, p := range more {
		if !slices.ContainsFunc(already, func(a Problem) bool { return within(p.Key, a.Key) }) {
			out = append(out, p)
		}
	}
	return out
}

// within reports whether key is outer or lies inside it (outer.x, outer[1]).
func within(key, outer string) bool {
	if outer == "" || !strings.HasPrefix(key, outer) {
		return false
	}
	rest := key[len(outer):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}
