package erpnet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Amount is a sum of money as Erp.Net sends it: {"Value":20.0,"Currency":"BGN"}, or with the
// value as a string, {"Value":"20.00","Currency":"BGN"}, as the docs' examples write it.
type Amount struct {
	Value    float64 `json:"Value"`
	Currency string  `json:"Currency"`
}

// String formats the amount with two decimals and its currency code ("1234.50 BGN"). Values are
// rounded half away from zero to the cent first, so 0.125 shows as 0.13, as people expect, and
// not as the binary float happens to lie.
func (a Amount) String() string {
	s := FormatMoney(a.Value)
	if a.Currency == "" {
		return s
	}
	return s + " " + a.Currency
}

// FormatMoney formats v with exactly two decimals, rounding to the cent half away from zero.
func FormatMoney(v float64) string {
	// The tiny nudge absorbs float noise such as 0.125 being stored as 0.12499999...
	cents := math.Round(v*100 + math.Copysign(1e-7, v))
	if cents == 0 {
		cents = 0 // no "-0.00"
	}
	return strconv.FormatFloat(cents/100, 'f', 2, 64)
}

// Quantity is an amount of a product in a unit: {"Value":1,"Unit":"pcs"}, the value also
// accepted as a string ({"Value":"1.5","Unit":"kg"}).
type Quantity struct {
	Value float64 `json:"Value"`
	Unit  string  `json:"Unit"`
}

// String formats the quantity without trailing zeros ("2.5 pcs").
func (q Quantity) String() string {
	s := strconv.FormatFloat(q.Value, 'f', -1, 64)
	if q.Unit == "" {
		return s
	}
	return s + " " + q.Unit
}

// MLString is a multi-language string keyed by language code: {"EN":"Bolt","BG":"Болт"}.
type MLString map[string]string

// In is the text in lang (e.g. "bg" or "BG"), falling back to English, then to any language
// (the first by code, so the choice is stable), then "".
func (m MLString) In(lang string) string {
	if s := m[strings.ToUpper(lang)]; s != "" {
		return s
	}
	if s := m["EN"]; s != "" {
		return s
	}
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	slices.Sort(keys)
	return m[keys[0]]
}

// String is the English text (or the fallback of In).
func (m MLString) String() string { return m.In("EN") }

// PackedText is a multi-language string in one string, for values kept long, where a map would
// be blocks of its own: each language in order of its code, as the code, "\x1f", the text,
// "\x1e". Its In is MLString's.
type PackedText string

// Packed is m as a PackedText; languages without text are left out, and a record separator in a
// text becomes a space.
func (m MLString) Packed() PackedText {
	codes := make([]string, 0, len(m))
	for k, v := range m {
		if v != "" {
			codes = append(codes, k)
		}
	}
	slices.Sort(codes)
	var b strings.Builder
	for _, k := range codes {
		b.WriteString(k + "\x1f" + strings.ReplaceAll(m[k], "\x1e", " ") + "\x1e") // a separator in a text would cut it
	}
	return PackedText(b.String())
}

// In is the text in lang, else in English, else in the first language by code, else "".
func (p PackedText) In(lang string) string {
	lang = strings.ToUpper(lang)
	var en, first string
	for rec := range strings.SplitSeq(strings.TrimSuffix(string(p), "\x1e"), "\x1e") {
		code, text, ok := strings.Cut(rec, "\x1f")
		switch {
		case !ok:
			continue
		case code == lang:
			return text
		case code == "EN":
			en = text
		case first == "":
			first = text
		}
	}
	if en != "" {
		return en
	}
	return first
}

// UnmarshalJSON reads the object form, and also a plain string (kept under ""), which a server
// asked for one culture may send.
func (m *MLString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*m = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*m = MLString{"": s}
		return nil
	}
	var raw map[string]*string
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(MLString, len(raw))
	for k, v := range raw {
		if v != nil {
			out[strings.ToUpper(k)] = *v
		}
	}
	*m = out
	return nil
}

// Ref is a reference to one entity: its entity set and id. Erp.Net sends a reference that was
// not expanded as {"@odata.id":"Crm_Sales_Customers(<guid>)"}. A Ref is also a filter Literal,
// formatted as Erp.Net compares references: 'Crm_Sales_Customers(<guid>)'. In a request body it
// is written back as {"@odata.id":"Set(guid)"}.
type Ref struct {
	Set string
	ID  string
}

// NewRef is a reference to the entity id of set.
func NewRef(set, id string) Ref { return Ref{Set: set, ID: id} }

// IsZero reports whether the reference is empty (null in Erp.Net).
func (r Ref) IsZero() bool { return r.Set == "" && r.ID == "" }

// String is the OData id, "Set(guid)", or "" for an empty reference.
func (r Ref) String() string {
	if r.IsZero() {
		return ""
	}
	return r.Set + "(" + r.ID + ")"
}

func (r Ref) literal() (string, error) {
	if err := checkIdent("entity set", r.Set); err != nil {
		return "", err
	}
	id, err := parseID(r.ID)
	if err != nil {
		return "", err
	}
	return quote(r.Set + "(" + id + ")"), nil
}

// MarshalJSON writes the reference as Erp.Net takes it in a body, or null when empty.
func (r Ref) MarshalJSON() ([]byte, error) {
	if r.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(map[string]string{"@odata.id": r.String()})
}

// UnmarshalJSON reads {"@odata.id":"Set(guid)"} (the id may also be an absolute URL), or null.
func (r *Ref) UnmarshalJSON(b []byte) error {
	var v struct {
		ID string `json:"@odata.id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.ID == "" {
		*r = Ref{}
		return nil
	}
	ref, err := ParseRef(v.ID)
	if err != nil {
		return err
	}
	*r = ref
	return nil
}

// ParseRef reads an OData id "Set(guid)", also given as an absolute URL or with a quoted key.
func ParseRef(odataID string) (Ref, error) {
	s := odataID
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	open := strings.IndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") {
		return Ref{}, fmt.Errorf("erpnet: malformed OData id %q", odataID)
	}
	id := strings.Trim(s[open+1:len(s)-1], "'")
	canon, err := parseID(id)
	if err != nil {
		return Ref{}, fmt.Errorf("erpnet: malformed OData id %q", odataID)
	}
	return Ref{Set: s[:open], ID: canon}, nil
}

// Link is a reference that may have been expanded: Ref always holds the set and id, Entity the
// inlined entity when the query used $expand for it (nil otherwise). As an embedded Ref, a Link
// is a filter Literal and writes back as a reference.
type Link[T any] struct {
	Ref
	Entity *T
}

// MarshalJSON writes the reference only, as a request body takes it.
func (l Link[T]) MarshalJSON() ([]byte, error) { return l.Ref.MarshalJSON() }

// UnmarshalJSON reads a reference, and the entity too when more than its id was sent.
func (l *Link[T]) UnmarshalJSON(b []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return err
	}
	if fields == nil {
		*l = Link[T]{}
		return nil
	}
	if err := l.Ref.UnmarshalJSON(b); err != nil {
		return err
	}
	l.Entity = nil
	for k := range fields {
		if !strings.HasPrefix(k, "@") {
			var e T
			if err := json.Unmarshal(b, &e); err != nil {
				return err
			}
			l.Entity = &e
			break
		}
	}
	return nil
}

// Time is a date or an instant from Erp.Net. It reads `2026-01-02T00:00:00Z`, any RFC 3339
// offset, a date-time without zone (taken as UTC) and a bare date; null is the zero Time.
type Time struct {
	time.Time
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"}

// UnmarshalJSON reads the forms listed on Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("erpnet: date: %w", err)
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("erpnet: unreadable date %q", s)
}

// MarshalJSON writes RFC 3339, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Format(time.RFC3339Nano))
}

// Has reports whether any of the string's translations is text, ignoring case.
func (m MLString) Has(text string) bool {
	for _, v := range m {
		if strings.EqualFold(strings.TrimSpace(v), text) {
			return true
		}
	}
	return false
}
