package erpnet

import (
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
}

// Error formats the error with its call, code and status, but without Info.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("erpnet: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Code != 0 {
		b.WriteString("error ")
		b.WriteString(strconv.Itoa(e.Code))
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

// errorBody is Erp.Net's error envelope. Code is raw because OData allows it as a string too.
type errorBody struct {
	Error struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Info    string          `json:"info"`
	} `json:"error"`
}

// maxInfo bounds how much of a foreign (non-Erp.Net) error body is kept for the log.
const maxInfo = 512

// decodeError turns a non-2xx answer into an *Error, reading Erp.Net's error shape when present.
func decodeError(op string, status int, body []byte) *Error {
	e := &Error{Op: op, Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil && (eb.Error.Message != "" || len(eb.Error.Code) > 0) {
		e.Code = parseCode(eb.Error.Code)
		e.Message = eb.Error.Message
		e.Info = eb.Error.Info
	} else {
		e.Info = strings.TrimSpace(string(body[:min(len(body), maxInfo)]))
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
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
