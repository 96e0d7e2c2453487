package odata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxPageSize is the largest $top the simulator serves.
const maxPageSize = 1000

// Version is what GetVersion answers unless Options.Version says otherwise.
const Version = "26.1.3.97"

// serveOData routes a Domain API request: the service document, $metadata, GetVersion,
// an entity set (GET list, POST create, /$count), one entity (GET, PATCH, DELETE) or a bound action.
func (s *Server) serveOData(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/api/domain/odata/")
	root := s.opts.Root(r)
	write := r.Method != http.MethodGet && !strings.HasSuffix(rest, "/GetPrintout")
	// Reading needs the scope read and changing needs update; the legacy DomainApi scope grants
	// both (the identity server's Grants knows it). UNCONFIRMED: the status and text the real
	// server answers with.
	need := scopeRead
	if write || strings.HasSuffix(rest, "/GetPrintout") {
		// GetPrintout creates a DocumentPrint record; the docs do not say which scope it needs,
		// so the simulator asks update, the stricter reading. It is still no change of the
		// document, so it does not count as a write.
		need = scopeUpdate
	}
	if !isOracle(r) && !s.opts.Auth.Grants(r, need) {
		writeError(w, http.StatusForbidden, 0, fmt.Sprintf("The access token does not grant the scope '%s'.", need), "")
		return
	}
	if write {
		s.writes.Add(1)
	}
	switch rest {
	case "":
		s.serviceDocument(w, root)
		return
	case "$metadata":
		s.metadata(w)
		return
	case "GetVersion":
		writeJSON(w, http.StatusOK, map[string]string{"@odata.context": root + "$metadata#Edm.String", "version": s.opts.Version})
		return
	}
	setName, rest, _ := strings.Cut(rest, "/")
	key := ""
	if open := strings.IndexByte(setName, '('); open >= 0 && strings.HasSuffix(setName, ")") {
		setName, key = setName[:open], strings.Trim(setName[open+1:len(setName)-1], "'")
	}
	es := s.store.sets[setName]
	if es == nil {
		writeError(w, http.StatusNotFound, 0, fmt.Sprintf("Resource not found for the segment '%s'.", setName), "")
		return
	}
	if key != "" && !reGUID.MatchString(key) {
		writeError(w, http.StatusBadRequest, 0, fmt.Sprintf("The key value '%s' is not a valid Guid.", key), "")
		return
	}
	switch {
	case key == "" && rest == "$count" && r.Method == http.MethodGet:
		s.countEntities(w, r, es)
	case key == "" && rest == "" && r.Method == http.MethodGet:
		s.listEntities(w, r, es, root)
	case key == "" && rest == "" && r.Method == http.MethodPost:
		s.createEntity(w, r, es, root)
	case key != "" && rest == "" && r.Method == http.MethodGet:
		s.getEntity(w, r, es, strings.ToLower(key), root)
	case key != "" && rest == "" && r.Method == http.MethodPatch:
		s.patchEntity(w, r, es, strings.ToLower(key))
	case key != "" && rest == "" && r.Method == http.MethodDelete:
		s.deleteEntity(w, es, strings.ToLower(key))
	case key != "" && rest != "" && r.Method == http.MethodPost:
		s.invokeAction(w, r, es, strings.ToLower(key), rest, root)
	default:
		writeError(w, http.StatusMethodNotAllowed, 0, "The request method is not supported for this resource.", "")
	}
}

// queryOpts is a parsed set of OData query options, also used for nested $expand options.
type queryOpts struct {
	filter    filterExpr
	selects   []string // explicit names; empty means the default set
	dflt      bool     // "default" was selected (or nothing was)
	expand    []expandOpt
	orderby   []orderTerm
	top, skip int // top < 0: none
	skiptoken string
	count     bool
}

type expandOpt struct {
	prop *prop
	opts *queryOpts
}

type orderTerm struct {
	path []string
	desc bool
}

// parseQuery reads the system query options of a request; an unknown $ option is refused as the server does.
func (s *Server) parseQuery(r *http.Request, es *entitySet) (*queryOpts, error) {
	vals := r.URL.Query()
	opts := map[string]string{}
	for k, v := range vals {
		if strings.HasPrefix(k, "$") {
			opts[k] = v[0]
		}
	}
	return s.parseOpts(es, opts, isOracle(r))
}

func (s *Server) parseOpts(es *entitySet, opts map[string]string, lax bool) (*queryOpts, error) {
	q := &queryOpts{top: -1, dflt: true}
	for k, v := range opts {
		var err error
		switch k {
		case "$filter":
			q.filter, err = parseFilter(s.store, es, v, lax)
		case "$select":
			err = q.parseSelect(es, v)
		case "$expand":
			err = s.parseExpand(q, es, v, lax)
		case "$orderby":
			err = s.parseOrderBy(q, es, v, lax)
		case "$top", "$skip":
			n, perr := strconv.Atoi(v)
			if perr != nil || n < 0 {
				err = qerr("Invalid value '%s' for %s.", v, k)
			} else if k == "$top" && n > maxPageSize && !lax {
				// The docs recommend pages of at most 1000; the simulator refuses more, the stricter reading.
				err = qerr("The $top value %d is larger than the page size limit of %d.", n, maxPageSize)
			} else if k == "$top" {
				q.top = n
			} else {
				q.skip = n
			}
		case "$skiptoken":
			q.skiptoken = strings.ToLower(v)
		case "$count":
			q.count = v == "true"
		case "$format":
			if v != "json" && !strings.HasPrefix(v, "application/json") {
				err = qerr("Unsupported $format '%s'.", v)
			}
		default:
			err = qerr("The query parameter '%s' is not supported.", k)
		}
		if err != nil {
			return nil, err
		}
	}
	return q, nil
}

func (q *queryOpts) parseSelect(es *entitySet, v string) error {
	q.dflt = false
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "default":
			q.dflt = true
		case name == "*":
			q.dflt = true
			for _, pr := range es.Props {
				if pr.Kind != kChildren && !pr.Hidden {
					q.selects = append(q.selects, pr.Name)
				}
			}
		case es.prop(name) == nil:
			return qerr("Could not find a property named '%s' on type '%s'.", name, es.typeName())
		default:
			q.selects = append(q.selects, name)
		}
	}
	return nil
}

func (s *Server) parseExpand(q *queryOpts, es *entitySet, v string, lax bool) error {
	for _, item := range splitTop(v, ',') {
		item = strings.TrimSpace(item)
		name, nested := item, ""
		if open := strings.IndexByte(item, '('); open >= 0 && strings.HasSuffix(item, ")") {
			name, nested = item[:open], item[open+1:len(item)-1]
		}
		pr := es.prop(name)
		if pr == nil || (pr.Kind != kRef && pr.Kind != kChildren) {
			return qerr("Property '%s' on type '%s' is not a navigation property.", name, es.typeName())
		}
		target := s.store.sets[pr.Target]
		if target == nil {
			return qerr("Property '%s' cannot be expanded.", name)
		}
		opts := map[string]string{}
		for _, part := range splitTop(nested, ';') {
			if k, val, ok := strings.Cut(part, "="); ok {
				opts[strings.TrimSpace(k)] = val
			}
		}
		sub, err := s.parseOpts(target, opts, lax)
		if err != nil {
			return err
		}
		q.expand = append(q.expand, expandOpt{prop: pr, opts: sub})
	}
	return nil
}

// splitTop splits s at sep outside parentheses and quotes.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func (s *Server) parseOrderBy(q *queryOpts, es *entitySet, v string, lax bool) error {
	for _, item := range strings.Split(v, ",") {
		fields := strings.Fields(item)
		if len(fields) == 0 || len(fields) > 2 || (len(fields) == 2 && fields[1] != "asc" && fields[1] != "desc") {
			return qerr("Invalid $orderby '%s'.", item)
		}
		fp := &filterParser{es: es, st: s.store, lax: lax}
		toks, err := tokenize(fields[0])
		if err != nil {
			return err
		}
		fp.toks = toks
		path, pr, err := fp.path()
		if err == nil && fp.pos < len(toks) {
			err = fp.unexpected()
		}
		if err != nil {
			// An Amount or Quantity orders by its number, so AmountToPay is accepted as AmountToPayValue.
			bp := es.prop(fields[0])
			if bp == nil || (bp.Kind != kAmount && bp.Kind != kQuantity) {
				return err
			}
			path, pr = []string{fields[0] + "Value"}, &prop{Kind: kDecimal}
		}
		if pr.Kind == kML || pr.Kind == kRef {
			// Erp.Net orders a reference by its display text; the simulator keeps it simple and refuses.
			return qerr("Ordering by '%s' is not supported.", fields[0])
		}
		if !pr.OrderBy && !lax {
			// "Supports Order By: False" (or left empty) in the model: refused, the stricter reading.
			return qerr("The property '%s' does not support ordering.", fields[0])
		}
		q.orderby = append(q.orderby, orderTerm{path: path, desc: len(fields) == 2 && fields[1] == "desc"})
	}
	return nil
}

// matching lists the entities of es that pass the filter, in the server's order.
func (s *Server) matching(es *entitySet, q *queryOpts, from string) []Entity {
	var rows []Entity
	s.store.Scan(es.Name, from, func(e Entity) bool {
		if q.filter == nil || q.filter.eval(s.store, es, e) {
			rows = append(rows, e)
		}
		return true
	})
	if len(q.orderby) > 0 {
		sort.SliceStable(rows, func(i, j int) bool {
			for _, ot := range q.orderby {
				c := orderCompare(s.store, es, ot.path, rows[i], rows[j])
				if c != 0 {
					return (c < 0) != ot.desc
				}
			}
			return false // ties stay in Id order, so paging is stable
		})
	}
	return rows
}

func orderCompare(st *Store, es *entitySet, path []string, a, b Entity) int {
	c := cmpExpr{path: path}
	va, _ := c.resolve(st, es, a)
	vb, _ := c.resolve(st, es, b)
	switch {
	case va == nil && vb == nil:
		return 0
	case va == nil:
		return -1
	case vb == nil:
		return 1
	}
	switch x := va.(type) {
	case string:
		if y, ok := vb.(string); ok {
			if path[len(path)-1] == "State" {
				return stateOrder[x] - stateOrder[y]
			}
			return strings.Compare(strings.ToLower(x), strings.ToLower(y))
		}
	case int64, float64:
		return cmpFloat(toFloat(va), toFloat(vb))
	case bool:
		y, _ := vb.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case time.Time:
		if y, ok := vb.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return 0
}

// listEntities answers a collection request with server-driven paging through @odata.nextLink.
func (s *Server) listEntities(w http.ResponseWriter, r *http.Request, es *entitySet, root string) {
	q, err := s.parseQuery(r, es)
	if err != nil {
		writeQueryError(w, err)
		return
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	// Without $orderby the server pages by Id ($skiptoken = the next Id); with it, by $skip.
	from := ""
	if len(q.orderby) == 0 {
		from = q.skiptoken
	}
	rows := s.matching(es, q, from)
	total := len(rows)
	if q.skip > 0 {
		rows = rows[min(q.skip, len(rows)):]
	}
	next := ""
	if q.top >= 0 && len(rows) > q.top {
		vals := r.URL.Query()
		if len(q.orderby) == 0 {
			vals.Set("$skiptoken", str(rows[q.top]["Id"]))
			vals.Del("$skip")
		} else {
			vals.Set("$skip", strconv.Itoa(q.skip+q.top))
		}
		next = root + es.Name + "?" + vals.Encode()
		rows = rows[:q.top]
	}
	var buf bytes.Buffer
	buf.WriteString(`{"@odata.context":`)
	writeJSONValue(&buf, root+"$metadata#"+es.Name)
	if q.count {
		fmt.Fprintf(&buf, `,"@odata.count":%d`, total)
	}
	buf.WriteString(`,"value":[`)
	for i, e := range rows {
		if i > 0 {
			buf.WriteByte(',')
		}
		s.writeEntity(&buf, es, e, q)
	}
	buf.WriteByte(']')
	if next != "" {
		buf.WriteString(`,"@odata.nextLink":`)
		writeJSONValue(&buf, next)
	}
	buf.WriteByte('}')
	writeRaw(w, http.StatusOK, buf.Bytes())
}

// countEntities answers Set/$count: a bare number as text.
func (s *Server) countEntities(w http.ResponseWriter, r *http.Request, es *entitySet) {
	q, err := s.parseQuery(r, es)
	if err != nil {
		writeQueryError(w, err)
		return
	}
	s.store.mu.RLock()
	n := len(s.matching(es, &queryOpts{filter: q.filter}, ""))
	s.store.mu.RUnlock()
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, n)
}

func (s *Server) getEntity(w http.ResponseWriter, r *http.Request, es *entitySet, id, root string) {
	q, err := s.parseQuery(r, es)
	if err != nil {
		writeQueryError(w, err)
		return
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	e := s.store.get(es.Name, id)
	if e == nil {
		writeNotFound(w, es, id)
		return
	}
	var buf bytes.Buffer
	buf.WriteString(`{"@odata.context":`)
	writeJSONValue(&buf, root+"$metadata#"+es.Name+"/$entity")
	buf.WriteByte(',')
	s.writeEntityBody(&buf, es, e, q)
	buf.WriteByte('}')
	writeRaw(w, http.StatusOK, buf.Bytes())
}

// writeEntity writes one entity as a JSON object with the selected and expanded properties.
func (s *Server) writeEntity(buf *bytes.Buffer, es *entitySet, e Entity, q *queryOpts) {
	buf.WriteByte('{')
	s.writeEntityBody(buf, es, e, q)
	buf.WriteByte('}')
}

func (s *Server) writeEntityBody(buf *bytes.Buffer, es *entitySet, e Entity, q *queryOpts) {
	buf.WriteString(`"@odata.id":`)
	writeJSONValue(buf, es.Name+"("+str(e["Id"])+")")
	expanded := map[string]*queryOpts{}
	for _, x := range q.expand {
		expanded[x.prop.Name] = x.opts
	}
	for _, pr := range es.Props {
		sub, isExpanded := expanded[pr.Name]
		if pr.Hidden || !isExpanded && !q.selected(pr) {
			continue
		}
		buf.WriteByte(',')
		writeJSONValue(buf, pr.Name)
		buf.WriteByte(':')
		switch {
		case pr.Kind == kChildren:
			buf.WriteByte('[')
			target := s.store.sets[pr.Target]
			kids := s.store.children(pr, str(e["Id"]))
			n := 0
			for _, cid := range kids {
				child := s.store.rows[target.Storage][cid]
				if sub.filter != nil && !sub.filter.eval(s.store, target, child) {
					continue
				}
				if n > 0 {
					buf.WriteByte(',')
				}
				n++
				s.writeEntity(buf, target, child, sub)
			}
			buf.WriteByte(']')
		case isExpanded:
			target := s.store.Deref(refOf(e, pr.Name))
			if target == nil {
				buf.WriteString("null")
				continue
			}
			tset := s.store.sets[pr.Target]
			if tset == nil || !s.store.inSet(tset, target) {
				tset = s.store.sets[refOf(e, pr.Name).Set]
			}
			s.writeEntity(buf, tset, target, sub)
		case pr.Name == "DisplayText":
			writeJSONValue(buf, s.store.displayText(es, e))
		case pr.Name == "ObjectVersion":
			writeValue(buf, pr, s.store.version(es, e)) // the aggregate root's, as the model says
		default:
			writeValue(buf, pr, e[pr.Name])
		}
	}
}

// selected tells whether a property is in the $select set: the default set unless $select
// named properties without "default". Child collections only come when expanded.
func (q *queryOpts) selected(pr *prop) bool {
	if pr.Kind == kChildren {
		return false
	}
	if q.dflt && pr.Default {
		return true
	}
	for _, n := range q.selects {
		if n == pr.Name {
			return true
		}
	}
	return false
}

func writeValue(buf *bytes.Buffer, pr *prop, v any) {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case Ref:
		if x.ID == "" {
			buf.WriteString("null")
			return
		}
		buf.WriteString(`{"@odata.id":`)
		writeJSONValue(buf, x.String())
		buf.WriteByte('}')
	case Amount:
		fmt.Fprintf(buf, `{"Value":%s,"Currency":`, formatNumber(x.Value))
		writeJSONValue(buf, x.Currency)
		buf.WriteByte('}')
	case Quantity:
		fmt.Fprintf(buf, `{"Value":%s,"Unit":`, formatNumber(x.Value))
		writeJSONValue(buf, x.Unit)
		buf.WriteByte('}')
	case time.Time:
		if pr.Kind == kDate {
			writeJSONValue(buf, day(x).Format("2006-01-02T15:04:05Z"))
			return
		}
		writeJSONValue(buf, x.UTC().Format(time.RFC3339Nano))
	case float64:
		buf.WriteString(formatNumber(x))
	default:
		writeJSONValue(buf, x)
	}
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func writeJSONValue(buf *bytes.Buffer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		buf.WriteString("null")
		return
	}
	buf.Write(b)
}

func (s *Server) serviceDocument(w http.ResponseWriter, root string) {
	names := make([]string, 0, len(s.store.sets))
	for n := range s.store.sets {
		names = append(names, n)
	}
	sort.Strings(names)
	value := make([]map[string]string, len(names))
	for i, n := range names {
		value[i] = map[string]string{"name": n, "kind": "EntitySet", "url": n}
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": root + "$metadata", "value": value})
}

// metadata answers a compact CSDL document describing the served entity sets.
func (s *Server) metadata(w http.ResponseWriter) {
	edm := map[kind]string{kString: "Edm.String", kML: "Erp.MultilanguageString", kInt: "Edm.Int32", kDecimal: "Edm.Decimal",
		kBool: "Edm.Boolean", kDate: "Edm.DateTimeOffset", kDateTime: "Edm.DateTimeOffset", kEnum: "Edm.String",
		kAmount: "Erp.Amount", kQuantity: "Erp.Quantity", kGUID: "Edm.Guid"}
	names := make([]string, 0, len(s.store.sets))
	for n := range s.store.sets {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Erp" xmlns="http://docs.oasis-open.org/odata/ns/edm">`)
	for _, n := range names {
		es := s.store.sets[n]
		fmt.Fprintf(&b, `<EntityType Name="%s"><Key><PropertyRef Name="Id"/></Key>`, strings.TrimPrefix(es.typeName(), "Erp."))
		for _, pr := range es.Props {
			if pr.Hidden {
				continue // newer than the instance
			}
			switch pr.Kind {
			case kRef:
				fmt.Fprintf(&b, `<NavigationProperty Name="%s" Type="Erp.%s"/>`, pr.Name, pr.Target)
			case kChildren:
				fmt.Fprintf(&b, `<NavigationProperty Name="%s" Type="Collection(Erp.%s)"/>`, pr.Name, pr.Target)
			default:
				fmt.Fprintf(&b, `<Property Name="%s" Type="%s"/>`, pr.Name, edm[pr.Kind])
			}
		}
		b.WriteString(`</EntityType>`)
	}
	b.WriteString(`<EntityContainer Name="Container">`)
	for _, n := range names {
		fmt.Fprintf(&b, `<EntitySet Name="%s" EntityType="%s"/>`, n, s.store.sets[n].typeName())
	}
	b.WriteString(`</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`)
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(b.String()))
}

// Response helpers: Erp.Net's headers and error shape.

const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	writeRaw(w, status, b)
}

// Erp.Net error codes the simulator uses.
const (
	codeBusiness    = 2029 // a business rule refused the operation
	codeDuplication = 2129 // "Prohibited duplication in table ..."
)

const serverExceptionType = "Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException"

// writeError answers in Erp.Net's error shape. Business errors are HTTP 500 with a numeric code;
// query errors are 400 and not-found 404 (code 0: UNCONFIRMED which code the real server puts there).
func writeError(w http.ResponseWriter, status, code int, msg, info string) {
	body := map[string]any{"code": code, "message": msg, "messageFormat": msg, "parameters": []string{}}
	if status == http.StatusInternalServerError {
		body["type"] = serverExceptionType
	}
	if info != "" {
		body["info"] = info
	}
	writeJSON(w, status, map[string]any{"error": body})
}

// WriteServerError answers HTTP 500 in Erp.Net's error shape with the business-rule code, as the
// real server reports a refused operation; the fault knobs fail requests with it.
func WriteServerError(w http.ResponseWriter, msg, info string) {
	writeError(w, http.StatusInternalServerError, codeBusiness, msg, info)
}

func writeQueryError(w http.ResponseWriter, err error) {
	writeError(w, http.StatusBadRequest, 0, "The query specified in the URI is not valid. "+err.Error(), "")
}

// writeNotFound answers a key no entity has. UNFOUND in the docs (their errors are 500s): the
// simulator answers 404. Should a real server answer with a 500 instead, the portal shows its
// error page rather than "not found" for a missing document; either way nothing of another
// customer is shown, since the portal checks every document it reads by id.
func writeNotFound(w http.ResponseWriter, es *entitySet, id string) {
	writeError(w, http.StatusNotFound, 0, fmt.Sprintf("No entity of '%s' has the key '%s'.", es.Name, id), "")
}
