package odata

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// businessError is a refusal the real server reports as HTTP 500 with a numeric code.
type businessError struct {
	code int
	msg  string
}

func (e *businessError) Error() string { return e.msg }

func bizErr(format string, args ...any) error {
	return &businessError{code: codeBusiness, msg: fmt.Sprintf(format, args...)}
}

func errDuplicate(table string) error {
	return &businessError{code: codeDuplication, msg: fmt.Sprintf("Prohibited duplication in table '%s'.", table)}
}

func writeWriteError(w http.ResponseWriter, err error) {
	var be *businessError
	var qe *queryError
	switch {
	case errors.As(err, &be):
		writeError(w, http.StatusInternalServerError, be.code, be.msg, "Erp.Net simulator: the operation was rolled back.")
	case errors.As(err, &qe):
		writeError(w, http.StatusBadRequest, 0, qe.msg, "")
	default:
		writeError(w, http.StatusInternalServerError, codeBusiness, err.Error(), "")
	}
}

// decodeProps turns a JSON body into entity values of es. Unknown and read-only properties are refused.
func (s *Server) decodeProps(es *entitySet, raw map[string]json.RawMessage) (Entity, map[string][]map[string]json.RawMessage, error) {
	e := Entity{}
	kids := map[string][]map[string]json.RawMessage{}
	for key, val := range raw {
		if strings.HasPrefix(key, "@odata.") || strings.HasPrefix(key, "@erpnet.") {
			continue // annotations: the callers read the ones they act on
		}
		name, bind := strings.CutSuffix(key, "@odata.bind")
		pr := es.prop(name)
		if pr == nil {
			return nil, nil, qerr("The property '%s' does not exist on type '%s'.", name, es.typeName())
		}
		if pr.ReadOnly && pr.Name != "ObjectVersion" {
			return nil, nil, bizErr("The property '%s' is read-only.", name)
		}
		if bind {
			var target string
			if err := json.Unmarshal(val, &target); err != nil {
				return nil, nil, qerr("'%s' expects an entity id such as 'Set(guid)'.", key)
			}
			val, _ = json.Marshal(map[string]string{"@odata.id": target})
		}
		if pr.Kind == kChildren {
			var list []map[string]json.RawMessage
			if err := json.Unmarshal(val, &list); err != nil {
				return nil, nil, qerr("'%s' expects an array of objects.", name)
			}
			kids[name] = list
			continue
		}
		v, err := s.decodeValue(pr, val)
		if err != nil {
			return nil, nil, err
		}
		e[name] = v
	}
	return e, kids, nil
}

func (s *Server) decodeValue(pr *prop, val json.RawMessage) (any, error) {
	if string(val) == "null" {
		if pr.Kind == kRef {
			return Ref{}, nil
		}
		return nil, nil
	}
	bad := func() (any, error) { return nil, qerr("Invalid value %s for property '%s'.", string(val), pr.Name) }
	switch pr.Kind {
	case kString, kEnum, kGUID:
		var v string
		if json.Unmarshal(val, &v) != nil {
			return bad()
		}
		if pr.Kind == kEnum && !slices.Contains(pr.Enum, v) {
			return nil, qerr("'%s' is not a valid value of %s.", v, pr.Name)
		}
		if pr.Kind == kGUID {
			if !reGUID.MatchString(v) || len(v) != 36 {
				return bad()
			}
			v = strings.ToLower(v)
		}
		return v, nil
	case kML:
		var text string
		if json.Unmarshal(val, &text) == nil {
			return MLString{"EN": text}, nil
		}
		var m map[string]string
		if json.Unmarshal(val, &m) != nil {
			return bad()
		}
		return MLString(m), nil
	case kInt:
		var v int64
		if json.Unmarshal(val, &v) != nil {
			return bad()
		}
		return v, nil
	case kDecimal:
		var v float64
		if json.Unmarshal(val, &v) != nil {
			return bad()
		}
		return v, nil
	case kBool:
		var v bool
		if json.Unmarshal(val, &v) != nil {
			return bad()
		}
		return v, nil
	case kDate, kDateTime:
		var v string
		if json.Unmarshal(val, &v) != nil {
			return bad()
		}
		t, err := parseDateLiteral(v)
		if err != nil {
			return bad()
		}
		return t, nil
	case kAmount:
		var v struct {
			Value    *float64
			Currency string
		}
		if json.Unmarshal(val, &v) != nil || v.Value == nil {
			return bad()
		}
		return Amount{*v.Value, v.Currency}, nil
	case kQuantity:
		var v struct {
			Value *float64
			Unit  string
		}
		if json.Unmarshal(val, &v) != nil || v.Value == nil {
			return bad()
		}
		return Quantity{*v.Value, v.Unit}, nil
	case kRef:
		var v map[string]json.RawMessage
		if json.Unmarshal(val, &v) != nil {
			return bad()
		}
		var id string
		if json.Unmarshal(v["@odata.id"], &id) != nil {
			// Erp.Net finds or merges a nested object without @odata.id, which can create or
			// change the referenced record. The simulator refuses it, so a client that sends one
			// is caught here rather than on a tenant's data.
			return nil, bizErr("The reference '%s' is a nested object without @odata.id: send {\"@odata.id\":\"Set(guid)\"}.", pr.Name)
		}
		return s.parseRef(pr, id)
	}
	return bad()
}

// parseRef reads "Set(guid)" and checks that the entity exists. The caller holds the lock.
func (s *Server) parseRef(pr *prop, text string) (Ref, error) {
	text = strings.TrimPrefix(text, "/")
	if i := strings.LastIndex(text, "/"); i >= 0 {
		text = text[i+1:] // a full URL of the entity
	}
	open := strings.IndexByte(text, '(')
	if open < 0 || !strings.HasSuffix(text, ")") {
		return Ref{}, qerr("'%s' is not an entity id.", text)
	}
	set, id := text[:open], strings.ToLower(strings.Trim(text[open+1:len(text)-1], "'"))
	if pr.Target != "" && set != pr.Target && s.store.sets[set] != nil && s.store.sets[set].Storage != s.store.sets[pr.Target].Storage {
		return Ref{}, qerr("'%s' cannot refer to an entity of %s.", pr.Name, set)
	}
	if s.store.sets[set] == nil || s.store.get(set, id) == nil {
		return Ref{}, bizErr("The object %s referenced by '%s' does not exist.", text, pr.Name)
	}
	return Ref{Set: set, ID: id}, nil
}

func readBody(r *http.Request) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 4<<20))
	if err := dec.Decode(&raw); err != nil {
		return nil, qerr("The request body is not valid JSON: %v", err)
	}
	return raw, nil
}

// createEntity handles POST Set. With "@erpnet.action":"merge" (dev erpnet-action.md) an entity of
// the same ExternalId and ExternalSystem is found and updated instead of created again, which is
// how a client creates idempotently; the answer is then 200 (UNCONFIRMED: the docs do not say).
func (s *Server) createEntity(w http.ResponseWriter, r *http.Request, es *entitySet, root string) {
	if es.ReadOnlySet || es.TypeFilter != "" {
		writeError(w, http.StatusMethodNotAllowed, 0, fmt.Sprintf("%s cannot be created through the Domain API.", es.Name), "")
		return
	}
	raw, err := readBody(r)
	if err != nil {
		writeWriteError(w, err)
		return
	}
	s.store.mu.Lock()
	status := http.StatusCreated
	e, found, err := s.mergeTarget(es, raw)
	switch {
	case err != nil:
	case found:
		status = http.StatusOK
		err = s.merge(es, e, raw)
	default:
		e, err = s.create(es, raw)
	}
	s.store.mu.Unlock()
	if err != nil {
		writeWriteError(w, err)
		return
	}
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	w.Header().Set("Location", root+es.Name+"("+str(e["Id"])+")")
	var q queryOpts
	q.dflt, q.top = true, -1
	body := newBuf()
	body.WriteString(`{"@odata.context":`)
	writeJSONValue(body, root+"$metadata#"+es.Name+"/$entity")
	body.WriteByte(',')
	s.writeEntityBody(body, es, e, &q)
	body.WriteByte('}')
	writeRaw(w, status, body.Bytes())
}

// create validates and inserts an entity with its child lines. The caller holds the write lock.
func (s *Server) create(es *entitySet, raw map[string]json.RawMessage) (Entity, error) {
	e, kids, err := s.decodeProps(es, raw)
	if err != nil {
		return nil, err
	}
	if _, ok := e["Id"]; ok {
		// No page of the docs shows a client choosing the Id of a new entity; the simulator
		// refuses one, the stricter reading. Idempotent creation goes through merge by ExternalId.
		return nil, bizErr("The Id of a new %s is chosen by the server; to create idempotently, merge by ExternalId.", es.Type)
	}
	e["Id"] = newGUID()
	delete(e, "ObjectVersion")
	now := s.opts.Now()
	var lines []Entity
	switch {
	case es.Name == SetSalesOrders:
		if lines, err = s.prepareSalesOrder(e, kids["Lines"], now); err != nil {
			return nil, err
		}
		orderTotals(e, lines, s.currencySign(e))
	case es.Document:
		if err := s.prepareDocument(es, e, now); err != nil {
			return nil, err
		}
		if len(kids) > 0 {
			return nil, bizErr("Creating %s with lines is not supported by the simulator.", es.Name)
		}
	case es.Name == SetExternalAccess:
		if err := s.prepareAccess(e); err != nil {
			return nil, err
		}
	case len(kids) > 0:
		return nil, bizErr("Child collections cannot be created with %s.", es.Name)
	}
	if err := s.store.Insert(es.Name, e); err != nil {
		return nil, err
	}
	for _, ln := range lines {
		if err := s.store.Insert(SetSalesOrderLines, ln); err != nil {
			s.store.remove(es.Name, str(e["Id"]))
			return nil, err
		}
	}
	if es.Name == SetSalesOrders {
		if err := s.addOrderPackages(e, kids[orderPackagesCollection]); err != nil {
			s.store.remove(es.Name, str(e["Id"]))
			return nil, err
		}
	}
	return e, nil
}

func (s *Server) prepareDocument(es *entitySet, e Entity, now time.Time) error {
	for _, req := range []string{"DocumentType", "EnterpriseCompany"} {
		if refOf(e, req).ID == "" {
			return bizErr("The field '%s' is required.", req)
		}
	}
	dt := s.store.Deref(refOf(e, "DocumentType"))
	if str(e["DocumentNo"]) == "" {
		e["DocumentNo"] = s.store.NextNumber(str(dt["Code"]))
	}
	if e["DocumentDate"] == nil {
		e["DocumentDate"] = day(now)
	}
	e["State"], e["Void"], e["CreationTime"], e["CreationUser"] = "New", false, now, s.opts.ClientID+"-system"
	return nil
}

// prepareSalesOrder applies the rules of a sales order: required references, the location from
// the customer, the currency, line prices from the product, and the totals.
//
// Line prices are calculated only inside a front-end transaction, as on the real server (dev
// common-tasks/working-with-documents.md); elsewhere a line keeps the UnitPrice it was sent, or
// 0, the attribute's default.
func (s *Server) prepareSalesOrder(e Entity, rawLines []map[string]json.RawMessage, now time.Time) ([]Entity, error) {
	if refOf(e, "Customer").ID == "" {
		return nil, bizErr("The field 'Customer' is required.")
	}
	if err := s.prepareDocument(s.store.sets[SetSalesOrders], e, now); err != nil {
		return nil, err
	}
	dt := s.store.Deref(refOf(e, "DocumentType"))
	if str(dt["EntityName"]) != "SalesOrders" {
		return nil, bizErr("The document type '%s' is not a document type of sales orders.", str(dt["Code"]))
	}
	cust := s.store.Deref(refOf(e, "Customer"))
	if refOf(e, "EnterpriseCompanyLocation").ID == "" {
		loc := refOf(cust, "ServicedByEnterpriseCompanyLocation")
		if loc.ID == "" {
			return nil, bizErr("The field 'EnterpriseCompanyLocation' is required.")
		}
		e["EnterpriseCompanyLocation"] = loc
	}
	if refOf(e, "DocumentCurrency").ID == "" {
		e["DocumentCurrency"] = refOf(cust, "DefaultCurrency")
	}
	curCode := str(s.store.Deref(refOf(e, "DocumentCurrency"))["CurrencySign"])
	priced := s.inTransaction()
	lines := make([]Entity, 0, len(rawLines))
	lineSet := s.store.sets[SetSalesOrderLines]
	for i, raw := range rawLines {
		ln, _, err := s.decodeProps(lineSet, raw)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if _, ok := ln["Id"]; ok {
			return nil, bizErr("Line %d: the Id of a new line is chosen by the server.", i+1)
		}
		prod := s.store.Deref(refOf(ln, "Product"))
		if prod == nil {
			return nil, bizErr("Line %d: the field 'Product' is required.", i+1)
		}
		if prod["Active"] != true {
			return nil, bizErr("Line %d: the product '%s' is not active.", i+1, str(prod["PartNumber"]))
		}
		qty, ok := ln["Quantity"].(Quantity)
		if !ok || qty.Value <= 0 {
			return nil, bizErr("Line %d: the quantity must be greater than zero.", i+1)
		}
		unit := s.store.Deref(refOf(prod, "MeasurementUnit"))
		if qty.Unit == "" {
			qty.Unit = str(unit["Code"])
		}
		ln["Quantity"], ln["QuantityBase"] = qty, qty
		if refOf(ln, "QuantityUnit").ID == "" {
			ln["QuantityUnit"] = refOf(prod, "MeasurementUnit")
		}
		if str(ln["Id"]) == "" {
			ln["Id"] = newGUID()
		}
		if ln["LineNo"] == nil {
			ln["LineNo"] = int64(10 * (i + 1))
		}
		if ln["ProductDescription"] == nil {
			ln["ProductDescription"] = prod["Name"]
		}
		// A line of a promotional package must be one of the package's products.
		var pl Entity
		if pr := refOf(ln, promotionalPackageReference); pr.ID != "" {
			pkg := s.store.Deref(pr)
			if !s.packageValidFor(pkg, e) {
				return nil, bizErr("Line %d: the promotional package '%s' is not valid for this document.", i+1, str(pkg["Code"]))
			}
			if pl = s.packageLine(pkg, refOf(ln, "Product").ID); pl == nil {
				return nil, bizErr("Line %d: the product '%s' is not in the promotional package '%s'.", i+1, str(prod["PartNumber"]), str(pkg["Code"]))
			}
		}
		up, ok := ln["UnitPrice"].(Amount)
		disc, _ := ln["LineStandardDiscountPercent"].(float64)
		switch {
		case !ok && priced && pl != nil:
			var v float64
			v, disc = packagePrice(pl, unitPrice(prod, curCode), disc, curCode)
			up = Amount{v, curCode}
		case !ok && priced:
			up = Amount{unitPrice(prod, curCode), curCode}
		case !ok:
			up = Amount{0, curCode}
		}
		ln["UnitPrice"] = up
		ln["LineStandardDiscountPercent"] = disc
		amt := round2(qty.Value * up.Value * (1 - disc))
		ln["LineAmount"] = Amount{amt, curCode}
		ln["SalesOrder"] = Ref{Set: SetSalesOrders, ID: str(e["Id"])}
		lines = append(lines, ln)
	}
	return lines, nil
}

// orderTotals sums the lines of an order into its calculated amounts (20% VAT, the simulated
// instance's only rate).
func orderTotals(e Entity, lines []Entity, curCode string) {
	total := 0.0
	for _, ln := range lines {
		if a, ok := ln["LineAmount"].(Amount); ok {
			total += a.Value
		}
	}
	e["TotalLineAmount"] = Amount{round2(total), curCode}
	e["AmountToPay"] = Amount{round2(total * 1.2), curCode}
}

// unitPrice is the product's standard price in the document currency (the demo's only price list).
func unitPrice(prod Entity, curCode string) float64 {
	p := prod["StandardPricePerLot"].(Amount)
	if p.Currency == "BGN" && curCode == "EUR" {
		return round2(p.Value / 1.95583)
	}
	return p.Value
}

func (s *Server) prepareAccess(e Entity) error {
	for _, req := range []string{"Customer", "User"} {
		if refOf(e, req).ID == "" {
			return bizErr("The field '%s' is required.", req)
		}
	}
	if e["Role"] == nil {
		e["Role"] = "OrdersWithPrices"
	}
	if _, set := e["DaysBackAccess"]; !set {
		e["DaysBackAccess"] = int64(30)
	}
	dup := false
	s.store.Scan(SetExternalAccess, "", func(x Entity) bool {
		if refOf(x, "Customer").ID == refOf(e, "Customer").ID && refOf(x, "User").ID == refOf(e, "User").ID {
			dup = true
		}
		return !dup
	})
	if dup {
		return errDuplicate("Crm_Customer_External_Access")
	}
	return nil
}

// patchEntity handles PATCH Set(id): a partial update, refused on released documents and on a stale ObjectVersion.
func (s *Server) patchEntity(w http.ResponseWriter, r *http.Request, es *entitySet, id string) {
	if es.ReadOnlySet {
		writeError(w, http.StatusMethodNotAllowed, 0, fmt.Sprintf("%s cannot be changed through the Domain API.", es.Name), "")
		return
	}
	raw, err := readBody(r)
	if err != nil {
		writeWriteError(w, err)
		return
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	e := s.store.get(es.Name, id)
	if e == nil {
		writeNotFound(w, es, id)
		return
	}
	upd, kids, err := s.decodeProps(es, raw)
	for name := range kids {
		if err == nil && (es.Name != SetSalesOrders || name != "Lines" && name != orderPackagesCollection) {
			err = bizErr("The simulator changes child collections with PATCH only for the lines and promotional packages of a sales order.")
		}
	}
	if err == nil {
		err = s.checkChangeable(es, e, upd)
	}
	if err == nil && es.Name == SetSalesOrderPackages {
		err = s.checkPackageChange(e, upd)
	}
	if err != nil {
		writeWriteError(w, err)
		return
	}
	delete(upd, "ObjectVersion")
	delete(upd, "Id")
	for k, v := range upd {
		e[k] = v
	}
	switch es.Name {
	case SetSalesOrders:
		// Lines in a PATCH have no identity, so they are added (dev erpnet-action.md); so are
		// promotional packages.
		if err = s.addOrderPackages(e, kids[orderPackagesCollection]); err == nil {
			err = s.addLines(es, e, kids["Lines"])
		}
	case SetSalesOrderLines:
		s.lineChanged(e)
	default:
		s.store.bump(es, e)
	}
	if err != nil {
		writeWriteError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkChangeable applies optimistic locking and the document rule: from Released on, no changes.
func (s *Server) checkChangeable(es *entitySet, e, upd Entity) error {
	if v, ok := upd["ObjectVersion"]; ok && v != nil && v.(int64) != s.store.version(es, e) {
		return bizErr("The object was changed by another user (ObjectVersion %d, current %d). Reload it and try again.", v, s.store.version(es, e))
	}
	if rs, r := s.store.root(es, e); !es.Document && rs.Document && r != nil {
		es, e = rs, r // a line of a document changes with its document, never past Released
	}
	if es.Document {
		if e["Void"] == true {
			return bizErr("The document %s is void and cannot be changed.", str(e["DocumentNo"]))
		}
		if stateOrder[str(e["State"])] >= stateOrder["Released"] {
			return bizErr("The document %s is released and cannot be changed.", str(e["DocumentNo"]))
		}
	}
	return nil
}

// deleteEntity handles DELETE Set(id); documents can be deleted only while not released.
func (s *Server) deleteEntity(w http.ResponseWriter, es *entitySet, id string) {
	if es.ReadOnlySet || es.TypeFilter != "" {
		writeError(w, http.StatusMethodNotAllowed, 0, fmt.Sprintf("%s cannot be deleted through the Domain API.", es.Name), "")
		return
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	e := s.store.get(es.Name, id)
	if e == nil {
		writeNotFound(w, es, id)
		return
	}
	if err := s.checkChangeable(es, e, Entity{}); err != nil {
		writeWriteError(w, err)
		return
	}
	s.store.remove(es.Name, id)
	if es.Name == SetSalesOrderLines {
		s.lineChanged(e)
	}
	w.WriteHeader(http.StatusNoContent)
}

// lineChanged keeps a sales order in step with a line changed or removed outside of its PATCH:
// its version and last update, and in a front-end transaction the line's amount at its own unit
// price (prices are calculated only as lines are added) and the order's totals.
func (s *Server) lineChanged(ln Entity) {
	orders := s.store.sets[SetSalesOrders]
	order := s.store.Deref(refOf(ln, "SalesOrder"))
	if order == nil {
		return
	}
	// Amounts are business rules of a front-end transaction (dev common-tasks/working-with-
	// documents.md): outside one, a changed line keeps them as they were.
	if !s.inTransaction() {
		s.store.bump(orders, order)
		return
	}
	cur := s.currencySign(order)
	if s.store.get(SetSalesOrderLines, str(ln["Id"])) != nil {
		qty, _ := ln["Quantity"].(Quantity)
		up, _ := ln["UnitPrice"].(Amount)
		disc, _ := ln["LineStandardDiscountPercent"].(float64)
		ln["QuantityBase"] = qty
		ln["LineAmount"] = Amount{round2(qty.Value * up.Value * (1 - disc)), cur}
	}
	var all []Entity
	for _, id := range s.store.children(orders.prop("Lines"), str(order["Id"])) {
		all = append(all, s.store.get(SetSalesOrderLines, id))
	}
	orderTotals(order, all, cur)
	s.store.bump(orders, order)
}

// invokeAction handles the bound actions ChangeState, MakeVoid and GetPrintout on documents,
// and CreateNotification, which the model declares on every entity object.
func (s *Server) invokeAction(w http.ResponseWriter, r *http.Request, es *entitySet, id, action, root string) {
	if action == "CreateNotification" {
		s.createNotification(w, r, es, id)
		return
	}
	if !es.Document || !slices.Contains([]string{"ChangeState", "MakeVoid", "GetPrintout"}, action) {
		writeError(w, http.StatusNotFound, 0, fmt.Sprintf("No action '%s' is bound to %s.", action, es.Name), "")
		return
	}
	var params map[string]json.RawMessage
	if r.ContentLength != 0 {
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&params); err != nil {
			writeError(w, http.StatusBadRequest, 0, "The action parameters are not valid JSON.", "")
			return
		}
	}
	param := func(name string) string {
		var v string
		_ = json.Unmarshal(params[name], &v)
		return v
	}
	if action == "GetPrintout" {
		s.store.mu.RLock()
		defer s.store.mu.RUnlock()
		e := s.store.get(es.Name, id)
		if e == nil {
			writeNotFound(w, es, id)
			return
		}
		if f := strings.ToLower(param("fileFormat")); f != "" && f != "pdf" {
			writeWriteError(w, bizErr("The file format '%s' is not supported.", f))
			return
		}
		// UNCONFIRMED envelope: the Base64 of the file as an Edm.String value.
		writeJSON(w, http.StatusOK, map[string]string{"@odata.context": root + "$metadata#Edm.String",
			"value": base64.StdEncoding.EncodeToString(s.printout(es, e))})
		return
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	e := s.store.get(es.Name, id)
	if e == nil {
		writeNotFound(w, es, id)
		return
	}
	if e["Void"] == true {
		writeWriteError(w, bizErr("The document %s is already void.", str(e["DocumentNo"])))
		return
	}
	switch action {
	case "ChangeState":
		state := param("newState")
		if _, ok := stateOrder[state]; !ok {
			writeWriteError(w, bizErr("'%s' is not a document state.", state))
			return
		}
		if es.Name == SetSalesOrders && stateOrder[state] >= stateOrder["Released"] && stateOrder[str(e["State"])] < stateOrder["Released"] {
			if err := s.checkPackagesOnRelease(e); err != nil {
				writeWriteError(w, err)
				return
			}
		}
		e["State"] = state
		if stateOrder[state] >= stateOrder["Released"] && e["ReleaseTime"] == nil {
			e["ReleaseTime"] = s.opts.Now()
		}
	case "MakeVoid":
		reason := param("reason")
		if strings.TrimSpace(reason) == "" {
			writeWriteError(w, bizErr("A reason is required to void a document."))
			return
		}
		e["Void"], e["VoidReason"] = true, reason
	}
	s.store.bump(es, e)
	w.WriteHeader(http.StatusNoContent)
}

// printout renders a document as a PDF: header, parties and lines. The caller holds the lock.
func (s *Server) printout(es *entitySet, e Entity) []byte {
	dt := s.store.Deref(refOf(e, "DocumentType"))
	title := fmt.Sprintf("%s %s", mlOf(dt, "TypeName"), str(e["DocumentNo"]))
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	if d, ok := e["DocumentDate"].(time.Time); ok {
		add("Date: %s", d.Format("2006-01-02"))
	}
	if ec := s.store.Deref(refOf(e, "EnterpriseCompany")); ec != nil {
		add("Supplier: %s", s.store.displayText(s.store.sets[SetCompanies], s.store.Deref(refOf(ec, "Company"))))
	}
	if c := s.store.Deref(refOf(e, "Customer")); c != nil {
		add("Customer: %s (%s)", s.store.displayText(s.store.sets[SetCustomers], c), str(c["Number"]))
	}
	add("State: %s%s", str(e["State"]), map[bool]string{true: " (VOID)", false: ""}[e["Void"] == true])
	add("")
	for _, pr := range es.Props {
		if pr.Kind != kChildren {
			continue
		}
		target := s.store.sets[pr.Target]
		for _, cid := range s.store.children(pr, str(e["Id"])) {
			ln := s.store.rows[target.Storage][cid]
			qty, _ := ln["Quantity"].(Quantity)
			up, _ := ln["UnitPrice"].(Amount)
			amt, _ := ln["LineAmount"].(Amount)
			desc := mlOf(ln, "ProductDescription")
			if desc == "" {
				if a, ok := ln["Amount"].(Amount); ok {
					add("Payment %s %s", formatNumber(a.Value), a.Currency)
				}
				continue
			}
			add("%v. %s  %s %s x %.2f = %.2f %s", ln["LineNo"], desc, formatNumber(qty.Value), qty.Unit, up.Value, amt.Value, amt.Currency)
		}
	}
	for _, name := range []string{"TotalLineAmount", "AmountToPay", "TotalAmount"} {
		if a, ok := e[name].(Amount); ok {
			add("%s: %.2f %s", name, a.Value, a.Currency)
		}
	}
	return RenderPDF(title, lines)
}

func mlOf(e Entity, name string) string {
	if m, ok := e[name].(MLString); ok {
		return m.en()
	}
	return str(e[name])
}

// currencySign is the sign of a document's currency ("EUR").
func (s *Server) currencySign(e Entity) string {
	return str(s.store.Deref(refOf(e, "DocumentCurrency"))["CurrencySign"])
}

// mergeTarget reads a POST's "@erpnet.action": for merge it finds the entity of the same
// ExternalId (and ExternalSystem), from "@erpnet.findBy" or the body. Other actions than create
// and merge are refused: the simulator does not need them. The caller holds the write lock.
func (s *Server) mergeTarget(es *entitySet, raw map[string]json.RawMessage) (Entity, bool, error) {
	var action string
	if a, ok := raw["@erpnet.action"]; ok && json.Unmarshal(a, &action) != nil {
		return nil, false, qerr("@erpnet.action must be a string.")
	}
	switch action {
	case "", "create":
		return nil, false, nil
	case "merge":
	default:
		return nil, false, bizErr("The simulator supports @erpnet.action create and merge, not '%s'.", action)
	}
	if es.Name != SetSalesOrders && es.Name != SetComments {
		return nil, false, bizErr("The simulator merges only sales orders and comments.")
	}
	var by struct {
		ExternalID     string `json:"ExternalId"`
		ExternalSystem string `json:"ExternalSystem"`
	}
	if f, ok := raw["@erpnet.findBy"]; ok {
		_ = json.Unmarshal(f, &by)
	} else {
		_ = json.Unmarshal(raw["ExternalId"], &by.ExternalID)
		_ = json.Unmarshal(raw["ExternalSystem"], &by.ExternalSystem)
	}
	if by.ExternalID == "" {
		return nil, false, bizErr("A merge of %s needs a find criterion; the simulator finds by ExternalId.", es.Type)
	}
	var found Entity
	s.store.Scan(es.Name, "", func(e Entity) bool {
		if str(e["ExternalId"]) == by.ExternalID && (by.ExternalSystem == "" || str(e["ExternalSystem"]) == by.ExternalSystem) {
			found = e
			return false
		}
		return true
	})
	return found, found != nil, nil
}

// merge updates a found sales order with a merge body: its header properties; lines in the body
// are added, as elements of a child collection without identity always are (dev
// erpnet-action.md). The document rules of PATCH apply. The caller holds the write lock.
func (s *Server) merge(es *entitySet, e Entity, raw map[string]json.RawMessage) error {
	upd, kids, err := s.decodeProps(es, raw)
	if err != nil {
		return err
	}
	if err := s.checkChangeable(es, e, upd); err != nil {
		return err
	}
	delete(upd, "ObjectVersion")
	for k, v := range upd {
		e[k] = v
	}
	if es.Name != SetSalesOrders {
		s.store.bump(es, e)
		return nil
	}
	if err := s.addOrderPackages(e, kids[orderPackagesCollection]); err != nil {
		return err
	}
	return s.addLines(es, e, kids["Lines"])
}

// addLines adds lines to a sales order and sums it again; the lines are priced only inside a
// front-end transaction. The caller holds the write lock.
func (s *Server) addLines(es *entitySet, e Entity, rawLines []map[string]json.RawMessage) error {
	linesProp := es.prop("Lines")
	have := len(s.store.children(linesProp, str(e["Id"])))
	if len(rawLines) > 0 {
		header := Entity{}
		for k, v := range e {
			header[k] = v
		}
		lines, err := s.prepareSalesOrder(header, rawLines, s.opts.Now())
		if err != nil {
			return err
		}
		for i, ln := range lines {
			ln["LineNo"] = int64(10 * (have + i + 1))
			if err := s.store.Insert(SetSalesOrderLines, ln); err != nil {
				return err
			}
		}
	}
	var all []Entity
	for _, id := range s.store.children(linesProp, str(e["Id"])) {
		all = append(all, s.store.get(SetSalesOrderLines, id))
	}
	orderTotals(e, all, s.currencySign(e))
	s.store.bump(es, e)
	return nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
