package erpnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// TransactionLifetime is the longest an Erp.Net front-end transaction lives; the server drops it
// afterwards, so its token must outlive it.
const TransactionLifetime = 25 * time.Minute

// Transaction is an open Erp.Net front-end transaction: the writes made with a context from
// InTransaction run in memory on the server, where front-end events fill in dependent fields
// (line prices and amounts), and become real only on Commit. A client (one Erp.Net session) has
// at most one open at a time. End it with Commit or Rollback.
type Transaction struct {
	c   *Client
	id  string
	tok *cachedToken // the session the transaction lives in

	endOnce sync.Once
}

// ID is the transaction's id as Erp.Net issued it.
func (tx *Transaction) ID() string { return tx.id }

// BeginTransaction opens a front-end transaction ("POST BeginTransaction" with model frontend and
// change tracking). Erp.Net allows one open transaction per session, so it first waits, as long
// as ctx allows, until the client's previous transaction has ended.
func (c *Client) BeginTransaction(ctx context.Context) (*Transaction, error) {
	select {
	case c.txSlot <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("erpnet: BeginTransaction: waiting for the open transaction to end: %w", ctx.Err())
	}
	tx, err := c.beginTransaction(ctx)
	if err != nil && orphaned(err) {
		// An earlier BeginTransaction whose answer never came left a transaction open in this
		// session, whose id the client never learnt: a new token is a new session without it.
		c.log.Warn("erpnet: an abandoned transaction is open in the session; starting a new session")
		c.tokenMu.Lock()
		c.token = nil
		c.tokenMu.Unlock()
		tx, err = c.beginTransaction(ctx)
	}
	if err != nil {
		<-c.txSlot
		return nil, err
	}
	return tx, nil
}

// orphaned reports Erp.Net's refusal of a second open transaction in the session.
func orphaned(err error) bool {
	var e *Error
	return errors.As(err, &e) && strings.Contains(e.Message, "open InMemoryTransaction")
}

func (c *Client) beginTransaction(ctx context.Context) (*Transaction, error) {
	if err := c.Discover(ctx); err != nil {
		return nil, err
	}
	tok, err := c.tokenFor(ctx, TransactionLifetime+tokenMargin)
	if err != nil {
		return nil, err
	}
	tx := &Transaction{c: c, tok: tok}
	body := []byte(`{"model":"frontend","trackChanges":true}`)
	// The call runs on the transaction's token, so it opens the transaction in that session.
	resp, err := c.do(InTransaction(ctx, tx), call{method: http.MethodPost, target: "BeginTransaction",
		set: "BeginTransaction", body: body, outsideTx: true})
	if err != nil {
		return nil, err
	}
	id, err := transactionID(resp.body)
	if err != nil {
		return nil, fmt.Errorf("erpnet: BeginTransaction: %w", err)
	}
	tx.id = id
	return tx, nil
}

// transactionID reads BeginTransaction's answer: the id as plain text, as documented, or as a
// JSON string or OData value envelope, which a server might send instead.
func transactionID(body []byte) (string, error) {
	text := strings.TrimSpace(string(body))
	var s string
	var env struct {
		Value string `json:"value"`
	}
	switch {
	case strings.HasPrefix(text, `"`) && json.Unmarshal([]byte(text), &s) == nil:
		text = s
	case strings.HasPrefix(text, "{") && json.Unmarshal([]byte(text), &env) == nil:
		text = env.Value
	}
	text = strings.TrimSpace(text)
	if text == "" || strings.ContainsAny(text, " \t\r\n\"{}") {
		return "", fmt.Errorf("answer %q is not a transaction id", body[:min(len(body), 80)])
	}
	return text, nil
}

// Commit ends the transaction, making its writes real ("POST EndTransaction" with commit true).
func (tx *Transaction) Commit(ctx context.Context) error { return tx.end(ctx, true) }

// Rollback ends the transaction, discarding its writes ("POST EndTransaction" with commit false).
func (tx *Transaction) Rollback(ctx context.Context) error { return tx.end(ctx, false) }

// ErrTransactionEnded is returned by Commit or Rollback of a transaction already ended.
var ErrTransactionEnded = errors.New("erpnet: the transaction has already ended")

// end sends EndTransaction once. The client's slot is freed even when the call fails: the server
// drops an abandoned transaction after TransactionLifetime, and holding the slot forever would
// block every later transaction of the client instead.
func (tx *Transaction) end(ctx context.Context, commit bool) error {
	err := ErrTransactionEnded
	tx.endOnce.Do(func() {
		defer func() { <-tx.c.txSlot }()
		body := []byte(`{"commit":false}`)
		if commit {
			body = []byte(`{"commit":true}`)
		}
		_, err = tx.c.do(InTransaction(ctx, tx), call{method: http.MethodPost,
			target: "EndTransaction?tr=" + url.QueryEscape(tx.id), set: "EndTransaction", body: body, outsideTx: true})
	})
	return err
}
