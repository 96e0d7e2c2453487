package app

import (
	"context"
	"fmt"
	"net"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/server"
)

// serve runs "clientcenter serve -config FILE": the portal with the settings in FILE, reloaded
// when the file changes, until ctx ends.
func (m *Main) serve(ctx context.Context, args []string) error {
	fs := m.newFlags("serve", "[-config FILE]")
	path := fs.String("config", "config.yaml", "settings `file` (YAML)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintf(m.Stderr, "clientcenter serve: the settings in %s do not load:\n", *path)
		printProblems(m.Stderr, err)
		return &ExitError{Code: ExitInvalid}
	}
	logger, level, err := NewLogger(cfg.Log, m.Stderr)
	if err != nil {
		return err
	}
	defer func() { _ = logger.Sync() }()

	// The client, cache, ended sessions and metrics are built once and outlive reloads.
	proc, err := server.NewProcess(cfg, logger, nil)
	if err != nil {
		return err
	}
	h, err := server.NewServer(server.Deps{Config: cfg, Logger: logger, Process: proc, Version: versionString()})
	if err != nil {
		return err
	}
	handler := newSwapHandler(h)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	r := &reloader{cur: cfg, proc: proc, handler: handler, level: level, logger: logger}
	stop, err := config.Watch(*path, r.apply, func(err error) {
		logger.Error("settings not reloaded; the running settings stay", zap.String("file", *path), zap.Error(err))
	})
	if err != nil {
		logger.Warn("settings will not reload when the file changes", zap.Error(err))
	} else {
		defer func() { _ = stop() }()
	}

	logger.Info("serving",
		zap.String("addr", ln.Addr().String()),
		zap.String("public_url", cfg.PublicURL),
		zap.String("erpnet", cfg.ErpNet.InstanceURL),
		zap.Strings("instances", instancePaths(cfg)),
		zap.Strings("secrets", cfg.Secrets()))
	m.setReady(ln.Addr().String(), "")
	err = m.serveAll(ctx, served{newHTTPServer(handler, logger), ln})
	logger.Info("stopped")
	return err
}

// reloader applies settings read again after the file changed.
type reloader struct {
	cur     *config.Config
	proc    *server.Process
	handler *swapHandler
	level   zap.AtomicLevel
	logger  *zap.Logger
}

// apply rebuilds the portal handler from next on the running process's parts — a new Erp.Net
// client or cache only when their settings changed — and swaps it in; settings that only take
// effect at start are reported instead.
func (r *reloader) apply(next *config.Config) {
	proc, err := r.proc.Next(next, r.logger, nil)
	if err != nil {
		r.logger.Error("settings not reloaded; the running settings stay", zap.Error(err))
		return
	}
	h, err := server.NewServer(server.Deps{Config: next, Logger: r.logger, Process: proc, Version: versionString()})
	if err != nil {
		r.logger.Error("settings not reloaded; the running settings stay", zap.Error(err))
		return
	}
	if next.Listen != r.cur.Listen {
		r.logger.Warn("listen changed; restart to apply it", zap.String("listen", r.cur.Listen), zap.String("new", next.Listen))
	}
	if next.Log.Format != r.cur.Log.Format {
		r.logger.Warn("log.format changed; restart to apply it")
	}
	if lvl, err := zapcore.ParseLevel(next.Log.Level); err == nil {
		r.level.SetLevel(lvl)
	}
	r.handler.set(h)
	r.cur, r.proc = next, proc
	r.logger.Info("settings reloaded", zap.Strings("instances", instancePaths(next)))
}

// instancePaths names each instance by its path, for logs.
func instancePaths(c *config.Config) []string {
	out := make([]string, len(c.Instances))
	for i, in := range c.Instances {
		out[i] = in.Path() + " (" + in.Name + ")"
	}
	return out
}
