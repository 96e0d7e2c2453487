package erpnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenMargin renews a token this long before it expires, so a call never starts with a token
// that dies on the way.
const tokenMargin = time.Minute

// cachedToken is a token with its expiry on the client's own clock.
type cachedToken struct {
	access  string
	expires time.Time // zero: no expiry given
}

// accessToken returns the cached client-credentials token, or fetches a new one when there is
// none or it is about to expire. Concurrent callers share one fetch; the fetch runs detached from
// any one caller, so a caller that gives up does not fail the others.
func (c *Client) accessToken(ctx context.Context) (*cachedToken, error) {
	c.tokenMu.Lock()
	t := c.token
	c.tokenMu.Unlock()
	if t != nil && (t.expires.IsZero() || c.cfg.Now().Add(tokenMargin).Before(t.expires)) {
		return t, nil
	}
	ch := c.tokenFlight.DoChan("token", func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
		defer cancel()
		return c.fetchToken(fctx)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*cachedToken), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("erpnet: token: %w", ctx.Err())
	}
}

// fetchToken asks the identity server for a client-credentials token and caches it.
func (c *Client) fetchToken(ctx context.Context) (*cachedToken, error) {
	const op = "POST token endpoint"
	c.endpoints.RLock()
	tokenURL := c.endpoints.tokenURL
	c.endpoints.RUnlock()
	cc := clientcredentials.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		TokenURL:     tokenURL,
		Scopes:       c.cfg.Scopes,
	}
	start := c.cfg.Now()
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, c.cfg.HTTPClient))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil {
			e := decodeError(op, re.Response.StatusCode, re.Body)
			code := re.ErrorCode
			if code == "" {
				// The library reads the error code only from bodies labelled as JSON.
				var body struct {
					Error string `json:"error"`
				}
				if json.Unmarshal(re.Body, &body) == nil {
					code = body.Error
				}
			}
			if code != "" {
				e.Message = "token request refused: " + code
			}
			return nil, e
		}
		return nil, transportError(ctx, op, err)
	}
	t := &cachedToken{access: tok.AccessToken}
	// expires_in is measured from now on the client's clock, not from the library's wall clock.
	if secs := expiresIn(tok); secs > 0 {
		t.expires = start.Add(time.Duration(secs) * time.Second)
	} else if !tok.Expiry.IsZero() {
		t.expires = tok.Expiry
	}
	c.tokenMu.Lock()
	c.token = t
	c.tokenMu.Unlock()
	c.log.Debug("erpnet: new access token")
	return t, nil
}

// expiresIn is the token's lifetime in seconds as the server sent it, or 0.
func expiresIn(tok *oauth2.Token) int64 {
	if tok.ExpiresIn > 0 {
		return tok.ExpiresIn
	}
	switch v := tok.Extra("expires_in").(type) {
	case float64:
		return int64(v)
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}

// dropToken forgets t after Erp.Net refused it, unless another caller already replaced it.
func (c *Client) dropToken(t *cachedToken) {
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	if c.token == t {
		c.token = nil
	}
}

// callToken is the token a call sends: its transaction's, which lives in that token's session,
// or else the client's current one.
func (c *Client) callToken(ctx context.Context, tx *Transaction) (*cachedToken, error) {
	if tx != nil {
		return tx.tok, nil
	}
	return c.accessToken(ctx)
}

// tokenFor returns a token that stays valid for at least d more, fetching a new one when the
// current one would expire sooner; a transaction needs its token for its whole life.
func (c *Client) tokenFor(ctx context.Context, d time.Duration) (*cachedToken, error) {
	t, err := c.accessToken(ctx)
	if err != nil {
		return nil, err
	}
	if t.expires.IsZero() || c.cfg.Now().Add(d).Before(t.expires) {
		return t, nil
	}
	c.dropToken(t)
	return c.accessToken(ctx)
}
