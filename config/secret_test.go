package config

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestDecodeKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xfb}, KeyLen) // 0xfb makes base64 use + and / (or - and _)
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{"hex", hex.EncodeToString(key), ""},
		{"base64", base64.StdEncoding.EncodeToString(key), ""},
		{"base64 unpadded", base64.RawStdEncoding.EncodeToString(key), ""},
		{"base64 url", base64.URLEncoding.EncodeToString(key), ""},
		{"base64 url unpadded", base64.RawURLEncoding.EncodeToString(key), ""},
		{"surrounding space", " " + hex.EncodeToString(key) + "\n", ""},
		{"empty", "", "is required"},
		{"too short", base64.StdEncoding.EncodeToString(key[:16]), "decodes to 16 bytes, want 32"},
		{"not encoded", "correct horse battery staple!", "is neither hex nor base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeKey(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodeKey error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, key) {
				t.Fatalf("DecodeKey = %x, %v; want %x", got, err, key)
			}
		})
	}
}

func TestSessionKeys(t *testing.T) {
	hash, block, err := Session{HashKey: Secret(testHashKey), BlockKey: Secret(testBlockKey)}.Keys()
	if err != nil {
		t.Fatalf("Keys: %v", err)
	}
	if !bytes.Equal(hash, bytes.Repeat([]byte{0xab}, 32)) || !bytes.Equal(block, bytes.Repeat([]byte{0xcd}, 32)) {
		t.Errorf("Keys = %x, %x", hash, block)
	}
	if _, _, err := (Session{HashKey: Secret(testHashKey)}).Keys(); err == nil || !strings.HasPrefix(err.Error(), "session.block_key:") {
		t.Errorf("Keys without block key: error = %v, want one naming session.block_key", err)
	}
}
