package erpnet

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Literal is a value in a $filter expression, formatted by one of the constructors below (Str,
// GUID, Date, ...) or by a Ref. Only these constructors format literals, so every value that came
// from a person is escaped in exactly one place.
type Literal interface {
	// literal is the OData text of the value, or why it cannot be formatted.
	literal() (string, error)
}

// lit is a formatted literal, or the reason it could not be.
type lit struct {
	text string
	err  error
}

func (l lit) literal() (string, error) { return l.text, l.err }

// Str is a string literal: single-quoted, with every single quote inside written twice.
func Str(s string) Literal {
	return lit{text: quote(s)}
}

func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// GUID is an entity id, validated and written bare in canonical lower case, as Erp.Net compares
// ids: `Id eq 59098bcf-...` or `Id in (g1,g2)`.
func GUID(id string) Literal {
	u, err := parseID(id)
	if err != nil {
		return lit{err: err}
	}
	return lit{text: u}
}

// parseID validates an entity id and returns its canonical form.
func parseID(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return "", fmt.Errorf("erpnet: invalid id %q", id)
	}
	return u.String(), nil
}

// Date is a calendar date, written bare with a Z as Erp.Net expects (`2026-01-01Z`). The date is
// taken as it reads in t's own location, so a local midnight stays the same day.
func Date(t time.Time) Literal {
	return lit{text: t.Format("2006-01-02") + "Z"}
}

// DateTime is an instant, written bare in UTC (`2026-01-01T10:00:00Z`).
func DateTime(t time.Time) Literal {
	return lit{text: t.UTC().Format(time.RFC3339Nano)}
}

// Enum is an enumeration member, quoted as Erp.Net compares enums (`State ge 'Released'`). The
// member must be a plain identifier.
func Enum(v string) Literal {
	if !isIdent(v) {
		return lit{err: fmt.Errorf("erpnet: invalid enum member %q", v)}
	}
	return lit{text: quote(v)}
}

// Int is an integer literal.
func Int(n int64) Literal { return lit{text: strconv.FormatInt(n, 10)} }

// Decimal is a decimal literal in plain notation (no exponent); NaN and infinities are refused.
func Decimal(f float64) Literal {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return lit{err: errors.New("erpnet: decimal literal is not a finite number")}
	}
	return lit{text: strconv.FormatFloat(f, 'f', -1, 64)}
}

// Bool is a boolean literal.
func Bool(b bool) Literal { return lit{text: strconv.FormatBool(b)} }

// isIdent tells whether s is one OData identifier, [A-Za-z_][A-Za-z0-9_]*: an entity set,
// property, enum member or action name. (A loop, not a regular expression: every query built
// checks each of its paths, on every page view.)
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '_':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// isPath tells whether s is a property path: identifiers separated by single slashes.
func isPath(s string) bool {
	for {
		i := strings.IndexByte(s, '/')
		if i < 0 {
			return isIdent(s)
		}
		if !isIdent(s[:i]) {
			return false
		}
		s = s[i+1:]
	}
}

// checkPath refuses anything but a property path. A bad path is a programming error, but it is
// reported as an error rather than a panic, because queries are also built in background
// goroutines (cache refreshes) where a panic would stop the process.
func checkPath(path string) error {
	if !isPath(path) {
		return fmt.Errorf("erpnet: invalid property path %q", path)
	}
	return nil
}

func checkIdent(what, name string) error {
	if !isIdent(name) {
		return fmt.Errorf("erpnet: invalid %s %q", what, name)
	}
	return nil
}
