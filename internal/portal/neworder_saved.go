package portal

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/locale"
	"go.uber.org/zap"
)

// A draft is the order a person is writing in New Order, kept in Erp.Net as a sales order in
// state New of the customer, of the instance's New Order document type, with ExternalSystem
// ClientCenter and an ExternalId that names this Client Center, the person and the form's id:
// "cc-draft:<instance>:<user id>:<form id>". Leaving and coming back, on another device too,
// resumes it; colleagues each have their own; placing it moves that very order on, and renames
// its ExternalId to "cc-order:..." so that no later save of an old copy of the form can merge
// into a placed order. The form carries the draft's order Id once it has one: saving and placing
// act on that order, so two tabs, a double click or a retry never make two orders.
//
// It is written outside any front-end transaction, a few writes per change the person makes
// (never per keystroke: the form is saved when it is posted, and the browser posts a changed
// form after a pause), and priced only at review and placing, each in one front-end transaction.
const (
	draftTag  = "cc-draft:"
	placedTag = "cc-order:"
)

// maxDrafts bounds the customer's orders in state New read to find a person's draft. A customer
// with more (staff's own unplaced orders, colleagues' drafts) may not find an older draft: the
// person then starts a new one and the old is cleaned up in time.
const maxDrafts = 50

// draftsPrefix starts the ExternalId of every draft of this Client Center.
func (s *Service) draftsPrefix() string { return draftTag + s.inst.RelativeURL + ":" }

// draftPrefix starts the ExternalId of every draft of the person userID here.
func (s *Service) draftPrefix(userID string) string {
	return s.draftsPrefix() + strings.ToLower(userID) + ":"
}

// draftExternalID is the ExternalId of the draft of form id by v.
func (s *Service) draftExternalID(v *Viewer, id string) string {
	return s.draftPrefix(v.UserID) + strings.ToLower(id)
}

// placedExternalID is the ExternalId a draft of form id by v takes when it is placed.
func (s *Service) placedExternalID(v *Viewer, id string) string {
	return placedTag + strings.TrimPrefix(s.draftExternalID(v, id), draftTag)
}

// ErrDraftPlaced is a form whose order was placed already (in another tab, or before the browser
// went back to it): its lines stay in the form, for a new order if the person wants one.
var ErrDraftPlaced = &Error{Kind: KindConflict, Heading: "This order was placed already",
	Message: "This order was placed already: Orders lists it. The products are still in the form, to place a new order with them if you want one."}

// ErrDraftCancelled is a form whose order was cancelled (on Orders, or by the supplier) before it
// was placed: its lines stay in the form, for a new order if the person wants one.
var ErrDraftCancelled = &Error{Kind: KindConflict, Heading: "This order was cancelled",
	Message: "This order was cancelled before it was placed. The products are still in the form, to place a new order with them if you want one."}

// draftOwner is whose draft an order with this ExternalId is here ("" when it is none).
func (s *Service) draftOwner(o erpnet.SalesOrder) string {
	rest, ok := strings.CutPrefix(o.ExternalID, s.draftsPrefix())
	if !ok || o.ExternalSystem != ExternalSystem || o.State != "New" || o.Void {
		return ""
	}
	user, _, _ := strings.Cut(rest, ":")
	return user
}

// openDrafts are the customer's unplaced orders of the New Order document type, newest first,
// without their lines: where a person's draft is found. Cached with the customer's lists: a draft
// created or deleted drops them; its changes need not, as a draft is read whole by its Id.
func (s *Service) openDrafts(ctx context.Context, v *Viewer) ([]erpnet.SalesOrder, error) {
	setup, err := s.orderSetup(ctx)
	if err != nil {
		return nil, err
	}
	q := erpnet.From(erpnet.SetSalesOrders).
		Where(erpnet.Eq("Customer", erpnet.NewRef(erpnet.SetCustomers, v.Current.CustomerID)),
			erpnet.Eq("DocumentType", setup.DocumentType), erpnet.Eq("State", erpnet.Enum("New")),
			erpnet.Eq("Void", erpnet.Bool(false))).
		Select("Id", "State", "Void", "ExternalId", "ExternalSystem", "AggregateLastUpdateTimeUtc").
		OrderBy("DocumentDate", true).Top(maxDrafts)
	return cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "drafts\x00"+q.String(), func(ctx context.Context) ([]erpnet.SalesOrder, error) {
		var out []erpnet.SalesOrder
		_, err := s.erp.ListPage(ctx, q, &out)
		return out, err
	})
}

// myDraft is v's draft here as listed (without its lines), the most recently changed when a
// race left two; nil when none.
func (s *Service) myDraft(ctx context.Context, v *Viewer) (*erpnet.SalesOrder, error) {
	drafts, err := s.openDrafts(ctx, v)
	if err != nil {
		return nil, err
	}
	var mine *erpnet.SalesOrder
	for i, o := range drafts {
		if s.draftOwner(o) == strings.ToLower(v.UserID) && (mine == nil || o.LastUpdate.After(mine.LastUpdate.Time)) {
			mine = &drafts[i]
		}
	}
	return mine, nil
}

// draftFormID is the form id a draft was saved under.
func draftFormID(o *erpnet.SalesOrder) string {
	return o.ExternalID[strings.LastIndexByte(o.ExternalID, ':')+1:]
}

// draftState is where the order a form is kept in stands.
type draftState int

const (
	stateNone      draftState = iota // no order yet, or it was deleted
	stateDraft                       // New, being written
	statePlacing                     // New, renamed by a placing that committed but did not move it on
	statePlaced                      // moved on from New
	stateCancelled                   // void
)

// draftQuery is what a draft is read with: its header and lines.
var draftQuery = erpnet.Query{}.Select("Id", "ObjectVersion", "DocumentNo", "State", "Void", "ExternalId", "ExternalSystem",
	"DocumentNotes", "CustomerPurchaseOrderNo", "RequiredDeliveryDate", "Customer").
	Expand("Lines", erpnet.Query{}.Select("Id", "LineNo", "Quantity", "Notes", "Product", "PromotionalPackage")).
	Expand("PromotionalPackages", erpnet.Query{}.Select("Id", "LineNumber", "NumberOfPackages", "PromotionalPackage"))

// readDraft is the order id as v's draft of form formID, read afresh, and where it stands. An
// order that is not v's draft of that form here (another customer's, another person's, an
// order of the tenant's) is ErrDraftUsed: the server signs the ids a form sends, so that is a
// tampered or very old form.
func (s *Service) readDraft(ctx context.Context, v *Viewer, id, formID string) (*erpnet.SalesOrder, draftState, error) {
	var o erpnet.SalesOrder
	err := s.erp.Get(ctx, erpnet.SetSalesOrders, id, draftQuery, &o)
	switch {
	case erpnet.IsNotFound(err):
		return nil, stateNone, nil
	case err != nil:
		return nil, stateNone, err
	case !strings.EqualFold(o.Customer.Ref.ID, v.Current.CustomerID) || o.ExternalSystem != ExternalSystem ||
		o.ExternalID != s.draftExternalID(v, formID) && o.ExternalID != s.placedExternalID(v, formID):
		return nil, stateNone, ErrDraftUsed
	}
	slices.SortFunc(o.Lines, func(a, b erpnet.SalesOrderLine) int { return cmp.Compare(a.LineNo, b.LineNo) })
	switch {
	case o.Void:
		return &o, stateCancelled, nil
	case o.State != "New":
		return &o, statePlaced, nil
	case o.ExternalID == s.placedExternalID(v, formID):
		return &o, statePlacing, nil
	}
	return &o, stateDraft, nil
}

// formOrder is the order d is kept in and where it stands: the form's own order, else v's draft
// here (begun on another device, or before the form was shown), adopted: its lines join the
// form's rather than give way to them.
func (s *Service) formOrder(ctx context.Context, v *Viewer, d OrderDraft) (o *erpnet.SalesOrder, st draftState, adopted bool, err error) {
	if d.OrderID != "" && validID(d.OrderID) {
		if o, st, err = s.readDraft(ctx, v, d.OrderID, d.ID); err != nil || st != stateNone {
			return o, st, false, err
		}
	}
	listed, err := s.myDraft(ctx, v)
	if err != nil || listed == nil {
		return nil, stateNone, false, err
	}
	o, st, err = s.readDraft(ctx, v, listed.ID, draftFormID(listed))
	return o, st, st == stateDraft, err
}

// ResumeDraft is v's draft as a form, read afresh; ok is false when v has none.
func (s *Service) ResumeDraft(ctx context.Context, v *Viewer) (d OrderDraft, ok bool, err error) {
	listed, err := s.myDraft(ctx, v)
	if err != nil || listed == nil || !validID(draftFormID(listed)) {
		return OrderDraft{}, false, err
	}
	o, st, err := s.readDraft(ctx, v, listed.ID, draftFormID(listed))
	if err != nil || st != stateDraft {
		return OrderDraft{}, false, err
	}
	d = OrderDraft{ID: draftFormID(o), OrderID: o.ID, Notes: o.DocumentNotes, PONumber: o.CustomerPurchaseOrderNo}
	if !o.RequiredDeliveryDate.IsZero() {
		d.DeliveryDate = locale.Date(s.langOf(v), o.RequiredDeliveryDate.Time)
	}
	d.Lines = draftLinesOf(o)
	slices.SortFunc(o.PromotionalPackages, func(a, b erpnet.SalesOrderPackage) int { return cmp.Compare(a.LineNumber, b.LineNumber) })
	for _, p := range o.PromotionalPackages {
		d.Packages = append(d.Packages, DraftPackage{ID: p.PromotionalPackage.Ref.ID, Count: strconv.Itoa(p.NumberOfPackages)})
	}
	return d, true, nil
}

// draftLinesOf are the lines of a draft as the form shows them: its own, since its packages'
// come from the packages.
func draftLinesOf(o *erpnet.SalesOrder) []DraftLine {
	out := make([]DraftLine, 0, len(o.Lines))
	for _, l := range o.Lines {
		if l.PromotionalPackage.IsZero() {
			out = append(out, DraftLine{ProductID: l.Product.Ref.ID, Quantity: strconv.FormatFloat(l.Quantity.Value, 'f', -1, 64), Notes: l.Notes})
		}
	}
	return out
}

// HasDraft tells whether v has a draft here (Orders offers to continue it).
func (s *Service) HasDraft(ctx context.Context, v *Viewer) bool {
	if !s.NewOrderOn() {
		return false
	}
	o, err := s.myDraft(ctx, v)
	return err == nil && o != nil
}

// SavedDraft is what saving a draft did.
type SavedDraft struct {
	// ID is the form id the draft is kept under: the form's own, or that of the draft the person
	// already had here (begun on another device), which the form takes on.
	ID      string
	OrderID string // the draft's order Id in Erp.Net; "" when nothing needed saving yet
	Number  string // its document number
	// Merged is the form as it now stands when it took on that earlier draft: the draft's lines
	// the form did not have are kept and join it, and its notes, PO number and delivery date fill
	// the form's empty ones. Nil otherwise.
	Merged *OrderDraft
}

// draftWant is a draft line as it is to be kept: only lines whose product is offered and whose
// quantity reads are kept in Erp.Net; the form keeps the others as typed until they are fixed.
type draftWant struct {
	product erpnet.Product
	qty     float64
	notes   string
	// pkg is the Id of the promotional package the line comes from, "" for a line of its own;
	// pkgName and pkgLine are that package's name and line.
	pkg     string
	pkgName string
	pkgLine erpnet.PromotionalPackageLine
}

// SaveDraft keeps d in Erp.Net as v's draft: created (merged by its ExternalId) at the first
// change, then brought in step with the form: header fields patched, lines added, changed or
// deleted (lines are matched by product, so removing one line does not rewrite the others).
// A form that has nothing in it yet is not saved, and what the form has wrong (a quantity being
// typed, a text too long) leaves what Erp.Net has of it as it was. The draft is the form's order
// (d.OrderID) when it has one, else v's draft here, else a new one; a form whose order was
// placed is ErrDraftPlaced, cancelled ErrDraftCancelled.
func (s *Service) SaveDraft(ctx context.Context, v *Viewer, d OrderDraft) (SavedDraft, error) {
	if !validID(d.ID) {
		return SavedDraft{}, ErrDraftUsed
	}
	unlock, err := s.lockDrafts(ctx, v.UserID)
	if err != nil {
		return SavedDraft{}, err
	}
	defer unlock()
	in, err := s.draftInputs(ctx, v, d)
	if err != nil {
		return SavedDraft{}, err
	}
	o, st, adopted, err := s.formOrder(ctx, v, d)
	if err != nil {
		return SavedDraft{}, err
	}
	return s.saveDraft(ctx, v, d, in, o, st, adopted)
}

// draftLease bounds how long a person's drafts stay locked across replicas, should the replica
// holding the lock stop.
const draftLease = time.Minute

// lockDrafts takes the person's lock on their drafts here, so their saves, placings and the
// sweep of their drafts run one at a time: in this process, and across replicas through the
// shared store (a store that does not answer leaves the rule to this process, as every rule the
// replicas share).
func (s *Service) lockDrafts(ctx context.Context, userID string) (func(), error) {
	key := "drafts:" + s.inst.RelativeURL + ":" + strings.ToLower(userID)
	local := s.draftLocks.lock(key)
	if s.locks == nil {
		return local, nil
	}
	for {
		unlock, ok, err := s.locks.Lock(ctx, key, draftLease)
		switch {
		case err != nil:
			return local, nil
		case ok:
			return func() { unlock(); local() }, nil
		}
		select {
		case <-ctx.Done():
			local()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// saveDraft is SaveDraft under the person's lock, for the order o the form is kept in.
func (s *Service) saveDraft(ctx context.Context, v *Viewer, d OrderDraft, in draftInputs,
	o *erpnet.SalesOrder, st draftState, adopted bool) (SavedDraft, error) {
	switch st {
	case statePlacing, statePlaced:
		return SavedDraft{}, ErrDraftPlaced
	case stateCancelled:
		return SavedDraft{}, ErrDraftCancelled
	}
	plan := planDraft(d, in)
	want := plan.lines
	lang := s.langOf(v)
	notes, notesOK := strings.TrimSpace(d.Notes), utf8.RuneCountInString(strings.TrimSpace(d.Notes)) <= MaxOrderNotes
	po, poOK := strings.TrimSpace(d.PONumber), utf8.RuneCountInString(strings.TrimSpace(d.PONumber)) <= MaxPONumber
	delivery, msg := parseDelivery(d.DeliveryDate, lang, s.orderDay())
	deliveryOK := msg == ""
	out := SavedDraft{ID: d.ID}
	if o == nil {
		if len(want) == 0 && (notes == "" || !notesOK) && (po == "" || !poOK) && delivery.IsZero() {
			return out, nil
		}
		if !notesOK {
			notes = ""
		}
		if !poOK {
			po = ""
		}
		head, err := s.draftHead(ctx, v, d.ID, notes, po, delivery)
		if err != nil {
			return SavedDraft{}, err
		}
		body := struct {
			newOrderHead
			Packages []newOrderPackage `json:"PromotionalPackages,omitempty"`
			Lines    []newOrderLine    `json:"Lines,omitempty"`
		}{head, orderPackages(plan.packages), orderLines(want)}
		var created erpnet.SalesOrder
		err = s.erp.Create(ctx, erpnet.SetSalesOrders, body, &created)
		s.invalidate(ctx, v.Current.CustomerID) // a new order: the customer's lists have one more
		if err != nil {
			return SavedDraft{}, err
		}
		out.OrderID, out.Number = created.ID, created.DocumentNo
		return out, nil
	}
	out.ID, out.OrderID, out.Number = draftFormID(o), o.ID, o.DocumentNo
	if adopted {
		merged := d
		merged.ID, merged.OrderID, merged.Lines, merged.Packages = out.ID, out.OrderID, slices.Clone(d.Lines), slices.Clone(d.Packages)
		if notes == "" {
			merged.Notes = o.DocumentNotes
		}
		if po == "" {
			merged.PONumber = o.CustomerPurchaseOrderNo
		}
		if strings.TrimSpace(d.DeliveryDate) == "" && !o.RequiredDeliveryDate.IsZero() {
			merged.DeliveryDate = locale.Date(lang, o.RequiredDeliveryDate.Time)
		}
		out.Merged = &merged
	}
	// Lines kept: the first saved line of the same product (and package) for each wanted one.
	used := make([]bool, len(o.Lines))
	match := func(k lineKey) int {
		for i, l := range o.Lines {
			if !used[i] && strings.EqualFold(l.Product.Ref.ID, k.product) && strings.EqualFold(l.PromotionalPackage.Ref.ID, k.pkg) {
				used[i] = true
				return i
			}
		}
		return -1
	}
	for _, k := range plan.keep {
		match(k) // a line whose quantity or notes are being corrected stays as Erp.Net has it
	}
	var add []draftWant
	for _, w := range want {
		i := match(lineKey{pkg: w.pkg, product: w.product.ID})
		if i < 0 {
			add = append(add, w)
			continue
		}
		if l := o.Lines[i]; l.Quantity.Value != w.qty || l.Notes != w.notes {
			patch := map[string]any{"Quantity": erpnet.Quantity{Value: w.qty, Unit: productUnit(w.product)}, "Notes": w.notes}
			if err := s.erp.Patch(ctx, erpnet.SetSalesOrderLines, l.ID, patch); err != nil {
				return out, err
			}
		}
	}
	for i, l := range o.Lines {
		switch {
		case used[i]:
		case adopted && !l.PromotionalPackage.IsZero():
			// The form did not know this draft: its packages join the form's (below), and with
			// them their lines.
		case adopted:
			// The form did not know this draft: its lines join the form's.
			out.Merged.Lines = append(out.Merged.Lines, draftLinesOf(&erpnet.SalesOrder{Lines: []erpnet.SalesOrderLine{l}})...)
		default:
			if err := s.erp.Delete(ctx, erpnet.SetSalesOrderLines, l.ID); err != nil && !erpnet.IsNotFound(err) {
				return out, err
			}
		}
	}
	head := map[string]any{}
	addPackages, err := s.syncPackages(ctx, o, plan, out.Merged)
	if err != nil {
		return out, err
	}
	if len(addPackages) > 0 {
		head["PromotionalPackages"] = addPackages // added, as a PATCH's lines are
	}
	if notesOK && o.DocumentNotes != notes && !(adopted && notes == "") {
		head["DocumentNotes"] = notes
	}
	if poOK && o.CustomerPurchaseOrderNo != po && !(adopted && po == "") {
		head["CustomerPurchaseOrderNo"] = po
	}
	if deliveryOK && !sameDay(o.RequiredDeliveryDate.Time, delivery) && !(adopted && delivery.IsZero()) {
		if delivery.IsZero() {
			head["RequiredDeliveryDate"] = nil
		} else {
			head["RequiredDeliveryDate"] = erpnet.Time{Time: delivery}
		}
	}
	if len(add) > 0 {
		head["Lines"] = orderLines(add) // a PATCH's lines are added to the order's
	}
	if len(head) > 0 {
		if err := s.erp.Patch(ctx, erpnet.SetSalesOrders, o.ID, head); err != nil {
			return out, err
		}
	}
	return out, nil
}

func sameDay(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	return DayOf(a) == DayOf(b)
}

// draftProducts are the products of d's lines, as validateDraft reads them.
func (s *Service) draftProducts(ctx context.Context, v *Viewer, d OrderDraft) (map[string]erpnet.Product, error) {
	ids := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		ids[i] = l.ProductID
	}
	return s.productsByID(ctx, v, ids)
}

// draftInputs are what Erp.Net says of a draft's lines and packages: the products of its lines,
// and the packages offered for it.
type draftInputs struct {
	products map[string]erpnet.Product
	pkgs     map[string]erpnet.PromotionalPackage
}

func (s *Service) draftInputs(ctx context.Context, v *Viewer, d OrderDraft) (draftInputs, error) {
	products, err := s.draftProducts(ctx, v, d)
	if err != nil {
		return draftInputs{}, err
	}
	pkgs, err := s.draftPackages(ctx, v, d)
	return draftInputs{products: products, pkgs: pkgs}, err
}

// lineKey is what a draft's line is matched by in Erp.Net: its product and package.
type lineKey struct{ pkg, product string }

// draftPlan is a draft as it can be kept in Erp.Net: the lines (its own, then its packages'),
// the packages, and what is being corrected, which stays as Erp.Net has it.
type draftPlan struct {
	lines        []draftWant
	keep         []lineKey
	packages     []packageWant
	keepPackages []string
}

// planDraft keeps the lines of d whose product is offered and whose quantity and notes read,
// and the packages offered whose number reads, with their lines.
func planDraft(d OrderDraft, in draftInputs) draftPlan {
	var plan draftPlan
	for _, l := range d.Lines[:min(len(d.Lines), MaxOrderLines)] {
		p, ok := in.products[strings.ToLower(l.ProductID)]
		if !ok || !p.Active {
			continue
		}
		q, qok := ParseQuantity(l.Quantity)
		if qok && utf8.RuneCountInString(l.Notes) <= MaxLineNotes {
			plan.lines = append(plan.lines, draftWant{product: p, qty: q, notes: strings.TrimSpace(l.Notes)})
		} else {
			plan.keep = append(plan.keep, lineKey{product: p.ID})
		}
	}
	plan.packages, plan.keepPackages = packageWants(d, in.pkgs, len(plan.lines)+len(plan.keep))
	plan.lines = append(plan.lines, packageLines(plan.packages)...)
	for _, id := range plan.keepPackages {
		for _, l := range in.pkgs[strings.ToLower(id)].Lines {
			plan.keep = append(plan.keep, lineKey{pkg: id, product: l.Product.Ref.ID})
		}
	}
	return plan
}

// syncPackages brings the packages the order o sells in step with plan: a package's number
// patched, packages no longer wanted deleted (or, when merged is the form taking o on, joining
// it), and returns the packages to add.
func (s *Service) syncPackages(ctx context.Context, o *erpnet.SalesOrder, plan draftPlan, merged *OrderDraft) ([]newOrderPackage, error) {
	used := make([]bool, len(o.PromotionalPackages))
	match := func(id string) int {
		for i, r := range o.PromotionalPackages {
			if !used[i] && strings.EqualFold(r.PromotionalPackage.Ref.ID, id) {
				used[i] = true
				return i
			}
		}
		return -1
	}
	for _, id := range plan.keepPackages {
		match(id)
	}
	var add []packageWant
	for _, pw := range plan.packages {
		i := match(pw.pkg.ID)
		switch {
		case i < 0:
			add = append(add, pw)
		case o.PromotionalPackages[i].NumberOfPackages != pw.n:
			if err := s.erp.Patch(ctx, erpnet.SetSalesOrderPackages, o.PromotionalPackages[i].ID, map[string]any{"NumberOfPackages": pw.n}); err != nil {
				return nil, err
			}
		}
	}
	for i, r := range o.PromotionalPackages {
		switch {
		case used[i]:
		case merged != nil:
			if !slices.ContainsFunc(merged.Packages, func(p DraftPackage) bool { return strings.EqualFold(p.ID, r.PromotionalPackage.Ref.ID) }) {
				merged.Packages = append(merged.Packages, DraftPackage{ID: r.PromotionalPackage.Ref.ID, Count: strconv.Itoa(r.NumberOfPackages)})
			}
		default:
			if err := s.erp.Delete(ctx, erpnet.SetSalesOrderPackages, r.ID); err != nil && !erpnet.IsNotFound(err) {
				return nil, err
			}
		}
	}
	return orderPackages(add), nil
}

func orderLines(want []draftWant) []newOrderLine {
	out := make([]newOrderLine, len(want))
	for i, w := range want {
		out[i] = newOrderLine{Product: erpnet.NewRef(erpnet.SetProducts, w.product.ID),
			Quantity: erpnet.Quantity{Value: w.qty, Unit: productUnit(w.product)}, Notes: w.notes}
		if w.pkg != "" {
			r := erpnet.NewRef(erpnet.SetPromotionalPackages, w.pkg)
			out[i].PromotionalPackage = &r
		}
	}
	return out
}

// draftHead is the header of v's draft of form id: the order's header as placing makes it, with
// the person's own notes (placing adds who placed it). A customer without a serving location is
// CC007.
func (s *Service) draftHead(ctx context.Context, v *Viewer, id, notes, po string, delivery time.Time) (newOrderHead, error) {
	setup, err := s.orderSetup(ctx)
	if err != nil {
		return newOrderHead{}, err
	}
	cust, err := s.orderCustomer(ctx, v)
	if err != nil {
		return newOrderHead{}, err
	}
	if cust.Location.IsZero() {
		return newOrderHead{}, s.errNoLocation()
	}
	head := s.orderHead(v, setup, cust, s.draftExternalID(v, id), notes)
	head.CustomerPurchaseOrderNo = po
	if !delivery.IsZero() {
		head.RequiredDeliveryDate = &erpnet.Time{Time: delivery}
	}
	return head, nil
}

// sweepPages bounds how many pages of candidates one sweep reads.
const sweepPages = 10

// SweepDrafts deletes this Client Center's drafts nobody has changed for DraftDays (by the
// order's AggregateLastUpdateTimeUtc, which every change of the order or its lines moves). The
// candidates are found by CreationTime (a draft untouched for N days was created at least N days
// ago; AggregateLastUpdateTimeUtc cannot be filtered), of the New Order document type, still
// New, up to sweepPages pages of maxDrafts a sweep. Only orders whose ExternalSystem and
// ExternalId say this Client Center began them are deleted: a New order of the tenant's staff
// never is. Each is deleted under its person's lock and read again first, so a draft saved or
// placed meanwhile stays.
func (s *Service) SweepDrafts(ctx context.Context) (int, error) {
	days := s.inst.DraftDays
	if days <= 0 || !s.NewOrderOn() {
		return 0, nil
	}
	setup, err := s.orderSetup(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := s.now().Add(-time.Duration(days) * 24 * time.Hour)
	q := erpnet.From(erpnet.SetSalesOrders).
		Where(erpnet.Eq("DocumentType", setup.DocumentType), erpnet.Eq("State", erpnet.Enum("New")),
			erpnet.Le("CreationTime", erpnet.DateTime(cutoff))).
		Select("Id", "State", "Void", "ExternalId", "ExternalSystem", "AggregateLastUpdateTimeUtc", "Customer").
		OrderBy("DocumentDate", false)
	deleted, skip := 0, 0
	for range sweepPages {
		var page []erpnet.SalesOrder
		if _, err := s.erp.ListPage(ctx, q.Skip(skip).Top(maxDrafts), &page); err != nil {
			return deleted, err
		}
		for _, o := range page {
			ok, err := s.sweepDraft(ctx, o, cutoff)
			if err != nil {
				return deleted, err
			}
			if ok {
				deleted++
			} else {
				skip++ // still there: the next page starts after it
			}
		}
		if len(page) < maxDrafts {
			break
		}
	}
	if deleted > 0 {
		s.log.Info("drafts deleted", zap.Int("count", deleted), zap.Int("days", days))
	}
	return deleted, nil
}

// sweepDraft deletes the listed order when it is a draft of this Client Center untouched since
// cutoff, as read again under its person's lock.
func (s *Service) sweepDraft(ctx context.Context, listed erpnet.SalesOrder, cutoff time.Time) (bool, error) {
	stale := func(o erpnet.SalesOrder) bool {
		return s.draftOwner(o) != "" && !o.LastUpdate.IsZero() && !o.LastUpdate.After(cutoff)
	}
	if !stale(listed) {
		return false, nil
	}
	unlock, err := s.lockDrafts(ctx, s.draftOwner(listed))
	if err != nil {
		return false, err
	}
	defer unlock()
	var o erpnet.SalesOrder
	err = s.erp.Get(ctx, erpnet.SetSalesOrders, listed.ID, erpnet.Query{}.Select("Id", "State", "Void", "ExternalId",
		"ExternalSystem", "AggregateLastUpdateTimeUtc", "Customer"), &o)
	switch {
	case erpnet.IsNotFound(err):
		return true, nil // another replica's sweep
	case err != nil:
		return false, err
	case !stale(o):
		return false, nil
	}
	if err := s.erp.Delete(ctx, erpnet.SetSalesOrders, o.ID); err != nil && !erpnet.IsNotFound(err) {
		return false, err
	}
	s.invalidate(ctx, o.Customer.Ref.ID)
	return true, nil
}

// OrderReview is the review step before placing: the order as Erp.Net prices it, with what the
// person set. Price fields are nil for roles that do not see prices.
type OrderReview struct {
	Draft  OrderDraft
	Number string      // the draft's document number
	Lines  []OrderLine // as the order page shows them
	Prices bool
	// Total is the lines' amount, AmountToPay with VAT, both as Erp.Net calculated them.
	Total, VAT, AmountToPay *Money
	Delivery                time.Time
}

// ReviewOrder saves d and returns it as it would be placed: a draft with problems is a
// *DraftError. For a role that sees prices, Erp.Net prices a copy of the order in a front-end
// transaction that is discarded (one begin, one create, one read, one rollback); nothing the
// person has not confirmed is placed.
func (s *Service) ReviewOrder(ctx context.Context, v *Viewer, d OrderDraft) (*OrderReview, error) {
	saved, err := s.SaveDraft(ctx, v, d)
	if err != nil {
		return nil, err
	}
	if saved.Merged != nil {
		d = *saved.Merged // an earlier draft joined the form: the review shows the two together
	}
	d.ID, d.OrderID = saved.ID, saved.OrderID
	problems, in, err := s.validateDraft(ctx, v, d)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &DraftError{Problems: problems, Draft: d}
	}
	r := &OrderReview{Draft: d, Number: saved.Number, Prices: v.Current.Role.Can(access.ViewOrderPrices)}
	r.Delivery, _ = parseDelivery(d.DeliveryDate, s.langOf(v), s.orderDay())
	plan := planDraft(d, in)
	for i, w := range plan.lines {
		r.Lines = append(r.Lines, OrderLine{LineNo: i + 1, ProductID: w.product.ID, PartNumber: w.product.PartNumber,
			Product: s.text(v, w.product.Name), Unit: productUnit(w.product), Notes: w.notes, Quantity: w.qty, Package: w.pkgName})
	}
	if !r.Prices {
		return r, nil
	}
	head, err := s.draftHead(ctx, v, d.ID, d.Notes, d.PONumber, r.Delivery)
	if err != nil {
		return nil, err
	}
	head.Merge = erpnet.MergeBy("cc-quote:"+erpnet.NewID(), ExternalSystem) // a copy, never kept
	priced, err := s.priceCopy(ctx, head, orderPackages(plan.packages), orderLines(plan.lines))
	if err != nil {
		return nil, err
	}
	slices.SortFunc(priced.Lines, func(a, b erpnet.SalesOrderLine) int { return cmp.Compare(a.LineNo, b.LineNo) })
	for i, l := range priced.Lines[:min(len(priced.Lines), len(r.Lines))] {
		up, amt, disc := Money{l.UnitPrice.Value, l.UnitPrice.Currency}, Money{l.LineAmount.Value, l.LineAmount.Currency}, l.LineStandardDiscountPercent
		r.Lines[i].UnitPrice, r.Lines[i].LineAmount, r.Lines[i].Discount = &up, &amt, &disc
	}
	total, pay := priced.TotalLineAmount, priced.AmountToPay
	r.Total, r.AmountToPay = &Money{total.Value, total.Currency}, &Money{pay.Value, pay.Currency}
	r.VAT = &Money{roundCents(pay.Value - total.Value), pay.Currency}
	return r, nil
}

// priceCopy creates an order in a front-end transaction, reads it back as Erp.Net priced it,
// and discards the transaction.
func (s *Service) priceCopy(ctx context.Context, head newOrderHead, packages []newOrderPackage, lines []newOrderLine) (erpnet.SalesOrder, error) {
	tx, err := s.erp.BeginTransaction(ctx)
	if err != nil {
		return erpnet.SalesOrder{}, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	in := erpnet.InTransaction(ctx, tx)
	body := struct {
		newOrderHead
		Packages []newOrderPackage `json:"PromotionalPackages,omitempty"`
		Lines    []newOrderLine    `json:"Lines"`
	}{head, packages, lines}
	var created erpnet.SalesOrder
	if err := s.erp.Create(in, erpnet.SetSalesOrders, body, &created); err != nil {
		return erpnet.SalesOrder{}, err
	}
	var order erpnet.SalesOrder
	read := erpnet.Query{}.Select("Id", "TotalLineAmount", "AmountToPay").
		Expand("Lines", erpnet.Query{}.Select("Id", "LineNo", "UnitPrice", "LineAmount", "LineStandardDiscountPercent"))
	err = s.erp.Get(in, erpnet.SetSalesOrders, created.ID, read, &order)
	return order, err
}

// keyedLocks are mutexes by key, made on first use and dropped when nobody holds or waits for
// them.
type keyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	users int
}

// lock takes the mutex of key and returns its unlock.
func (k *keyedLocks) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
