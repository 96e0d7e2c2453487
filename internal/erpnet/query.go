package erpnet

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Term is one condition of a $filter. Terms of a query are joined with `and`: Erp.Net supports
// neither `or` nor `ne`, `gt`, `lt`, so none is offered.
type Term struct {
	text string
	err  error
}

// Eq is `path eq value`.
func Eq(path string, v Literal) Term { return compare(path, "eq", v) }

// Ge is `path ge value`.
func Ge(path string, v Literal) Term { return compare(path, "ge", v) }

// Le is `path le value`.
func Le(path string, v Literal) Term { return compare(path, "le", v) }

func compare(path, op string, v Literal) Term {
	if err := checkPath(path); err != nil {
		return Term{err: err}
	}
	s, err := literalText(v)
	if err != nil {
		return Term{err: err}
	}
	return Term{text: path + " " + op + " " + s}
}

// In is `path in (v1,v2,...)`. An empty list is refused rather than sent, because its meaning
// (match nothing) is easy to get wrong on both sides.
func In(path string, vs ...Literal) Term {
	if err := checkPath(path); err != nil {
		return Term{err: err}
	}
	if len(vs) == 0 {
		return Term{err: fmt.Errorf("erpnet: %s in (): empty list", path)}
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		s, err := literalText(v)
		if err != nil {
			return Term{err: err}
		}
		parts[i] = s
	}
	return Term{text: path + " in (" + strings.Join(parts, ",") + ")"}
}

// Contains is `contains(path,'s')`; it is also the only way to match a multi-language string.
func Contains(path, s string) Term { return function("contains", path, s) }

// StartsWith is `startswith(path,'s')`.
func StartsWith(path, s string) Term { return function("startswith", path, s) }

// EndsWith is `endswith(path,'s')`.
func EndsWith(path, s string) Term { return function("endswith", path, s) }

func function(name, path, s string) Term {
	if err := checkPath(path); err != nil {
		return Term{err: err}
	}
	return Term{text: name + "(" + path + "," + quote(s) + ")"}
}

func literalText(v Literal) (string, error) {
	if v == nil {
		return "", errors.New("erpnet: nil literal")
	}
	return v.literal()
}

// Query is an OData request for one entity set: the set (or one entity of it) and the query
// options. It is a value: every method returns a new Query and never changes the receiver, so a
// base query can be shared and extended freely.
//
// A malformed part (a property path that is not an identifier path, an invalid id, ...) does not
// panic: the query remembers the first such error, Err and Values report it, String marks it, and
// the client refuses to send it. A query is never sent with a part silently dropped.
type Query struct {
	set     string
	key     string
	next    string
	terms   []string
	selects []string
	expands []string
	orders  []string
	top     int
	skip    int
	hasTop  bool
	hasSkip bool
	count   bool
	err     error
}

// From is a query of the entity set `set` (e.g. "Crm_Sales_SalesOrders").
func From(set string) Query { return Query{}.From(set) }

// NextPage is the query that continues a listing at an @odata.nextLink. The link is opaque; the
// client only checks that it points into the Domain API it came from.
func NextPage(link string) Query { return Query{next: link} }

// From returns q reading the entity set `set`.
func (q Query) From(set string) Query {
	q.setErr(checkIdent("entity set", set))
	q.set = set
	return q
}

// Key returns q reading the one entity with this id.
func (q Query) Key(id string) Query {
	k, err := parseID(id)
	q.setErr(err)
	q.key = k
	return q
}

// Where returns q with the terms added to its filter (all joined with `and`).
func (q Query) Where(terms ...Term) Query {
	// Clipped once: the first append copies, so the query q came from keeps its own terms, and
	// the rest append in place.
	added := slices.Grow(slices.Clip(q.terms), len(terms))
	for _, t := range terms {
		if t.err == nil && t.text == "" {
			q.setErr(errors.New("erpnet: empty filter term"))
			continue
		}
		q.setErr(t.err)
		added = append(added, t.text)
	}
	q.terms = added
	return q
}

// Select returns q asking also for these properties. "default" stands for the default set, so
// Select("default", "Id") adds Id to it, which Erp.Net does not return unless asked.
func (q Query) Select(props ...string) Query {
	added := slices.Grow(slices.Clip(q.selects), len(props)) // see Where
	for _, p := range props {
		q.setErr(checkPath(p))
		if !slices.Contains(added, p) {
			added = append(added, p)
		}
	}
	q.selects = added
	return q
}

// Expand returns q inlining the navigation property nav; an optional sub-query sets the options
// of the expanded entities, e.g. Expand("Lines", Query{}.Expand("Product")) is
// `$expand=Lines($expand=Product)`. A sub-query's entity set and key are ignored.
func (q Query) Expand(nav string, sub ...Query) Query {
	q.setErr(checkPath(nav))
	if len(sub) > 1 {
		q.setErr(errors.New("erpnet: Expand takes at most one sub-query"))
	}
	text := nav
	if len(sub) == 1 {
		q.setErr(sub[0].err)
		if opts := sub[0].options(";"); opts != "" {
			text += "(" + opts + ")"
		}
	}
	q.expands = append(slices.Clip(q.expands), text)
	return q
}

// OrderBy returns q sorted also by prop, descending when desc.
func (q Query) OrderBy(prop string, desc bool) Query {
	q.setErr(checkPath(prop))
	if desc {
		prop += " desc"
	}
	q.orders = append(slices.Clip(q.orders), prop)
	return q
}

// Top returns q limited to n rows (Erp.Net recommends pages of at most 1000).
func (q Query) Top(n int) Query {
	if n < 0 {
		q.setErr(fmt.Errorf("erpnet: negative $top %d", n))
	}
	q.top, q.hasTop = n, true
	return q
}

// Skip returns q skipping the first n rows.
func (q Query) Skip(n int) Query {
	if n < 0 {
		q.setErr(fmt.Errorf("erpnet: negative $skip %d", n))
	}
	q.skip, q.hasSkip = n, true
	return q
}

// Count returns q asking for the total row count too ($count=true, answered as @odata.count).
func (q Query) Count() Query {
	q.count = true
	return q
}

// Unpaged is q without its order and paging: the set of rows its pages are cut from.
func (q Query) Unpaged() Query {
	q.orders, q.top, q.hasTop, q.skip, q.hasSkip = nil, 0, false, 0, false
	return q
}

// Skipped is the $skip of q, 0 when none.
func (q Query) Skipped() int { return q.skip }

// EntitySet is the entity set the query reads ("" for a NextPage query).
func (q Query) EntitySet() string { return q.set }

// ID is the entity id given to Key, or "".
func (q Query) ID() string { return q.key }

// Err is the first error made while building the query, or nil.
func (q Query) Err() error { return q.err }

// Values are the query options as URL parameters, or the first error made building the query.
func (q Query) Values() (url.Values, error) {
	if q.err != nil {
		return nil, q.err
	}
	v := url.Values{}
	for _, o := range q.optionList() {
		v.Set(o[0], o[1])
	}
	return v, nil
}

// String is the deterministic text of the query: the resource path and its options, encoded the
// way they are sent (e.g. `Crm_Sales_SalesOrders?$filter=...&$top=10`). Equal queries have equal
// strings, so it serves as a cache key. A query with an error is marked as invalid, so it never
// shares a key with a valid query.
func (q Query) String() string {
	if q.err != nil {
		return "invalid query: " + q.err.Error()
	}
	if q.next != "" {
		return "next:" + q.next
	}
	opts := q.options("&")
	if opts == "" {
		return q.path()
	}
	return q.path() + "?" + opts
}

// path is the resource path relative to the service root.
func (q Query) path() string {
	if q.key != "" {
		return q.set + "(" + q.key + ")"
	}
	return q.set
}

// optionList is every query option as name/value pairs, in the fixed order OData documents them.
func (q Query) optionList() [][2]string {
	var out [][2]string
	q.eachOption(func(name string, parts []string, joint, value string) {
		if parts != nil {
			value = strings.Join(parts, joint)
		}
		out = append(out, [2]string{name, value})
	})
	return out
}

// eachOption calls fn for every query option in the fixed order OData documents them: its value
// is parts joined by joint, or value when parts is nil.
func (q Query) eachOption(fn func(name string, parts []string, joint, value string)) {
	if len(q.terms) > 0 {
		fn("$filter", q.terms, " and ", "")
	}
	if len(q.selects) > 0 {
		fn("$select", q.selects, ",", "")
	}
	if len(q.expands) > 0 {
		fn("$expand", q.expands, ",", "")
	}
	if len(q.orders) > 0 {
		fn("$orderby", q.orders, ",", "")
	}
	if q.hasTop {
		fn("$top", nil, "", strconv.Itoa(q.top))
	}
	if q.hasSkip {
		fn("$skip", nil, "", strconv.Itoa(q.skip))
	}
	if q.count {
		fn("$count", nil, "", "true")
	}
}

// options encodes the options joined by sep: "&" for a URL (values escaped), ";" inside an
// $expand (values left as they are, the outer encoding escapes them). It writes into one
// buffer: every page view makes several queries' text as cache keys.
func (q Query) options(sep string) string {
	var b strings.Builder
	b.Grow(256)
	first := true
	write := func(s string) {
		if sep == "&" {
			writeEscaped(&b, s)
		} else {
			b.WriteString(s)
		}
	}
	q.eachOption(func(name string, parts []string, joint, value string) {
		if !first {
			b.WriteString(sep)
		}
		first = false
		b.WriteString(name)
		b.WriteByte('=')
		if parts == nil {
			write(value)
			return
		}
		for i, p := range parts {
			if i > 0 {
				write(joint)
			}
			write(p)
		}
	})
	return b.String()
}

// escape encodes a query value as url.QueryEscape does, but with %20 for spaces, which every
// server reads the same way.
func escape(s string) string {
	var b strings.Builder
	writeEscaped(&b, s)
	return b.String()
}

// writeEscaped writes s to b escaped as escape does: the unreserved characters of RFC 3986 as they
// are, a space as %20, every other byte as %XX.
func writeEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			continue
		}
		b.WriteString(s[start:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		start = i + 1
	}
	b.WriteString(s[start:])
}

func (q *Query) setErr(err error) {
	if q.err == nil && err != nil {
		q.err = err
	}
}

// withID returns q selecting Id, which Erp.Net leaves out unless asked: the default set plus Id
// when q selects nothing, otherwise q's selection plus Id.
func (q Query) withID() Query {
	if noID[q.set] {
		return q // the entity's @odata.id still names it
	}
	if len(q.selects) == 0 {
		return q.Select("default", "Id")
	}
	return q.Select("Id")
}

// noID are the sets whose model lists no Id attribute: the Parties base set (which exposes
// PartyId) and the PaymentBalances view. Selecting Id there is refused.
var noID = map[string]bool{SetParties: true, SetPaymentBalances: true}
