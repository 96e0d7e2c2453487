package odata

import (
	"context"
	"net/http"
	"strings"
)

type oracleKey struct{}

// isOracle reports whether r came through Oracle.
func isOracle(r *http.Request) bool { v, _ := r.Context().Value(oracleKey{}).(bool); return v }

// Oracle serves the Domain API as the tenant's staff see the data in Erp.Net itself: without a
// token, the session limits, the fault knobs or the model's filter and order-by rules. Tests use
// it to check the portal's pages against the data, asking as they like; it is not reachable over
// the simulator's listener, so the portal only ever meets the strict API.
func (s *Server) Oracle() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/domain/odata/") {
			http.NotFound(w, r)
			return
		}
		s.serveOData(w, r.WithContext(context.WithValue(r.Context(), oracleKey{}, true)))
	})
}
