package erpnetsim

import (
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"time"
)

// SetFaults replaces the fault knobs.
func (s *Sim) SetFaults(f Faults) { s.flt.set(f) }

// CurrentFaults returns the fault knobs in force.
func (s *Sim) CurrentFaults() Faults { return s.flt.current() }

// Calls counts the Domain API requests that named an entity set (e.g. "Crm_Sales_SalesOrders", or
// a function such as "GetVersion"); "token" counts token-endpoint requests.
func (s *Sim) Calls(set string) int64 {
	s.flt.mu.Lock()
	defer s.flt.mu.Unlock()
	return s.flt.calls[set]
}

// TotalAPICalls counts every Domain API request, refused ones included.
func (s *Sim) TotalAPICalls() int64 {
	s.flt.mu.Lock()
	defer s.flt.mu.Unlock()
	return s.flt.apiCalls
}

// PeakConcurrent is the highest number of Domain API requests seen in flight at once.
func (s *Sim) PeakConcurrent() int64 {
	s.flt.mu.Lock()
	defer s.flt.mu.Unlock()
	return s.flt.peak
}

// ResetCalls zeroes the request counters and the concurrency peak.
func (s *Sim) ResetCalls() {
	s.flt.mu.Lock()
	defer s.flt.mu.Unlock()
	s.flt.calls, s.flt.cultures = map[string]int64{}, map[string]int64{}
	s.flt.apiCalls, s.flt.peak = 0, 0
}

// CultureCalls counts the Domain API requests that asked for culture (by culture=, the culture
// cookie or Accept-Language, in that priority); "" counts those that asked for none.
func (s *Sim) CultureCalls(culture string) int64 {
	s.flt.mu.Lock()
	defer s.flt.mu.Unlock()
	return s.flt.cultures[culture]
}

// Waiting is the number of Domain API requests queued under the Limits: for their session's
// turn or for a slot of the instance.
func (s *Sim) Waiting() int { return s.flt.limits.Waiting() }

// faultsWire is Faults as the knobs endpoint reads and writes it, durations as text ("250ms").
type faultsWire struct {
	Latency       string  `json:"Latency"`
	LatencyJitter string  `json:"LatencyJitter"`
	ErrorRate     float64 `json:"ErrorRate"`
	Outage        bool    `json:"Outage"`
	RateLimit     int     `json:"RateLimit"`
	MaxConcurrent int     `json:"MaxConcurrent"`
	TokenLifetime string  `json:"TokenLifetime"`
	ErrorShape    string  `json:"ErrorShape"`
}

// toWire is the knobs as the endpoint shows them.
func toWire(f Faults) faultsWire {
	return faultsWire{Latency: f.Latency.String(), LatencyJitter: f.LatencyJitter.String(), ErrorRate: f.ErrorRate, Outage: f.Outage, RateLimit: f.RateLimit,
		MaxConcurrent: f.MaxConcurrent, TokenLifetime: f.TokenLifetime.String(), ErrorShape: f.ErrorShape}
}

// fromWire checks the knobs a client posted.
func fromWire(w faultsWire) (Faults, error) {
	f := Faults{ErrorRate: w.ErrorRate, Outage: w.Outage, RateLimit: w.RateLimit, MaxConcurrent: w.MaxConcurrent,
		ErrorShape: w.ErrorShape}
	var err error
	if f.Latency, err = time.ParseDuration(w.Latency); err != nil || f.Latency < 0 {
		return f, fmt.Errorf("knob Latency: %q is not a duration such as \"250ms\"", w.Latency)
	}
	if w.LatencyJitter != "" {
		if f.LatencyJitter, err = time.ParseDuration(w.LatencyJitter); err != nil || f.LatencyJitter < 0 {
			return f, fmt.Errorf("knob LatencyJitter: %q is not a duration such as \"30ms\"", w.LatencyJitter)
		}
	}
	if f.TokenLifetime, err = time.ParseDuration(w.TokenLifetime); err != nil || f.TokenLifetime < 0 {
		return f, fmt.Errorf("knob TokenLifetime: %q is not a duration such as \"30s\"", w.TokenLifetime)
	}
	switch {
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return f, fmt.Errorf("knob ErrorRate: %v is not between 0 and 1", f.ErrorRate)
	case f.RateLimit < 0:
		return f, fmt.Errorf("knob RateLimit: %d is negative", f.RateLimit)
	case f.MaxConcurrent < 0:
		return f, fmt.Errorf("knob MaxConcurrent: %d is negative", f.MaxConcurrent)
	case f.ErrorShape != "" && f.ErrorShape != ErrorsWrapped && f.ErrorShape != ErrorsTopLevel:
		return f, fmt.Errorf("knob ErrorShape: %q is not %q or %q", f.ErrorShape, ErrorsWrapped, ErrorsTopLevel)
	}
	return f, nil
}

// serveControl handles "/_sim/faults" (GET the knobs; POST a JSON object whose fields replace
// theirs, others kept), "GET /_sim/calls" and "POST /_sim/calls/reset". Only loopback callers
// may turn the knobs, so an instance reachable from a network cannot be disturbed from it.
func (s *Sim) serveControl(w http.ResponseWriter, r *http.Request) {
	if !isLoopback(r.RemoteAddr) {
		writePlainJSON(w, http.StatusForbidden, map[string]string{"error": "the knobs answer loopback callers only"})
		return
	}
	route := r.Method + " " + r.URL.Path
	switch route {
	case "GET /_sim/faults":
		writePlainJSON(w, http.StatusOK, toWire(s.CurrentFaults()))
	case "POST /_sim/faults":
		s.postFaults(w, r)
	case "GET /_sim/calls":
		s.flt.mu.Lock()
		counts := maps.Clone(s.flt.calls)
		counts["_total"], counts["_peakConcurrent"] = s.flt.apiCalls, s.flt.peak
		s.flt.mu.Unlock()
		writePlainJSON(w, http.StatusOK, counts)
	case "POST /_sim/calls/reset":
		s.ResetCalls()
		w.WriteHeader(http.StatusNoContent)
	default:
		writePlainJSON(w, http.StatusNotFound, map[string]string{"error": "no such knob: " + route})
	}
}

// postFaults merges the posted fields over the current knobs.
func (s *Sim) postFaults(w http.ResponseWriter, r *http.Request) {
	wire := toWire(s.CurrentFaults())
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&wire); err != nil {
		writePlainJSON(w, http.StatusBadRequest, map[string]string{"error": "bad knobs: " + err.Error()})
		return
	}
	f, err := fromWire(wire)
	if err != nil {
		writePlainJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.SetFaults(f)
	writePlainJSON(w, http.StatusOK, toWire(f))
}

// isLoopback reports whether a RemoteAddr ("host:port") is a loopback address.
func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
