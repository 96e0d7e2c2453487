package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// served is an HTTP server with the listener it serves.
type served struct {
	srv *http.Server
	ln  net.Listener
}

// newHTTPServer returns a server with timeouts that keep slow or idle clients from holding
// connections forever; WriteTimeout is left open for large downloads.
func newHTTPServer(h http.Handler, logger *zap.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          zap.NewStdLog(logger.Named("http")),
	}
}

// group is the servers a command runs; they stop together.
type group struct {
	m    *Main
	all  []served
	errc chan error
}

func (m *Main) newGroup() *group { return &group{m: m, errc: make(chan error, 1)} }

// start serves s in the background.
func (g *group) start(s served) {
	g.m.track(s.srv)
	g.all = append(g.all, s)
	go func() {
		if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
			select {
			case g.errc <- err: // the first failure ends the group; later ones add nothing
			default:
			}
		}
	}()
}

// wait blocks until ctx ends or a server fails, then shuts the group down.
func (g *group) wait(ctx context.Context) error {
	var err error
	select {
	case <-ctx.Done():
	case err = <-g.errc:
	}
	if serr := g.shutdown(ctx); err == nil {
		err = serr
	}
	return err
}

// shutdown stops every server, giving requests in flight up to ShutdownTimeout to finish.
func (g *group) shutdown(ctx context.Context) error {
	// The shutdown gets its own deadline: ctx may have ended already.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), g.m.ShutdownTimeout)
	defer cancel()
	var err error
	for _, s := range g.all {
		if serr := s.srv.Shutdown(sctx); serr != nil && err == nil {
			err = fmt.Errorf("shutdown: %w", serr)
		}
		g.m.untrack(s.srv)
	}
	return err
}

// serveAll serves every server until ctx ends or one of them fails, then shuts them all down.
func (m *Main) serveAll(ctx context.Context, all ...served) error {
	g := m.newGroup()
	for _, s := range all {
		g.start(s)
	}
	return g.wait(ctx)
}

// listen binds addr. A missing host means loopback rather than every interface, because the
// simulator and the demo carry fixed demo credentials; exposed reports a host that reaches
// beyond this machine.
func listen(addr string) (ln net.Listener, exposed bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, false, fmt.Errorf("address %q: %w", addr, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	ln, err = net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, false, err
	}
	return ln, !isLoopback(host), nil
}

// isLoopback reports whether host only reaches this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// baseURL is the http URL a listener is reached at. A listener on every interface has no single
// name, so the loopback name is given for this machine.
func baseURL(ln net.Listener) string {
	a := ln.Addr().(*net.TCPAddr)
	if a.IP.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d", a.Port)
	}
	return "http://" + a.String()
}

// swapHandler serves through a handler that can be replaced while requests are served,
// so reloaded settings take effect without dropping connections.
type swapHandler struct {
	h atomic.Pointer[http.Handler]
}

func newSwapHandler(h http.Handler) *swapHandler {
	s := &swapHandler{}
	s.h.Store(&h)
	return s
}

// set replaces the handler for new requests.
func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

// ServeHTTP serves r with the current handler.
func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}
