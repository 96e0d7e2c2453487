package erpnet

import "sync"

// ExportGate lets each key (e.g. a sign-in session or a customer) run at most one export at a
// time: a ZIP of forty invoice PDFs is forty bulk calls toward Erp.Net, and a second one started
// beside it would only double the queue. The zero value is ready to use and safe for concurrent use.
type ExportGate struct {
	mu      sync.Mutex
	running map[string]struct{}
}

// TryAcquire starts an export for key unless one is already running for it. When ok, the caller
// must call release when the export ends; release may be called more than once.
func (g *ExportGate) TryAcquire(key string) (release func(), ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, busy := g.running[key]; busy {
		return func() {}, false
	}
	if g.running == nil {
		g.running = map[string]struct{}{}
	}
	g.running[key] = struct{}{}
	return sync.OnceFunc(func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		delete(g.running, key)
	}), true
}

// Running is the number of exports in progress, for metrics.
func (g *ExportGate) Running() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.running)
}
