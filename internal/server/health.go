package server

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
)

// healthEvery is how often, at most, the portal asks Erp.Net whether it answers on behalf of
// /readyz: a load balancer polling every replica must not spend the session's request budget.
const healthEvery = 10 * time.Second

// erpHealth is the last known answer of Erp.Net, refreshed by at most one check at a time.
type erpHealth struct {
	now func() time.Time
	log *zap.Logger

	mu      sync.Mutex
	check   func(context.Context) (string, error)
	running bool
	checked time.Time // zero: never
	up      bool
	version string
}

// healthState is what /readyz reports of Erp.Net.
type healthState struct {
	Status  string    `json:"status"` // "up", "down" or "unknown"
	Version string    `json:"version,omitempty"`
	Checked time.Time `json:"checked,omitzero"`
}

// current returns the last known state, first checking Erp.Net when the last check is older
// than healthEvery and no other request is already checking. Callers that find a check running
// get the previous answer at once, so a burst of probes makes one call.
func (h *erpHealth) current(ctx context.Context) healthState {
	h.mu.Lock()
	due := !h.running && (h.checked.IsZero() || h.now().Sub(h.checked) >= healthEvery)
	if due {
		h.running = true
	}
	check := h.check
	h.mu.Unlock()
	if due {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		version, err := check(ctx)
		cancel()
		if err != nil {
			h.log.Warn("erp.net health check failed", zap.Error(err))
		}
		h.mu.Lock()
		h.running, h.checked, h.up, h.version = false, h.now(), err == nil, version
		h.mu.Unlock()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	st := healthState{Status: "unknown", Checked: h.checked, Version: h.version}
	if !h.checked.IsZero() {
		st.Status = map[bool]string{true: "up", false: "down"}[h.up]
	}
	return st
}

// setCheck sets how Erp.Net is asked, after a reload with another Erp.Net client too.
func (h *erpHealth) setCheck(check func(context.Context) (string, error)) {
	h.mu.Lock()
	h.check = check
	h.mu.Unlock()
}

// upValue is the gauge's value: 1 up, 0 down or never checked.
func (h *erpHealth) upValue() float64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.up {
		return 1
	}
	return 0
}

// readyz handles "GET /readyz": this process has its settings and serves requests, so it is
// ready. Erp.Net's health is reported in the body, never in the status: an Erp.Net outage would
// otherwise take every replica out of the load balancer at once, and the portal keeps serving
// what it has cached.
func (s *Server) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	// The portal's version is for its operators, here, not in the customers' footer.
	body := gin.H{"status": "ready", "version": s.version, "erpnet": s.health.current(c.Request.Context())}
	// The shared store's state, which never fails readiness either: without it each replica
	// works alone.
	if st := s.process.Shared; st != nil {
		status, since := st.Status()
		r := gin.H{"status": status}
		if !since.IsZero() {
			r["since"] = since.UTC().Format(time.RFC3339)
		}
		body["redis"] = r
	}
	c.JSON(http.StatusOK, body)
}
