package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"
)

// decodeProblems turns mapstructure's error tree into one Problem per wrong key. Unknown keys
// are located by line in the file, since they can only come from it.
func decodeProblems(err error, root *yaml.Node) Problems {
	var ps Problems
	var visit func(error)
	visit = func(e error) {
		if multi, ok := e.(interface{ Unwrap() []error }); ok {
			for _, inner := range multi.Unwrap() {
				visit(inner)
			}
			return
		}
		de, ok := e.(*mapstructure.DecodeError)
		if !ok {
			if inner := errors.Unwrap(e); inner != nil {
				visit(inner)
				return
			}
			ps.add("", "%s", e.Error())
			return
		}
		inner := de.Unwrap()
		if unused, ok := strings.CutPrefix(inner.Error(), "has invalid keys: "); ok {
			for _, k := range strings.Split(unused, ", ") {
				key := joinKey(de.Name(), k)
				msg := "unknown key"
				if n := keyLine(root, key); n > 0 {
					msg += fmt.Sprintf(" (line %d)", n)
				}
				ps.add(key, "%s", msg)
			}
			return
		}
		ps.add(de.Name(), "%s", typeMessage(inner))
	}
	visit(err)
	return ps
}

// typeMessage says in a person's words which kind of value a key wants.
func typeMessage(err error) string {
	var want reflect.Type
	var got any
	var pe *mapstructure.ParseError
	var ue *mapstructure.UnconvertibleTypeError
	switch {
	case errors.As(err, &pe):
		want, got = pe.Expected.Type(), pe.Value
	case errors.As(err, &ue):
		want, got = ue.Expected.Type(), ue.Value
	case strings.HasPrefix(err.Error(), "time: "):
		return "not a duration; write it like 15s, 10m or 12h"
	case strings.HasPrefix(err.Error(), "expected a map or struct"):
		return "expected a mapping of keys"
	default:
		return err.Error()
	}
	return fmt.Sprintf("expected %s, got %s", describeType(want), describeValue(got))
}

func describeType(t reflect.Type) string {
	if t == reflect.TypeFor[time.Duration]() {
		return "a duration such as 15s, 10m or 12h"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping of keys"
	}
	return t.String()
}

func describeValue(v any) string {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map:
		return "a mapping"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return strconv.Quote(fmt.Sprint(v))
}

// keyLine finds the line of key (a path such as instances[1].colour or
// instances[0].default_columns[orders]) in the YAML tree; 0 when it is not there.
func keyLine(root *yaml.Node, key string) int {
	node, line := root, 0
	for _, step := range splitKey(key) {
		if node == nil {
			return 0
		}
		switch node.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(node.Content); i += 2 {
				if strings.EqualFold(node.Content[i].Value, step) {
					line, next = node.Content[i].Line, node.Content[i+1]
					break
				}
			}
			node = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(node.Content) {
				return 0
			}
			node = node.Content[i]
			line = node.Line
		default:
			return 0
		}
	}
	if node == nil {
		return 0
	}
	return line
}

// splitKey splits "a.b[1].c[x]" into a, b, 1, c, x.
func splitKey(key string) []string {
	f := func(r rune) bool { return r == '.' || r == '[' || r == ']' }
	return strings.FieldsFunc(key, f)
}
