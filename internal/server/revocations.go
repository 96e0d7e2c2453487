package server

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/clientcenter/clientcenter/internal/shared"
)

// Revocations remembers what ended before its time: signed-out sessions by id, and people whose
// every session (or cached access) ended at a moment. It is the only state of the portal that is
// not a cache, so it sits behind this interface: in memory here, a shared store across replicas.
type Revocations interface {
	// Revoke marks id revoked now; the mark may be forgotten after until, when whatever id names
	// has expired anyway.
	Revoke(id string, until time.Time)
	// IsRevoked tells whether id was revoked.
	IsRevoked(id string) bool
	// RevokedAt is when id was last revoked, if it is remembered.
	RevokedAt(id string) (time.Time, bool)
}

// Keys of what the portal revokes besides single sessions.
func userRevocation(userID string) string   { return "user:" + strings.ToLower(userID) }
func accessRevocation(userID string) string { return "access:" + strings.ToLower(userID) }

// memoryRevocations is Revocations for one process. Marks expire with what they name, so memory
// stays bounded by the sessions issued within one absolute timeout.
type memoryRevocations struct {
	now   func() time.Time
	mu    sync.Mutex
	marks map[string]revocation
	swept time.Time
}

type revocation struct{ at, until time.Time }

// sweepEvery bounds how often expired marks are dropped: a sweep walks every mark.
const sweepEvery = time.Minute

func newMemoryRevocations(now func() time.Time) *memoryRevocations {
	return &memoryRevocations{now: now, marks: map[string]revocation{}}
}

func (m *memoryRevocations) Revoke(id string, until time.Time) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.swept) >= sweepEvery {
		for k, r := range m.marks {
			if !now.Before(r.until) {
				delete(m.marks, k)
			}
		}
		m.swept = now
	}
	if r, ok := m.marks[id]; ok && r.until.After(until) {
		until = r.until
	}
	m.marks[id] = revocation{at: now, until: until}
}

func (m *memoryRevocations) IsRevoked(id string) bool {
	_, ok := m.RevokedAt(id)
	return ok
}

func (m *memoryRevocations) RevokedAt(id string) (time.Time, bool) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.marks[id]
	if !ok || !now.Before(r.until) {
		return time.Time{}, false
	}
	return r.at, true
}

// sharedRevocations is Revocations for several replicas: every mark goes to the shared store
// and to this process, and a mark either knows counts. While the store is down the marks of this
// process still hold here; those made meanwhile on other replicas reach this one only when the
// store answers again (see the README's production section).
type sharedRevocations struct {
	local *memoryRevocations
	store *shared.Store
	now   func() time.Time
}

func (r *sharedRevocations) Revoke(id string, until time.Time) {
	r.local.Revoke(id, until)
	now := r.now()
	_ = r.store.Revoke(context.Background(), id, now, until.Sub(now))
}

func (r *sharedRevocations) IsRevoked(id string) bool {
	_, ok := r.RevokedAt(id)
	return ok
}

func (r *sharedRevocations) RevokedAt(id string) (time.Time, bool) {
	at, ok := r.local.RevokedAt(id)
	if sat, sok, err := r.store.RevokedAt(context.Background(), id); err == nil && sok && (!ok || sat.After(at)) {
		at, ok = sat, true
	}
	return at, ok
}

// size is the number of marks held, for tests of the bound.
func (m *memoryRevocations) size() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.marks)
}

// sessionRevoked tells whether sess was ended: signed out, or its person removed or deactivated
// after it was issued.
func (s *Server) sessionRevoked(sess *session) bool {
	if sess.ID == "" || s.revocations.IsRevoked(sess.ID) {
		return true
	}
	// Strictly before: a session issued at the revocation's own moment is a new sign-in, and
	// ending it too could send the person round the sign-in for good.
	at, ok := s.revocations.RevokedAt(userRevocation(sess.UserID))
	return ok && time.UnixMilli(sess.Issued).Before(at)
}

// endSessionsOf ends every session of the person issued until now, in this process and (with a
// shared store) every replica. Their access is not served from a stale cache any more either.
func (s *Server) endSessionsOf(userID string) {
	until := s.now().Add(s.cfg.Session.AbsoluteTimeout)
	s.revocations.Revoke(userRevocation(userID), until)
	s.accessChanged(userID)
}

// accessChanged records that the person's access changed now, so access read before it is never
// served stale.
func (s *Server) accessChanged(userID string) {
	s.revocations.Revoke(accessRevocation(userID), s.now().Add(s.cfg.Cache.TTL.Access+s.cfg.Cache.AccessGrace+time.Minute))
}
