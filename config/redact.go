package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Redacted lists every setting as "key: value", in file order, with secrets shown only as
// "set" or "unset". It is the form settings may take in logs and command output.
func (c *Config) Redacted() []string {
	var lines []string
	walk("", reflect.ValueOf(*c), func(key string, v reflect.Value) {
		lines = append(lines, key+": "+formatValue(v))
	})
	return lines
}

// String is the redacted settings, one per line, so that printing a Config cannot leak a secret.
func (c *Config) String() string { return strings.Join(c.Redacted(), "\n") }

// Secrets lists only the secret settings as "key: set|unset".
func (c *Config) Secrets() []string {
	var lines []string
	walk("", reflect.ValueOf(*c), func(key string, v reflect.Value) {
		if v.Type() == reflect.TypeFor[Secret]() {
			lines = append(lines, key+": "+formatValue(v))
		}
	})
	return lines
}

// walk calls fn for every leaf setting below v, named by its full key path as in the file
// (erpnet.client_id, instances[1].relative_url). Structs and lists of structs are descended;
// everything else is a leaf.
func walk(prefix string, v reflect.Value, fn func(key string, v reflect.Value)) {
	switch {
	case v.Kind() == reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("mapstructure"), ",")
			if name == "" || name == "-" {
				continue
			}
			walk(joinKey(prefix, name), v.Field(i), fn)
		}
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		for i := range v.Len() {
			walk(prefix+"["+strconv.Itoa(i)+"]", v.Index(i), fn)
		}
	default:
		fn(prefix, v)
	}
}

func joinKey(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// formatValue writes a leaf the way it would be written in the settings file.
func formatValue(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case Secret:
		return x.String()
	case time.Duration:
		return FormatDuration(x)
	case string:
		return strconv.Quote(x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case map[string][]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + formatValue(reflect.ValueOf(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(x)
	}
}

// FormatDuration writes d as it would be written in the file: 30m rather than 30m0s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
