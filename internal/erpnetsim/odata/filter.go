package odata

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The $filter dialect of Erp.Net's Domain API: eq, ge, le, and, in, contains, startswith and
// endswith, with parentheses. It has no or, ne, gt, lt or not; the server refuses them.

// filterExpr is a parsed $filter, evaluated against one entity.
type filterExpr interface {
	eval(st *Store, es *entitySet, e Entity) bool
}

type andExpr struct{ l, r filterExpr }

func (a andExpr) eval(st *Store, es *entitySet, e Entity) bool {
	return a.l.eval(st, es, e) && a.r.eval(st, es, e)
}

// cmpExpr compares a property path with literals: op is eq, ge, le, in, contains, startswith or endswith.
type cmpExpr struct {
	path []string
	op   string
	lits []literal
}

// literal is one value of the filter text, kept in its lexical form until compared with a property.
type literal struct {
	kind string // "str", "num", "bool", "null", "date", "guid"
	text string
}

// queryError is a request the Domain API refuses (HTTP 400).
type queryError struct{ msg string }

func (e *queryError) Error() string { return e.msg }

func qerr(format string, args ...any) error { return &queryError{fmt.Sprintf(format, args...)} }

type token struct {
	kind string // "ident", "str", "num", "date", "guid", "(", ")", ",", "/"
	text string
}

var (
	reGUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	reDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?`)
	reNum  = regexp.MustCompile(`^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?`)
)

func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case strings.ContainsRune("(),/", rune(c)):
			out = append(out, token{kind: string(c), text: string(c)})
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, qerr("Unterminated string literal at position %d in $filter.", i)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, token{kind: "str", text: b.String()})
			i = j + 1
		case reGUID.MatchString(s[i:]) && (len(s) == i+36 || !isIdentByte(s[i+36])):
			out = append(out, token{kind: "guid", text: strings.ToLower(s[i : i+36])})
			i += 36
		case c >= '0' && c <= '9' && reDate.MatchString(s[i:]) && len(reDate.FindString(s[i:])) >= 10:
			m := reDate.FindString(s[i:])
			out = append(out, token{kind: "date", text: m})
			i += len(m)
		case c == '-' || (c >= '0' && c <= '9'):
			m := reNum.FindString(s[i:])
			if m == "" {
				return nil, qerr("Syntax error at position %d in $filter.", i)
			}
			out = append(out, token{kind: "num", text: strings.TrimRight(m, "mMdDfFlL")})
			i += len(m)
		case isIdentByte(c):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			out = append(out, token{kind: "ident", text: s[i:j]})
			i = j
		default:
			return nil, qerr("Syntax error: character '%c' at position %d in $filter is not valid.", c, i)
		}
	}
	return out, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// filterParser is a recursive-descent parser over the tokens of one $filter.
type filterParser struct {
	toks []token
	pos  int
	es   *entitySet
	st   *Store
	lax  bool // an oracle query of the tests: the model's filter rules do not apply
}

func parseFilter(st *Store, es *entitySet, text string, lax bool) (filterExpr, error) {
	toks, err := tokenize(text)
	if err != nil {
		return nil, err
	}
	fp := &filterParser{toks: toks, es: es, st: st, lax: lax}
	x, err := fp.expr()
	if err != nil {
		return nil, err
	}
	if fp.pos < len(fp.toks) {
		return nil, fp.unexpected()
	}
	return x, nil
}

func (fp *filterParser) peek() token {
	if fp.pos < len(fp.toks) {
		return fp.toks[fp.pos]
	}
	return token{kind: "eof"}
}

func (fp *filterParser) next() token { t := fp.peek(); fp.pos++; return t }

func (fp *filterParser) unexpected() error {
	t := fp.peek()
	if t.kind == "eof" {
		return qerr("Unexpected end of $filter.")
	}
	if t.kind == "ident" {
		switch strings.ToLower(t.text) {
		case "or", "ne", "gt", "lt", "not", "has":
			return qerr("The operator '%s' is not supported by the Domain API.", t.text)
		}
	}
	return qerr("Syntax error at '%s' in $filter.", t.text)
}

func (fp *filterParser) expect(kind string) error {
	if fp.peek().kind != kind {
		return fp.unexpected()
	}
	fp.pos++
	return nil
}

func (fp *filterParser) expr() (filterExpr, error) {
	l, err := fp.term()
	if err != nil {
		return nil, err
	}
	for fp.peek().kind == "ident" && fp.peek().text == "and" {
		fp.pos++
		r, err := fp.term()
		if err != nil {
			return nil, err
		}
		l = andExpr{l, r}
	}
	if t := fp.peek(); t.kind == "ident" {
		return nil, fp.unexpected()
	}
	return l, nil
}

func (fp *filterParser) term() (filterExpr, error) {
	t := fp.peek()
	if t.kind == "(" {
		fp.pos++
		x, err := fp.expr()
		if err != nil {
			return nil, err
		}
		return x, fp.expect(")")
	}
	if t.kind != "ident" {
		return nil, fp.unexpected()
	}
	switch t.text {
	case "contains", "startswith", "endswith":
		if fp.pos+1 < len(fp.toks) && fp.toks[fp.pos+1].kind == "(" {
			fp.pos += 2
			path, pr, err := fp.path()
			if err != nil {
				return nil, err
			}
			if pr.Kind != kString && pr.Kind != kML {
				return nil, qerr("The function '%s' applies only to text properties, not to '%s'.", t.text, strings.Join(path, "/"))
			}
			if err := fp.supports(path, pr, fLike); err != nil {
				return nil, err
			}
			if err := fp.expect(","); err != nil {
				return nil, err
			}
			lit := fp.next()
			if lit.kind != "str" {
				return nil, qerr("The function '%s' expects a string literal.", t.text)
			}
			return cmpExpr{path: path, op: t.text, lits: []literal{{"str", lit.text}}}, fp.expect(")")
		}
	case "not":
		return nil, fp.unexpected()
	}
	path, pr, err := fp.path()
	if err != nil {
		return nil, err
	}
	op := fp.next()
	if op.kind != "ident" {
		fp.pos--
		return nil, fp.unexpected()
	}
	switch op.text {
	case "eq", "ge", "le":
		lit, err := fp.literal()
		if err != nil {
			return nil, err
		}
		if pr.Kind == kML {
			return nil, qerr("Multi-language property '%s' can be filtered only with contains().", strings.Join(path, "/"))
		}
		if op.text != "eq" && (pr.Kind == kRef || pr.Kind == kBool) {
			return nil, qerr("The operator '%s' is not supported for '%s'.", op.text, strings.Join(path, "/"))
		}
		need := fEquals
		if op.text != "eq" {
			need = fRange
		}
		if err := fp.supports(path, pr, need); err != nil {
			return nil, err
		}
		return cmpExpr{path: path, op: op.text, lits: []literal{lit}}, nil
	case "in":
		if err := fp.expect("("); err != nil {
			return nil, err
		}
		var lits []literal
		for {
			lit, err := fp.literal()
			if err != nil {
				return nil, err
			}
			lits = append(lits, lit)
			if fp.peek().kind == "," {
				fp.pos++
				continue
			}
			break
		}
		if err := fp.supports(path, pr, fIn); err != nil {
			return nil, err
		}
		return cmpExpr{path: path, op: "in", lits: lits}, fp.expect(")")
	}
	fp.pos--
	return nil, fp.unexpected()
}

// path reads Prop or Ref/Ref/Prop; a trailing "Value" on an Amount or Quantity name
// (AmountToPayValue) compares its number.
func (fp *filterParser) path() ([]string, *prop, error) {
	es := fp.es
	var path []string
	for {
		t := fp.next()
		if t.kind != "ident" {
			fp.pos--
			return nil, nil, fp.unexpected()
		}
		pr := es.prop(t.text)
		if pr == nil {
			if base, ok := strings.CutSuffix(t.text, "Value"); ok {
				if bp := es.prop(base); bp != nil && (bp.Kind == kAmount || bp.Kind == kQuantity) {
					pr = &prop{Name: t.text, Kind: kDecimal, Filters: bp.Filters, OrderBy: bp.OrderBy}
				}
			}
		}
		if pr == nil || pr.Kind == kChildren {
			return nil, nil, qerr("Could not find a property named '%s' on type '%s'.", t.text, es.typeName())
		}
		path = append(path, t.text)
		if fp.peek().kind != "/" {
			if pr.Kind == kAmount || pr.Kind == kQuantity {
				return nil, nil, qerr("Compare '%s' through '%sValue'.", t.text, t.text)
			}
			return path, pr, nil
		}
		if pr.Kind != kRef || pr.Target == "" {
			return nil, nil, qerr("'%s' is not a navigation property.", t.text)
		}
		if !pr.FilterableRef && !fp.lax {
			// The model marks the few references a filter may go through; any other path is refused.
			return nil, nil, qerr("The reference '%s' of type '%s' is not a filterable reference.", t.text, es.typeName())
		}
		fp.pos++
		es = fp.st.sets[pr.Target]
	}
}

func (fp *filterParser) literal() (literal, error) {
	t := fp.next()
	switch t.kind {
	case "str", "num", "date", "guid":
		return literal(t), nil
	case "ident":
		switch t.text {
		case "true", "false":
			return literal{"bool", t.text}, nil
		case "null":
			return literal{"null", ""}, nil
		}
	}
	fp.pos--
	return literal{}, fp.unexpected()
}

// resolve follows the path from e, returning the final value and its property.
func (c cmpExpr) resolve(st *Store, es *entitySet, e Entity) (any, *prop) {
	var pr *prop
	for i, name := range c.path {
		pr = es.prop(name)
		if pr == nil { // the XValue form of an Amount or Quantity
			base := strings.TrimSuffix(name, "Value")
			switch v := e[base].(type) {
			case Amount:
				return v.Value, &prop{Name: name, Kind: kDecimal}
			case Quantity:
				return v.Value, &prop{Name: name, Kind: kDecimal}
			}
			return nil, &prop{Name: name, Kind: kDecimal}
		}
		v := e[name]
		if i == len(c.path)-1 {
			return v, pr
		}
		r, ok := v.(Ref)
		if !ok {
			return nil, pr
		}
		e = st.Deref(r)
		if e == nil {
			return nil, pr
		}
		es = st.sets[pr.Target]
	}
	return nil, pr
}

func (c cmpExpr) eval(st *Store, es *entitySet, e Entity) bool {
	v, pr := c.resolve(st, es, e)
	switch c.op {
	case "contains", "startswith", "endswith":
		needle := strings.ToLower(c.lits[0].text)
		var texts []string
		switch t := v.(type) {
		case string:
			texts = []string{t}
		case MLString:
			for _, s := range t {
				texts = append(texts, s)
			}
		}
		for _, s := range texts {
			s = strings.ToLower(s)
			if (c.op == "contains" && strings.Contains(s, needle)) || (c.op == "startswith" && strings.HasPrefix(s, needle)) ||
				(c.op == "endswith" && strings.HasSuffix(s, needle)) {
				return true
			}
		}
		return false
	case "in":
		for _, l := range c.lits {
			if cmp, ok := compare(v, pr, l); ok && cmp == 0 {
				return true
			}
		}
		return false
	}
	cmp, ok := compare(v, pr, c.lits[0])
	if !ok {
		return false
	}
	switch c.op {
	case "eq":
		return cmp == 0
	case "ge":
		return cmp >= 0
	case "le":
		return cmp <= 0
	}
	return false
}

// stateOrder is the numeric order of Erp.Net's document states, for ge/le on State.
var stateOrder = map[string]int{"New": 0, "Adjustment": 5, "Planned": 10, "FirmPlanned": 20, "Released": 30, "Completed": 40, "Closed": 50}

// compare orders a property value against a literal; ok is false when they cannot be compared
// (null on one side only, or a mismatch), which makes every comparison false, as in SQL.
func compare(v any, pr *prop, l literal) (int, bool) {
	if l.kind == "null" {
		if v == nil || v == "" && pr.Kind == kRef {
			return 0, true
		}
		if r, ok := v.(Ref); ok && r.ID == "" {
			return 0, true
		}
		return 1, false
	}
	switch x := v.(type) {
	case nil:
		return 0, false
	case string:
		if pr.Kind == kEnum && pr.Name == "State" {
			a, okA := stateOrder[x]
			b, okB := stateOrder[l.text]
			if okA && okB {
				return a - b, true
			}
		}
		if pr.Kind == kGUID {
			return strings.Compare(x, strings.ToLower(l.text)), l.kind == "guid" || l.kind == "str"
		}
		if l.kind != "str" {
			return 0, false
		}
		return strings.Compare(strings.ToLower(x), strings.ToLower(l.text)), true
	case Ref:
		id := strings.ToLower(l.text)
		if l.kind == "str" { // 'Set(guid)'
			if open := strings.IndexByte(id, '('); open >= 0 && strings.HasSuffix(id, ")") {
				id = id[open+1 : len(id)-1]
			}
		}
		return strings.Compare(x.ID, id), true
	case bool:
		if l.kind != "bool" {
			return 0, false
		}
		b := l.text == "true"
		switch {
		case x == b:
			return 0, true
		case x:
			return 1, true
		}
		return -1, true
	case int64, float64:
		f := toFloat(x)
		if l.kind != "num" {
			return 0, false
		}
		g, err := strconv.ParseFloat(l.text, 64)
		if err != nil {
			return 0, false
		}
		return cmpFloat(f, g), true
	case time.Time:
		if l.kind != "date" {
			return 0, false
		}
		t, err := parseDateLiteral(l.text)
		if err != nil {
			return 0, false
		}
		return x.Compare(t), true
	}
	return 0, false
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parseDateLiteral accepts 2026-01-01, 2026-01-01Z and full date-times with a zone.
func parseDateLiteral(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02Z07:00", "2006-01-02", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if strings.HasSuffix(s, "Z") {
		if t, err := time.Parse("2006-01-02", strings.TrimSuffix(s, "Z")); err == nil {
			return t, nil
		}
	}
	return time.Time{}, qerr("'%s' is not a valid date.", s)
}

// supports refuses a comparison the attribute's "Supported Filters" do not list. The docs do not
// say how the real server answers one; refusing is the stricter reading, so what passes here
// also passes there.
func (fp *filterParser) supports(path []string, pr *prop, filter string) error {
	if fp.lax || pr.allows(filter) {
		return nil
	}
	if len(pr.Filters) == 0 {
		return qerr("The property '%s' is not filterable.", strings.Join(path, "/"))
	}
	return qerr("The property '%s' supports only %s filters, not %s.", strings.Join(path, "/"), strings.Join(pr.Filters, ", "), filter)
}
