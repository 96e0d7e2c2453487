package erpnet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"
)

// maxBody bounds an answer read into memory; printouts and embedded files are the large ones.
const maxBody = 64 << 20

// Backoff between retries when Erp.Net gives no Retry-After: exponential from backoffBase,
// capped, with jitter so that retrying callers do not return in step.
const (
	backoffBase = 250 * time.Millisecond
	backoffMax  = 8 * time.Second
)

// call is one Domain API request.
type call struct {
	method string
	// target is relative to the service root (e.g. "Crm_Sales_SalesOrders?$top=10"), or an
	// absolute URL already checked to lie under it.
	target string
	// set names the entity set in logs and errors.
	set  string
	body []byte
	// outsideTx leaves the TransactionId header off a call made inside a transaction, as
	// EndTransaction names its transaction in the URL instead.
	outsideTx bool
}

func (cl call) op() string { return cl.method + " " + cl.set }

// response is a completed exchange with a 2xx status.
type response struct {
	status int
	body   []byte
}

// do sends cl with everything Erp.Net asks of a client: a deadline, discovery, a bearer token
// (renewed once on 401, except inside a transaction), a slot in its lane under the concurrency
// bound, the request pace, the viewer's culture, the transaction header, and retries on 429 and
// 503 that honour Retry-After (else back off exponentially) and never outlast the deadline. Any
// non-2xx answer becomes an *Error.
func (c *Client) do(ctx context.Context, cl call) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	if err := c.Discover(ctx); err != nil {
		return nil, err
	}
	tx := transactionFrom(ctx)
	reauthed := false
	retries := 0
	for attempt := 1; ; attempt++ {
		tok, err := c.callToken(ctx, tx)
		if err != nil {
			return nil, err
		}
		status, header, body, err := c.send(ctx, cl, tok, attempt)
		if err != nil {
			return nil, err
		}
		switch {
		case status == http.StatusUnauthorized && !reauthed && tx == nil:
			// A transaction lives in its token's session: a new token could not continue it.
			// Outside one, the token expired or was revoked early: one retry with a fresh one.
			c.dropToken(tok)
			reauthed = true
			continue
		case (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) && retries < c.cfg.MaxRetries:
			wait := c.retryDelay(header, retries)
			if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
				// Waiting would outlast the call: report the refusal now.
				return nil, decodeError(cl.op(), status, body)
			}
			if err := c.sleep(ctx, wait); err != nil {
				return nil, transportError(ctx, cl.op(), err)
			}
			retries++
			continue
		case status < 200 || status > 299:
			e := decodeError(cl.op(), status, body)
			if e.Info != "" {
				c.log.Info("erpnet: error answer", zap.String("op", e.Op), zap.Int("status", e.Status),
					zap.Int("code", e.Code), zap.String("info", e.Info))
			}
			return nil, e
		}
		return &response{status: status, body: body}, nil
	}
}

// send makes one HTTP exchange inside a concurrency slot and reads the whole answer, so the slot
// and the connection are free when it returns.
func (c *Client) send(ctx context.Context, cl call, tok *cachedToken, attempt int) (int, http.Header, []byte, error) {
	target := cl.target
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
		target = c.ODataRoot() + target
	}
	target = withCultureParam(target, Culture(ctx))
	var reqBody io.Reader
	if cl.body != nil {
		reqBody = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, reqBody)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("erpnet: %s: %w", cl.op(), err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.access)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("OData-Version", "4.0")
	req.Header.Set("OData-MaxVersion", "4.0")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tx := transactionFrom(ctx); tx != nil && !cl.outsideTx {
		req.Header.Set("TransactionId", tx.id)
	}

	ln := laneOf(ctx)
	if err := c.slots.acquire(ctx, ln, FairKey(ctx)); err != nil {
		return 0, nil, nil, transportError(ctx, cl.op(), err)
	}
	// The pace is taken with the slot held, so the order the lanes chose is the order sent.
	if err := c.waitPace(ctx, cl.op()); err != nil {
		c.slots.release(ln)
		return 0, nil, nil, err
	}
	// Then the instance's slot, shared by every replica, held only while the request runs.
	releaseGate := func() {}
	if c.cfg.Gate != nil {
		rel, err := c.cfg.Gate.Acquire(ctx, ln == laneBulk, FairKey(ctx))
		if err != nil {
			c.slots.release(ln)
			return 0, nil, nil, transportError(ctx, cl.op(), err)
		}
		releaseGate = rel
	}
	start := time.Now()
	resp, err := c.cfg.HTTPClient.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
	}
	releaseGate()
	c.slots.release(ln)

	fields := []zap.Field{zap.String("method", cl.method), zap.String("set", cl.set),
		zap.Duration("duration", time.Since(start)), zap.Int("attempt", attempt)}
	if err != nil {
		c.log.Debug("erpnet: call failed", append(fields, zap.Error(err))...)
		return 0, nil, nil, transportError(ctx, cl.op(), err)
	}
	c.log.Debug("erpnet: call", append(fields, zap.Int("status", resp.StatusCode))...)
	if len(body) > maxBody {
		return 0, nil, nil, fmt.Errorf("erpnet: %s: answer larger than %d bytes", cl.op(), maxBody)
	}
	return resp.StatusCode, resp.Header, body, nil
}

// retryDelay is how long to wait before retry number retries+1: what Retry-After asks (seconds
// or an HTTP date), otherwise exponential backoff with jitter.
func (c *Client) retryDelay(h http.Header, retries int) time.Duration {
	if d, ok := parseRetryAfter(h.Get("Retry-After"), c.cfg.Now()); ok {
		return d
	}
	d := backoffBase << min(retries, 10)
	d = min(d, backoffMax)
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads a Retry-After value given as seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// withCultureParam sets the URL parameter culture= on target, replacing one already there (a
// nextLink may carry it), or returns target unchanged when culture is "".
func withCultureParam(target, culture string) string {
	if culture == "" {
		return target
	}
	base, query, _ := strings.Cut(target, "?")
	// The other parameters keep their exact encoding: only a culture= already there is dropped.
	parts := []string{}
	for p := range strings.SplitSeq(query, "&") {
		if p != "" && !strings.HasPrefix(p, "culture=") {
			parts = append(parts, p)
		}
	}
	parts = append(parts, "culture="+url.QueryEscape(culture))
	return base + "?" + strings.Join(parts, "&")
}
