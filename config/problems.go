package config

import (
	"fmt"
	"strings"
)

// Problem is one wrong setting: the full key path as written in the file and what is wrong.
type Problem struct {
	Key     string
	Message string
}

// String renders the problem as "key: message".
func (p Problem) String() string {
	if p.Key == "" {
		return p.Message
	}
	return p.Key + ": " + p.Message
}

// Problems is every wrong setting found at once, so that a person fixes a file in one pass.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// add records a problem; it keeps call sites short.
func (ps *Problems) add(key, format string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
}

// err returns the problems as an error, or nil when there are none.
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// CodeNotParsed is the vendor's error code for settings that cannot be read (CC008).
const CodeNotParsed = "CC008"

// CodeNoEnterpriseCompany is the vendor's error code for a Client Center without an
// enterprise company (CC005).
const CodeNoEnterpriseCompany = "CC005"

// MsgNoEnterpriseCompany is the vendor's text for CC005, kept so tenants can look it up.
const MsgNoEnterpriseCompany = "The Client Center is not setup correctly - Enterprise Company is not set in the definition of the web site."

// ParseError is a settings file that is not well-formed YAML, located by file and line.
type ParseError struct {
	File string
	// Line is 1-based; 0 when the parser did not say.
	Line    int
	Message string
}

// Error renders "file:line: message (CC008: the settings do not parse)".
func (e *ParseError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return fmt.Sprintf("%s: %s (%s: the settings do not parse)", loc, e.Message, CodeNotParsed)
}
