package server

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// draftSweepEvery is how often each Client Center looks for New Order drafts to delete.
const draftSweepEvery = 24 * time.Hour

// sweepDrafts starts, in the background of a New Order request, the deletion of the instance's
// abandoned drafts (portal.SweepDrafts): at most once a draftSweepEvery per instance and process, and
// never twice at once, so it costs Erp.Net one read a day (each replica makes its own; a draft
// deleted twice is simply not found the second time). Driven by requests rather than a timer,
// it runs only while the portal is in use and needs nothing stopped when settings reload.
func (s *Server) sweepDrafts(in *instance) {
	now := s.now().UnixNano()
	last := in.swept.Load()
	if last != 0 && time.Duration(now-last) < draftSweepEvery || !in.swept.CompareAndSwap(last, now) {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := in.svc.SweepDrafts(ctx); err != nil {
			s.log.Warn("new order: abandoned drafts were not deleted", zap.String("instance", in.cfg.Name), zap.Error(err))
		}
	}()
}

// SweepDraftsNow deletes every instance's abandoned drafts now and tells how many it deleted.
func (s *Server) SweepDraftsNow(ctx context.Context) (int, error) {
	n := 0
	for _, in := range s.instances {
		k, err := in.svc.SweepDrafts(ctx)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// sharedLocks are the replicas' shared locks for the portal, nil without a shared store (a nil
// *shared.Store must not become a non-nil interface).
func (s *Server) sharedLocks() portal.Locker {
	if s.process.Shared == nil {
		return nil
	}
	return s.process.Shared
}
