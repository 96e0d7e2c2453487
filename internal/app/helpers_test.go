package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an output a command writes to from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs a command that ends on its own and returns its exit code and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut syncBuffer
	m := NewMain(args, &out, &errOut)
	err := m.Run(t.Context())
	if cerr := m.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	code = Report(&errOut, err)
	return code, out.String(), errOut.String()
}

// running is a serving command started by start.
type running struct {
	m           *Main
	stdout      *syncBuffer
	stderr      *syncBuffer
	cancel      context.CancelFunc
	done        chan error
	stopTimeout time.Duration
}

// start runs a serving command in the background and returns once it listens.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	r := &running{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1), stopTimeout: 30 * time.Second}
	r.m = NewMain(args, r.stdout, r.stderr)
	ctx, cancel := context.WithCancel(t.Context())
	r.cancel = cancel
	go func() { r.done <- r.m.Run(ctx) }()
	select {
	case <-r.m.Ready():
	case err := <-r.done:
		cancel()
		t.Fatalf("%v ended before listening: %v\nstderr:\n%s", args, err, r.stderr)
	case <-time.After(r.stopTimeout):
		cancel()
		t.Fatalf("%v did not listen within %v", args, r.stopTimeout)
	}
	t.Cleanup(func() {
		r.cancel()
		_ = r.m.Close()
	})
	return r
}

// stop ends the command as a signal would and returns what Run returned.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		return err
	case <-time.After(r.stopTimeout):
		t.Fatalf("did not stop within %v", r.stopTimeout)
		return nil
	}
}

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
