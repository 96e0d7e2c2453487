// Package odata is the simulator's Domain API (OData v4): the entity store and its schema, built
// from the published model; the query engine ($filter, $select, $expand, $orderby, paging);
// writes with Erp.Net's document rules; front-end transactions; the per-session request limits;
// Erp.Net's error shapes; printouts as PDF; and the oracle, which serves the same data without
// the model's rules.
//
// Files: server.go (the Server and what it needs of the identity server), odata.go (routing and
// reads), filter.go ($filter), write.go (writes and bound actions), store.go and schema.go (the
// entities and their sets), transactions*.go, session_limits.go, errorshape.go, pdf.go, oracle.go,
// notifications.go (CreateNotification).
package odata

import (
	"net/http"
	"sync/atomic"
	"time"
)

// Scopes the Domain API asks of an access token, as the identity server names them. Reading
// needs read and changing needs update.
const (
	scopeRead   = "read"
	scopeUpdate = "update"
)

// Auth is what the Domain API asks of the identity server about a request that passed its
// bearer-token check. The identity server implements it; neither package imports the other.
type Auth interface {
	// Grants reports whether the request's access token grants scope.
	Grants(r *http.Request, scope string) bool
	// Session names the request's session, which the transactions are kept per.
	Session(r *http.Request) string
}

// Options configure the Domain API of an instance.
type Options struct {
	// ClientID is the trusted application's; documents created through the API name its system
	// user as their creator.
	ClientID string
	// Now is the clock.
	Now func() time.Time
	// Root is the service root for a request, with a trailing slash.
	Root func(r *http.Request) string
	// Auth checks what a request's token grants.
	Auth Auth
	// Version is the instance's version, which GetVersion answers: the properties the model
	// says came later are unknown to it. Default Version.
	Version string
}

// Server serves the Domain API from a Store.
type Server struct {
	opts  Options
	store *Store

	txs *transactions
	// tx is the transaction a view made by within serves; nil on the instance itself.
	tx *transaction
	// writes counts Domain API requests that may change data (all but reads and GetPrintout).
	writes atomic.Int64
	// notes are the notifications CreateNotification made.
	notes *notifications
}

// New serves st, which the caller has filled, as the Domain API.
func New(st *Store, opts Options) *Server {
	if opts.Version == "" {
		opts.Version = Version
	}
	st.limitTo(opts.Version)
	return &Server{opts: opts, store: st, txs: newTransactions(), notes: &notifications{}}
}

// WriteCalls counts the Domain API requests that could change data: POST (but GetPrintout),
// PATCH and DELETE.
func (s *Server) WriteCalls() int64 { return s.writes.Load() }
