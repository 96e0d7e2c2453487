package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Secret is a setting that must never reach a log or a page. Every way of printing it
// (fmt verbs, JSON, text marshalling) shows only "set" or "unset"; Value gives the real text.
type Secret string

// Value returns the secret itself, for the one place that needs it.
func (s Secret) Value() string { return string(s) }

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s != "" }

// String shows whether the secret is set, never its value.
func (s Secret) String() string {
	if s.IsSet() {
		return "set"
	}
	return "unset"
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// MarshalText keeps encoders (JSON, YAML, zap) from printing the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// KeyLen is the length in bytes of each session key.
const KeyLen = 32

// DecodeKey decodes a session key written as hex or base64 (standard or URL alphabet, padded or
// not) and checks that it is KeyLen bytes long.
func DecodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("is required")
	}
	// Hex is tried first: 64 hex digits are also valid base64 but would decode to 48 bytes.
	if b, err := hex.DecodeString(s); err == nil {
		return checkKeyLen(b)
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if b, err := enc.DecodeString(s); err == nil {
			return checkKeyLen(b)
		}
	}
	return nil, fmt.Errorf("is neither hex nor base64 (generate one with: openssl rand -base64 %d)", KeyLen)
}

func checkKeyLen(b []byte) ([]byte, error) {
	if len(b) != KeyLen {
		return nil, fmt.Errorf("decodes to %d bytes, want %d (generate one with: openssl rand -base64 %d)", len(b), KeyLen, KeyLen)
	}
	return b, nil
}

// Keys decodes the session's hash and block keys.
func (s Session) Keys() (hash, block []byte, err error) {
	if hash, err = DecodeKey(s.HashKey.Value()); err != nil {
		return nil, nil, fmt.Errorf("session.hash_key: %w", err)
	}
	if block, err = DecodeKey(s.BlockKey.Value()); err != nil {
		return nil, nil, fmt.Errorf("session.block_key: %w", err)
	}
	return hash, block, nil
}
