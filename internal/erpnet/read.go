package erpnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// ErrTooManyPages is returned by ListAll when a listing has more pages than Config.MaxPages.
var ErrTooManyPages = errors.New("erpnet: listing has more pages than allowed")

// listPageSize is the page size ListAll asks for when the query sets none; Erp.Net recommends
// pages of at most 1000 rows.
const listPageSize = 1000

// PageInfo describes one page of a listing.
type PageInfo struct {
	// Next is the @odata.nextLink, "" on the last page. Continue with NextPage(Next).
	Next string
	// Count is @odata.count, the number of rows matching the filter; set when the query asked
	// for it with Count() (then Counted is true).
	Count   int
	Counted bool
}

// List reads one page of q into out, a pointer to a slice, and returns the @odata.nextLink
// ("" on the last page).
func (c *Client) List(ctx context.Context, q Query, out any) (next string, err error) {
	p, err := c.ListPage(ctx, q, out)
	return p.Next, err
}

// ListPage reads one page of q into out, a pointer to a slice, with its paging information.
func (c *Client) ListPage(ctx context.Context, q Query, out any) (PageInfo, error) {
	cl, err := c.listCall(ctx, q)
	if err != nil {
		return PageInfo{}, err
	}
	resp, err := c.do(ctx, cl)
	if err != nil {
		return PageInfo{}, err
	}
	// The envelope of a listing. The rows are decoded straight into out, in the one pass over
	// the answer: no copy of them is made first.
	env := struct {
		Value any    `json:"value"`
		Next  string `json:"@odata.nextLink"`
		Count *int   `json:"@odata.count"`
	}{Value: out}
	if err := json.Unmarshal(resp.body, &env); err != nil {
		return PageInfo{}, fmt.Errorf("erpnet: %s: decoding the collection: %w", cl.op(), err)
	}
	p := PageInfo{Next: env.Next}
	if env.Count != nil {
		p.Count, p.Counted = *env.Count, true
	}
	return p, nil
}

// listCall is the request of a listing: q's path and options, or a next link that must lie
// under the service root, so the bearer token is never sent anywhere else.
func (c *Client) listCall(ctx context.Context, q Query) (call, error) {
	if err := q.Err(); err != nil {
		return call{}, err
	}
	if q.next == "" {
		if q.set == "" {
			return call{}, errors.New("erpnet: query names no entity set")
		}
		return call{method: http.MethodGet, target: q.String(), set: q.set}, nil
	}
	if err := c.Discover(ctx); err != nil {
		return call{}, err
	}
	root := c.ODataRoot()
	base, err := url.Parse(root)
	if err != nil {
		return call{}, fmt.Errorf("erpnet: service root: %w", err)
	}
	u, err := base.Parse(q.next)
	if err != nil || !strings.HasPrefix(u.String(), root) {
		return call{}, fmt.Errorf("erpnet: next link %q is not under the service root", q.next)
	}
	set := strings.TrimPrefix(u.Path, base.Path)
	return call{method: http.MethodGet, target: u.String(), set: set}, nil
}

// ListAll reads every row of q into out, a pointer to a slice, following @odata.nextLink. A
// query without Top is read in pages of 1000 rows. More than Config.MaxPages pages is an error
// (ErrTooManyPages); out then holds the rows read so far. Each page is one call with its own
// deadline.
func (c *Client) ListAll(ctx context.Context, q Query, out any) error {
	dst := reflect.ValueOf(out)
	if dst.Kind() != reflect.Pointer || dst.IsNil() || dst.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("erpnet: ListAll needs a pointer to a slice, got %T", out)
	}
	rows := dst.Elem()
	rows.SetLen(0)
	if q.next == "" && !q.hasTop {
		q = q.Top(listPageSize)
	}
	seen := map[string]bool{}
	for pages := 1; ; pages++ {
		page := reflect.New(rows.Type())
		p, err := c.ListPage(ctx, q, page.Interface())
		if err != nil {
			return err
		}
		rows.Set(reflect.AppendSlice(rows, page.Elem()))
		if p.Next == "" {
			return nil
		}
		if pages >= c.cfg.MaxPages {
			return fmt.Errorf("%w (%d)", ErrTooManyPages, c.cfg.MaxPages)
		}
		if seen[p.Next] {
			return fmt.Errorf("erpnet: %s: next link repeats", q.set)
		}
		seen[p.Next] = true
		q = NextPage(p.Next)
	}
}

// Get reads the entity id of set into out, with q's options ($select, $expand). A missing
// entity is an error for which IsNotFound is true.
func (c *Client) Get(ctx context.Context, set, id string, q Query, out any) error {
	q = q.From(set).Key(id)
	if err := q.Err(); err != nil {
		return err
	}
	cl := call{method: http.MethodGet, target: q.String(), set: set}
	resp, err := c.do(ctx, cl)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("erpnet: %s: decoding the entity: %w", cl.op(), err)
	}
	return nil
}

// Count is the number of rows of q's set matching q's filter (`Set/$count`). Other options of q
// are ignored.
func (c *Client) Count(ctx context.Context, q Query) (int, error) {
	if err := q.Err(); err != nil {
		return 0, err
	}
	if q.set == "" {
		return 0, errors.New("erpnet: query names no entity set")
	}
	target := q.set + "/$count"
	if len(q.terms) > 0 {
		target += "?$filter=" + escape(strings.Join(q.terms, " and "))
	}
	cl := call{method: http.MethodGet, target: target, set: q.set + "/$count"}
	resp, err := c.do(ctx, cl)
	if err != nil {
		return 0, err
	}
	text := strings.TrimSpace(strings.TrimPrefix(string(resp.body), "\uFEFF"))
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, fmt.Errorf("erpnet: %s: not a count: %q", cl.op(), text[:min(len(text), 40)])
	}
	return n, nil
}
