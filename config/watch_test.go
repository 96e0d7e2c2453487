package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// replaceFile writes content next to path and renames it into place, as editors do, so that
// the watcher never sees a half-written file.
func replaceFile(t *testing.T, path string, content []byte) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".config.yaml.tmp")
	if err := os.WriteFile(tmp, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestWatchReloadsValidAndRefusesInvalid(t *testing.T) {
	m := baseSettings()
	path := writeFile(t, render(t, m))
	changes := make(chan *Config, 4)
	errs := make(chan error, 4)
	stop, err := Watch(path, func(c *Config) { changes <- c }, func(err error) { errs <- err })
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	t.Cleanup(func() { stop() })

	// A deadline for the watcher to notice, not a wait: each step ends as soon as it reports.
	const deadline = 10 * time.Second
	expectChange := func(wantTitle string) {
		t.Helper()
		select {
		case c := <-changes:
			if got := c.Instances[0].Title; got != wantTitle {
				t.Errorf("reloaded title = %q, want %q", got, wantTitle)
			}
		case err := <-errs:
			t.Fatalf("onError(%v), want a reload", err)
		case <-time.After(deadline):
			t.Fatalf("no reload within %v", deadline)
		}
	}

	m["instances"] = []any{map[string]any{"name": "main", "title": "Second", "enterprise_company": "Orbis Trading"}}
	replaceFile(t, path, render(t, m))
	expectChange("Second")

	// A file that does not validate is reported, and onChange is not called with it.
	m["instances"] = []any{map[string]any{"name": "main", "title": "Broken"}}
	replaceFile(t, path, render(t, m))
	select {
	case c := <-changes:
		t.Fatalf("onChange(%q) for an invalid file", c.Instances[0].Title)
	case err := <-errs:
		var ps Problems
		if !errors.As(err, &ps) || ps[0].Key != "instances[0].enterprise_company" {
			t.Errorf("onError(%v), want the enterprise_company problem", err)
		}
	case <-time.After(deadline):
		t.Fatalf("no error within %v", deadline)
	}

	// A file that does not parse is reported as CC008.
	replaceFile(t, path, []byte("listen: a\n  b: c\n"))
	select {
	case c := <-changes:
		t.Fatalf("onChange(%q) for a file that does not parse", c.Instances[0].Title)
	case err := <-errs:
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 2 {
			t.Errorf("onError(%v), want a ParseError at line 2", err)
		}
	case <-time.After(deadline):
		t.Fatalf("no error within %v", deadline)
	}

	m["instances"] = []any{map[string]any{"name": "main", "title": "Fixed", "enterprise_company": "Orbis Trading"}}
	replaceFile(t, path, render(t, m))
	expectChange("Fixed")

	if err := stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
	if err := stop(); err != nil {
		t.Errorf("second stop: %v", err)
	}
}

func TestWatchMissingDirectory(t *testing.T) {
	_, err := Watch(filepath.Join(t.TempDir(), "absent", "config.yaml"), func(*Config) {}, func(error) {})
	if err == nil {
		t.Fatal("Watch of a file in a missing directory succeeded")
	}
}
