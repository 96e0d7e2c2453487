package erpnet

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// UnmarshalJSON reads the value from a JSON number or a decimal string.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var raw struct {
		Value    json.RawMessage `json:"Value"`
		Currency string          `json:"Currency"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("erpnet: amount: %w", err)
	}
	v, err := decimalValue(raw.Value)
	if err != nil {
		return fmt.Errorf("erpnet: amount: %w", err)
	}
	*a = Amount{Value: v, Currency: raw.Currency}
	return nil
}

// UnmarshalJSON reads the value from a JSON number or a decimal string.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	var raw struct {
		Value json.RawMessage `json:"Value"`
		Unit  string          `json:"Unit"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("erpnet: quantity: %w", err)
	}
	v, err := decimalValue(raw.Value)
	if err != nil {
		return fmt.Errorf("erpnet: quantity: %w", err)
	}
	*q = Quantity{Value: v, Unit: raw.Unit}
	return nil
}

// decimalValue reads a Value sent as a JSON number or a string ("3.55"); null, absent or ""
// is 0. The decimal text is parsed once, straight to the nearest float64, with no detour through
// another representation.
func decimalValue(raw json.RawMessage) (float64, error) {
	text := strings.TrimSpace(string(raw))
	if text == "" || text == "null" {
		return 0, nil
	}
	if text[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		text = strings.TrimSpace(s)
		if text == "" {
			return 0, nil
		}
		if !isDecimal(text) {
			return 0, fmt.Errorf("value %q is not a decimal number", s)
		}
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("value %s is not a number", text)
	}
	return v, nil
}

// isDecimal reports whether s is a plain decimal: an optional sign, digits, an optional
// fraction and exponent; ParseFloat alone would also take "NaN", "Inf" and hex floats.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
