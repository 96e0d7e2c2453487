package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestUsageAndUnknownCommands(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"no arguments", nil, 2, "", "Usage:"},
		{"unknown command", []string{"launch"}, 2, "", `unknown command "launch"`},
		{"help", []string{"help"}, 0, "clientcenter check-config -config FILE", ""},
		{"bad flag", []string{"serve", "-port", "1"}, 2, "", "flag provided but not defined: -port"},
		{"stray argument", []string{"check-config", "extra"}, 2, "", `unexpected argument "extra"`},
		{"command help", []string{"demo", "-h"}, 0, "", "-sim-addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr: %s)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", stdout, tt.wantStdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "clientcenter dev (go") {
		t.Errorf("version = %d, %q; want 0 and \"clientcenter dev (go...)\"", code, stdout)
	}
	Version = "v1.2.3"
	t.Cleanup(func() { Version = "" })
	if _, stdout, _ := run(t, "version"); !strings.HasPrefix(stdout, "clientcenter v1.2.3 ") {
		t.Errorf("version with Version set = %q", stdout)
	}
}

func TestReport(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantOut  string
	}{
		{"success", nil, 0, ""},
		{"plain failure", errors.New("listen tcp: address in use"), 1, "clientcenter: listen tcp: address in use\n"},
		{"already shown", &ExitError{Code: 2}, 2, ""},
		{"exit error with message", &ExitError{Code: 1, Err: errors.New("no Erp.Net check")}, 1, "clientcenter: no Erp.Net check\n"},
		{"wrapped, already shown", fmt.Errorf("demo: %w", &ExitError{Code: 2}), 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if got := Report(&b, tt.err); got != tt.wantCode {
				t.Errorf("Report code = %d, want %d", got, tt.wantCode)
			}
			if got := b.String(); got != tt.wantOut {
				t.Errorf("Report wrote %q, want %q", got, tt.wantOut)
			}
		})
	}
}
