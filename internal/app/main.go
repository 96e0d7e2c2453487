// Package app is the clientcenter command: it parses the subcommand and its flags, builds the
// pieces from the settings and runs them. cmd/clientcenter only hands it the process's
// arguments, output and signals, so tests run every command in-process.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/clientcenter/clientcenter/config"
)

// OnlineCheck checks settings against the live Erp.Net instance (for example that
// NewOrderDocumentType names an existing SalesOrders document type, CC009) and returns what
// is wrong.
type OnlineCheck func(ctx context.Context, c *config.Config, o OnlineOptions) config.Problems

// OnlineOptions tune an OnlineCheck: where it reports what it found that is not a problem (the
// server's version, the probes made), and whether it also tries a write that it rolls back.
type OnlineOptions struct {
	Out        io.Writer
	WriteProbe bool
}

// DefaultOnlineCheck is what check-config -online runs; nil until a check is wired in.
var DefaultOnlineCheck OnlineCheck

// Main runs one clientcenter command. Run blocks until the command is done; the serving
// commands (serve, simulate, demo) run until ctx ends and then stop gracefully.
type Main struct {
	// Args are the command line without the program name, e.g. ["serve", "-config", "x.yaml"].
	Args []string
	// Stdout receives the command's output; Stderr usage, problems and the log.
	Stdout, Stderr io.Writer
	// ShutdownTimeout bounds the graceful stop of the serving commands.
	ShutdownTimeout time.Duration
	// CheckOnline is run by check-config -online.
	CheckOnline OnlineCheck

	ready     chan struct{}
	readyOnce sync.Once

	mu      sync.Mutex
	addr    string // the portal's (or, for simulate, the simulator's) bound address
	simAddr string
	servers []*http.Server
	stops   []func() error
}

// NewMain returns a Main for args writing to stdout and stderr.
func NewMain(args []string, stdout, stderr io.Writer) *Main {
	return &Main{
		Args:            args,
		Stdout:          stdout,
		Stderr:          stderr,
		ShutdownTimeout: 10 * time.Second,
		CheckOnline:     DefaultOnlineCheck,
		ready:           make(chan struct{}),
	}
}

// Run runs the command named by Args[0].
func (m *Main) Run(ctx context.Context) error {
	if len(m.Args) == 0 {
		m.usage(m.Stderr)
		return errUsage
	}
	cmd, args := m.Args[0], m.Args[1:]
	switch cmd {
	case "serve":
		return m.serve(ctx, args)
	case "simulate":
		return m.simulate(ctx, args)
	case "demo":
		return m.demo(ctx, args)
	case "check-config":
		return m.checkConfig(ctx, args)
	case "version":
		return m.version(args)
	case "help", "-h", "-help", "--help":
		m.usage(m.Stdout)
		return nil
	default:
		fmt.Fprintf(m.Stderr, "clientcenter: unknown command %q\n\n", cmd)
		m.usage(m.Stderr)
		return errUsage
	}
}

// Ready is closed once a serving command listens on its addresses.
func (m *Main) Ready() <-chan struct{} { return m.ready }

// Addr is the address the portal listens on (for simulate, the simulator's), once Ready.
func (m *Main) Addr() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.addr
}

// SimAddr is the address the demo's simulator listens on, once Ready.
func (m *Main) SimAddr() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.simAddr
}

// Close stops at once whatever a serving command still has open (Run stops gracefully on its
// own when ctx ends; Close is for when it cannot wait). It is safe to call more than once.
func (m *Main) Close() error {
	m.mu.Lock()
	servers, stops := m.servers, m.stops
	m.servers, m.stops = nil, nil
	m.mu.Unlock()
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Close())
	}
	for _, stop := range stops {
		errs = append(errs, stop())
	}
	return errors.Join(errs...)
}

// setReady records the bound addresses and announces them.
func (m *Main) setReady(addr, simAddr string) {
	m.mu.Lock()
	m.addr, m.simAddr = addr, simAddr
	m.mu.Unlock()
	m.readyOnce.Do(func() { close(m.ready) })
}

// track registers a server for Close.
func (m *Main) track(s *http.Server) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.servers = append(m.servers, s)
}

// untrack forgets servers that have stopped, so Close does not close them twice.
func (m *Main) untrack(done ...*http.Server) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.servers[:0]
	for _, s := range m.servers {
		stopped := false
		for _, d := range done {
			stopped = stopped || s == d
		}
		if !stopped {
			kept = append(kept, s)
		}
	}
	m.servers = kept
}

// usage writes the command summary.
func (m *Main) usage(w io.Writer) {
	fmt.Fprint(w, strings.TrimLeft(`
Client Center: a self-hosted customer portal for Erp.Net.

Usage:
  clientcenter serve -config FILE           serve the portal with the settings in FILE
  clientcenter demo [-addr A] [-sim-addr A] [-scale N]
                                            run the portal against a simulated Erp.Net with demo data
  clientcenter simulate [-addr A] [flags]   run only the simulated Erp.Net instance
  clientcenter check-config -config FILE [-online]
                                            check the settings and list every problem
  clientcenter version                      print the version

Run "clientcenter COMMAND -h" for a command's flags.
`, "\n"))
}

// newFlags returns a flag set for a subcommand that reports to Stderr.
func (m *Main) newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: clientcenter %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, refusing stray arguments; -h is not an error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "clientcenter %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}
