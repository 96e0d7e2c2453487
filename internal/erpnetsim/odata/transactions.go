package odata

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// TransactionLifetime is how long a front-end transaction lives (dev transactions.md); requests
// with its id fail afterwards.
const TransactionLifetime = 25 * time.Minute

// Exception types of the transaction errors. UNCONFIRMED which types the real server names; the
// audit says errors outside the business rules carry code 0 and a .NET exception name.
const (
	typeInvalidOperation = "System.InvalidOperationException"
	typeArgument         = "System.ArgumentException"
)

// MsgTransactionOpen is the error of a second BeginTransaction while one is open in the session.
const MsgTransactionOpen = "You already have an open InMemoryTransaction in this session"

// transaction is an open front-end transaction: requests with its id read and write work, a
// copy of the store taken at the start; base is an untouched second copy, so that commit can
// tell what the transaction changed and apply only that to the real store.
type transaction struct {
	id, session string
	started     time.Time

	mu   sync.Mutex // one request of the transaction at a time, whatever the session limits
	work *Store
	base *Store
}

// transactions holds the open transactions of the instance.
type transactions struct {
	mu        sync.Mutex
	byID      map[string]*transaction
	bySession map[string]*transaction
}

func newTransactions() *transactions {
	return &transactions{byID: map[string]*transaction{}, bySession: map[string]*transaction{}}
}

// inTransaction reports whether this Server serves a request inside a front-end transaction: the
// write code asks it to do what Erp.Net does only there, e.g. calculate line prices.
func (s *Server) inTransaction() bool { return s.tx != nil }

// OpenTransactions is the number of front-end transactions open (expired ones not counted).
func (s *Server) OpenTransactions() int {
	s.txs.mu.Lock()
	defer s.txs.mu.Unlock()
	n := 0
	for _, tx := range s.txs.byID {
		if !s.expired(tx) {
			n++
		}
	}
	return n
}

// expired reports whether tx has outlived TransactionLifetime on the instance's clock.
func (s *Server) expired(tx *transaction) bool {
	return s.opts.Now().Sub(tx.started) >= TransactionLifetime
}

// BeginTransaction handles "POST {root}BeginTransaction" {"model":"frontend","trackChanges":true}:
// it answers the new transaction's id as plain text.
func (s *Server) BeginTransaction(w http.ResponseWriter, r *http.Request) {
	if !s.opts.Auth.Grants(r, scopeUpdate) {
		writeError(w, http.StatusForbidden, 0, fmt.Sprintf("The access token does not grant the scope '%s'.", scopeUpdate), "")
		return
	}
	s.writes.Add(1)
	var body struct {
		Model        string `json:"model"`
		TrackChanges bool   `json:"trackChanges"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil {
		writeErrorTyped(w, http.StatusBadRequest, 0, typeArgument, "The request body is not valid JSON: "+err.Error())
		return
	}
	if !strings.EqualFold(body.Model, "frontend") {
		// UNCONFIRMED: the server also knows a "backend" model; the portal needs only front-end.
		writeErrorTyped(w, http.StatusInternalServerError, 0, typeArgument,
			fmt.Sprintf("The transaction model '%s' is not supported; use 'frontend'.", body.Model))
		return
	}
	session := s.opts.Auth.Session(r)
	s.txs.mu.Lock()
	defer s.txs.mu.Unlock()
	if open := s.txs.bySession[session]; open != nil {
		if !s.expired(open) {
			writeErrorTyped(w, http.StatusInternalServerError, 0, typeInvalidOperation, MsgTransactionOpen)
			return
		}
		s.txs.drop(open)
	}
	s.store.mu.RLock()
	tx := &transaction{id: newGUID(), session: session, started: s.opts.Now(), work: s.store.clone(), base: s.store.clone()}
	s.store.mu.RUnlock()
	s.txs.byID[tx.id], s.txs.bySession[session] = tx, tx
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, tx.id)
}

// EndTransaction handles "POST {root}EndTransaction?tr=<id>" {"commit":true|false}: commit
// applies the transaction's writes to the instance, false discards them. UNCONFIRMED what the
// server answers; the simulator answers 204.
func (s *Server) EndTransaction(w http.ResponseWriter, r *http.Request) {
	s.writes.Add(1)
	var body struct {
		Commit bool `json:"commit"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil {
		writeErrorTyped(w, http.StatusBadRequest, 0, typeArgument, "The request body is not valid JSON: "+err.Error())
		return
	}
	tx, msg := s.lookupTransaction(r, r.URL.Query().Get("tr"))
	if tx == nil {
		writeErrorTyped(w, http.StatusInternalServerError, 0, typeInvalidOperation, msg)
		return
	}
	s.txs.mu.Lock()
	s.txs.drop(tx)
	s.txs.mu.Unlock()
	if body.Commit {
		tx.mu.Lock()
		s.commit(tx)
		tx.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

// drop forgets tx. The caller holds mu.
func (t *transactions) drop(tx *transaction) {
	delete(t.byID, tx.id)
	if t.bySession[tx.session] == tx {
		delete(t.bySession, tx.session)
	}
}

// lookupTransaction finds the open transaction id of the request's session, or says why not.
func (s *Server) lookupTransaction(r *http.Request, id string) (*transaction, string) {
	s.txs.mu.Lock()
	defer s.txs.mu.Unlock()
	tx := s.txs.byID[strings.ToLower(strings.TrimSpace(id))]
	switch {
	case id == "":
		return nil, "No transaction id was given."
	case tx == nil || tx.session != s.opts.Auth.Session(r):
		// Another session's transaction is as unknown to this one as a made-up id.
		return nil, fmt.Sprintf("The transaction '%s' does not exist in this session.", id)
	case s.expired(tx):
		s.txs.drop(tx)
		return nil, fmt.Sprintf("The transaction '%s' has expired.", id)
	}
	return tx, ""
}

// ServeHTTP serves a Domain API request, inside the transaction its TransactionId header
// names when it has one: then it reads and writes the transaction's copy of the store.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("TransactionId")
	if id == "" {
		s.serveOData(w, r)
		return
	}
	tx, msg := s.lookupTransaction(r, id)
	if tx == nil {
		writeErrorTyped(w, http.StatusInternalServerError, 0, typeInvalidOperation, msg)
		return
	}
	tx.mu.Lock()
	defer tx.mu.Unlock()
	in := s.within(tx)
	in.serveOData(w, r)
	s.writes.Add(in.writes.Load())
}

// within is a view of s that serves from tx's copy of the store. NOTE: it copies Server's fields
// one by one; a field added to Server must be added here too.
func (s *Server) within(tx *transaction) *Server {
	return &Server{opts: s.opts, store: tx.work, txs: s.txs, tx: tx, notes: s.notes}
}
