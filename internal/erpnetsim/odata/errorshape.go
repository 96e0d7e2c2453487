package odata

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// TopLevelErrors rewrites Erp.Net's wrapped error bodies, {"error":{...}}, into the top-level
// form {"message",...} that the docs also show, so clients are tested against both. Other
// answers pass through untouched.
type TopLevelErrors struct {
	http.ResponseWriter
	status int
	buf    *bytes.Buffer // the error body held back until finish; nil while passing through
}

// WriteHeader holds back the body of a JSON error answer.
func (t *TopLevelErrors) WriteHeader(status int) {
	if t.status != 0 {
		return
	}
	t.status = status
	if status >= 400 && strings.HasPrefix(t.Header().Get("Content-Type"), "application/json") {
		t.buf = new(bytes.Buffer)
		return
	}
	t.ResponseWriter.WriteHeader(status)
}

// Write passes the body on, or holds it back for an error.
func (t *TopLevelErrors) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.WriteHeader(http.StatusOK)
	}
	if t.buf != nil {
		return t.buf.Write(b)
	}
	return t.ResponseWriter.Write(b)
}

// Finish writes a held-back error body, unwrapped when it had the wrapped form; the answer is
// complete only after it.
func (t *TopLevelErrors) Finish() {
	if t.buf == nil {
		return
	}
	body := t.buf.Bytes()
	var wrapped struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &wrapped) == nil && bytes.HasPrefix(bytes.TrimSpace(wrapped.Error), []byte("{")) {
		body = append(bytes.TrimSpace(wrapped.Error), '\n')
	}
	t.Header().Set("Content-Length", strconv.Itoa(len(body)))
	t.ResponseWriter.WriteHeader(t.status)
	_, _ = t.ResponseWriter.Write(body)
}

// writeErrorTyped writes Erp.Net's error body with an exception type of choice; errors outside
// the business rules carry code 0 and a .NET exception name.
func writeErrorTyped(w http.ResponseWriter, status, code int, typ, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": code, "message": msg, "type": typ, "messageFormat": msg, "parameters": []string{}}})
}
