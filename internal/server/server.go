// Package server is the portal's HTTP handler: routing, middleware and pages for every
// configured Client Center.
package server

import (
	"errors"
	"net/http"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
)

// Deps are what the portal handler needs from the process.
type Deps struct {
	Config *config.Config
	Logger *zap.Logger
}

// New builds the portal handler.
func New(deps Deps) (http.Handler, error) {
	if deps.Config == nil || deps.Logger == nil {
		return nil, errors.New("server: Config and Logger are required")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	return mux, nil
}

// healthz handles "GET /healthz": the process is up and serving.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}
