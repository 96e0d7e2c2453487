package server

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

var errExportBusy = &appError{Status: http.StatusTooManyRequests, Heading: "Export in progress",
	Message: "An export is already being prepared for you; wait for it to finish.", Retry: true}

// bulkWork sends the route's calls to Erp.Net in the bulk lane, behind every waiting page view:
// a printout is one of many a person may ask for, and no one else's page should wait for it.
func bulkWork() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request = c.Request.WithContext(erpnet.Bulk(c.Request.Context()))
		c.Next()
	}
}

// oneExport runs the route as an export of the session (see startExport).
func (s *Server) oneExport() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, release, ok := s.startExport(c)
		if !ok {
			return
		}
		defer release()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// startExport begins a ZIP or CSV export for the request's session and returns the context its
// calls to Erp.Net go with (the bulk lane) and the release to call when it ends. A session may
// run one export at a time, since one export already keeps Erp.Net's queue full: a second one
// is answered 429, and startExport returns false.
func (s *Server) startExport(c *gin.Context) (context.Context, func(), bool) {
	key := exportKey(sessionOf(c))
	release, ok := s.exports.TryAcquire(key)
	if !ok {
		s.fail(c, errExportBusy)
		return nil, release, false
	}
	// With replicas the rule holds across them: the session's export is a lock in Redis too
	// (for at most exportLease; a Redis that does not answer leaves the rule to this replica).
	if st := s.process.Shared; st != nil {
		unlock, held, err := st.Lock(c.Request.Context(), "export:"+key, exportLease)
		if err == nil && !held {
			release()
			s.fail(c, errExportBusy)
			return nil, func() {}, false
		}
		if unlock != nil {
			local := release
			release = sync.OnceFunc(func() { unlock(); local() })
		}
	}
	return erpnet.Bulk(c.Request.Context()), release, true
}

// exportLease bounds how long a session's export holds its lock across replicas, should its
// replica die before it ends.
const exportLease = 10 * time.Minute

// exportKey is whose exports take turns: the session's, or the person's for a session from
// before sessions had an id.
func exportKey(sess *session) string {
	switch {
	case sess == nil:
		return ""
	case sess.ID != "":
		return "session " + sess.ID
	}
	return "user " + sess.UserID
}
