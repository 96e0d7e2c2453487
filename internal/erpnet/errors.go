package erpnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// Erp.Net business error codes the portal reacts to.
const (
	// CodeDuplicate is Erp.Net's "Prohibited duplication in table ..." error.
	CodeDuplicate = 2129
)

// ErrUnavailable marks every failure to reach Erp.Net at all: refused connections, resets, DNS
// failures and instances that have not answered auto-discovery yet. Test it with IsUnavailable.
var ErrUnavailable = errors.New("erpnet: Erp.Net is not reachable")

// Error is an error answered by Erp.Net: an HTTP status with, when the body had Erp.Net's error
// shape, its code and messages.
type Error struct {
	// Op names the call, e.g. "GET Crm_Sales_SalesOrders".
	Op string
	// Status is the HTTP status code.
	Status int
	// Code is Erp.Net's error code (2129 for a duplicate), 0 when the body had none.
	Code int
	// Message is Erp.Net's localized message. It is safe to show to a person.
	Message string
	// Info is Erp.Net's diagnostic text (or the start of a body that was not Erp.Net's error
	// shape). It may hold internals: log it, never show it.
	Info string
	// Type is the server's exception type, e.g. "NotSupportedException" for errors of code 0,
	// or Erp.Net's business exception. Like Info, it is for the log.
	Type string
	// MessageFormat and Parameters are Message before its parameters were filled in, for
	// callers that translate messages themselves; parameters are kept as text (JSON for
	// non-strings).
	MessageFormat string
	Parameters    []string
}

// Error formats the error with its call, code and status, but without Info.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("erpnet: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	switch {
	case e.Code != 0:
		b.WriteString("error ")
		b.WriteString(strconv.Itoa(e.Code))
		b.WriteString(": ")
	case e.Type != "":
		// Errors without a code are told apart by their exception (the short name suffices).
		b.WriteString(e.Type[strings.LastIndexByte(e.Type, '.')+1:])
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	b.WriteString(" (HTTP ")
	b.WriteString(strconv.Itoa(e.Status))
	b.WriteString(")")
	return b.String()
}

// IsNotFound reports whether err says the entity does not exist (HTTP 404).
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// IsDuplicate reports whether err is Erp.Net's duplicate-key error (code 2129).
func IsDuplicate(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeDuplicate
}

// IsRateLimited reports whether Erp.Net refused the call for exceeding its request limits
// (HTTP 429), after the client's own retries.
func IsRateLimited(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusTooManyRequests
}

// IsUnavailable reports whether err means "Erp.Net is not reachable": a network failure, a
// timeout, or a 502/503/504 from the instance or a proxy in front of it. The caller's own
// cancellation (context.Canceled) is not unavailability.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var e *Error
	if errors.As(err, &e) {
		switch e.Status {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// errorFields are the fields of Erp.Net's error object, every one optional. Code is raw because
// it comes as a number or a string.
type errorFields struct {
	Code          json.RawMessage   `json:"code"`
	Message       string            `json:"message"`
	Type          string            `json:"type"`
	Info          string            `json:"info"`
	MessageFormat string            `json:"messageFormat"`
	Parameters    []json.RawMessage `json:"parameters"`
}

// empty reports whether none of the fields that make an error object were present.
func (f errorFields) empty() bool {
	return len(f.Code) == 0 && f.Message == "" && f.Type == "" && f.Info == "" && f.MessageFormat == ""
}

// maxInfo bounds how much of a foreign (non-Erp.Net) error body is kept for the log.
const maxInfo = 512

// decodeError turns a non-2xx answer into an *Error. Erp.Net documents two shapes, both read:
// wrapped, {"error":{"code","message","type","info","messageFormat","parameters"}} (what the
// server was seen to answer), and the same fields at the top level.
func decodeError(op string, status int, body []byte) *Error {
	e := &Error{Op: op, Status: status}
	if f, ok := parseErrorBody(body); ok {
		e.Code = parseCode(f.Code)
		e.Message, e.Info, e.Type, e.MessageFormat = f.Message, f.Info, f.Type, f.MessageFormat
		for _, p := range f.Parameters {
			e.Parameters = append(e.Parameters, paramText(p))
		}
	} else {
		e.Info = strings.TrimSpace(string(body[:min(len(body), maxInfo)]))
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// parseErrorBody finds the error object in either documented shape. An "error" that is a string
// (OAuth2's {"error":"invalid_client"}) is not Erp.Net's shape.
func parseErrorBody(body []byte) (errorFields, bool) {
	var top struct {
		errorFields
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &top) != nil {
		return errorFields{}, false
	}
	if raw := bytes.TrimSpace(top.Error); len(raw) > 0 && raw[0] == '{' {
		var f errorFields
		if json.Unmarshal(raw, &f) == nil && !f.empty() {
			return f, true
		}
		return errorFields{}, false
	}
	if len(top.Error) == 0 && !top.errorFields.empty() {
		return top.errorFields, true
	}
	return errorFields{}, false
}

// paramText is a message parameter as text: a string as is, anything else as its JSON.
func paramText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// parseCode reads an error code sent as a number or as a numeric string; anything else is 0.
func parseCode(raw json.RawMessage) int {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// unavailable wraps a transport failure so that IsUnavailable recognises it.
func unavailable(op string, err error) error {
	return fmt.Errorf("erpnet: %s: %w: %w", op, ErrUnavailable, err)
}

// transportError reports a failed exchange: the context's own end when that caused it (a
// deadline counts as unavailability, a cancellation does not), otherwise unavailability.
func transportError(ctx context.Context, op string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("erpnet: %s: %w", op, ctxErr)
	}
	return unavailable(op, err)
}
