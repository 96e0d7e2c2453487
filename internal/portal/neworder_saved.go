package portal

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

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
// with their lines: where a person's draft is found. Cached with the customer's lists, so a
// write of the customer (a save among them) reads them again.
func (s *Service) openDrafts(ctx context.Context, v *Viewer) ([]erpnet.SalesOrder, error) {
	setup, err := s.orderSetup(ctx)
	if err != nil {
		return nil, err
	}
	q := erpnet.From(erpnet.SetSalesOrders).
		Where(erpnet.Eq("Customer", erpnet.NewRef(erpnet.SetCustomers, v.Current.CustomerID)),
			erpnet.Eq("DocumentType", setup.DocumentType), erpnet.Eq("State", erpnet.Enum("New")),
			erpnet.Eq("Void", erpnet.Bool(false))).
		Select("Id", "DocumentNo", "DocumentDate", "State", "Void", "ExternalId", "ExternalSystem", "DocumentNotes",
			"CustomerPurchaseOrderNo", "RequiredDeliveryDate", "AggregateLastUpdateTimeUtc").
		Expand("Lines", erpnet.Query{}.Select("Id", "LineNo", "Quantity", "Notes", "Product")).
		OrderBy("DocumentDate", true).Top(maxDrafts)
	return cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "drafts\x00"+q.String(), func(ctx context.Context) ([]erpnet.SalesOrder, error) {
		var out []erpnet.SalesOrder
		_, err := s.erp.ListPage(ctx, q, &out)
		return out, err
	})
}

// myDraft is v's draft here, the most recently changed when a race left two; nil when none.
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

// ResumeDraft is v's draft as a form, and its document number; ok is false when v has none.
func (s *Service) ResumeDraft(ctx context.Context, v *Viewer) (d OrderDraft, number string, ok bool, err error) {
	o, err := s.myDraft(ctx, v)
	if err != nil || o == nil || !validID(draftFormID(o)) {
		return OrderDraft{}, "", false, err
	}
	lang := s.langOf(v)
	d = OrderDraft{ID: draftFormID(o), OrderID: o.ID, Notes: o.DocumentNotes, PONumber: o.CustomerPurchaseOrderNo}
	if !o.RequiredDeliveryDate.IsZero() {
		d.DeliveryDate = locale.Date(lang, o.RequiredDeliveryDate.Time)
	}
	for _, l := range sortedLines(o.Lines) {
		d.Lines = append(d.Lines, DraftLine{ProductID: l.Product.Ref.ID, Quantity: strconv.FormatFloat(l.Quantity.Value, 'f', -1, 64), Notes: l.Notes})
	}
	return d, o.DocumentNo, true, nil
}

// HasDraft tells whether v has a draft here (Orders and Home offer to continue it).
func (s *Service) HasDraft(ctx context.Context, v *Viewer) bool {
	if !s.NewOrderOn() {
		return false
	}
	o, err := s.myDraft(ctx, v)
	return err == nil && o != nil
}

func sortedLines(lines []erpnet.SalesOrderLine) []erpnet.SalesOrderLine {
	out := append([]erpnet.SalesOrderLine(nil), lines...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].LineNo < out[j-1].LineNo; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// SavedDraft is what saving a draft did.
type SavedDraft struct {
	// ID is the form id the draft is kept under: the form's own, or that of the draft the person
	// already had here (begun on another device), which the form takes on.
	ID      string
	OrderID string // the draft's order Id in Erp.Net; "" when nothing needed saving yet
	Number  string // the order's document number; "" when nothing needed saving yet
	Writes  int    // Erp.Net writes it took (0 when nothing changed)
}

// draftWant is a draft line as it is to be kept: only lines whose product is offered and whose
// quantity reads are kept in Erp.Net; the form keeps the others as typed until they are fixed.
type draftWant struct {
	product erpnet.Product
	qty     float64
	notes   string
}

// SaveDraft keeps d in Erp.Net as v's draft: created (merged by its ExternalId) at the first
// change, then brought in step with the form: header fields patched, lines added, changed or
// deleted (lines are matched by product, so removing one line does not rewrite the others).
// A form that has nothing in it yet is not saved. The draft is the form's order (d.OrderID) when
// it has one, else v's draft here, else a new one; a form whose order was placed is
// ErrDraftPlaced. A person's saves run one at a time, so a double click makes one draft.
func (s *Service) SaveDraft(ctx context.Context, v *Viewer, d OrderDraft) (SavedDraft, error) {
	if !validID(d.ID) {
		return SavedDraft{}, ErrDraftUsed
	}
	defer s.lockDrafts(v)()
	return s.saveDraft(ctx, v, d)
}

// lockDrafts takes v's lock on their drafts here and returns its unlock.
func (s *Service) lockDrafts(v *Viewer) func() {
	return s.draftLocks.lock(s.inst.RelativeURL + ":" + strings.ToLower(v.UserID))
}

// saveDraft is SaveDraft under v's lock.
func (s *Service) saveDraft(ctx context.Context, v *Viewer, d OrderDraft) (SavedDraft, error) {
	want, err := s.draftWants(ctx, v, d)
	if err != nil {
		return SavedDraft{}, err
	}
	mine, err := s.formOrder(ctx, v, d)
	if err != nil {
		return SavedDraft{}, err
	}
	notes, po := strings.TrimSpace(d.Notes), strings.TrimSpace(d.PONumber)
	if len([]rune(po)) > MaxPONumber || len([]rune(notes)) > MaxOrderNotes {
		notes, po = "", "" // the form says what is too long; the draft keeps its lines meanwhile
	}
	delivery, _ := parseDelivery(d.DeliveryDate, s.langOf(v), s.orderDay())
	out := SavedDraft{ID: d.ID}
	if mine == nil {
		if len(want) == 0 && notes == "" && po == "" && delivery.IsZero() {
			return out, nil
		}
		head, err := s.draftHead(ctx, v, d.ID, notes, po, delivery)
		if err != nil {
			return SavedDraft{}, err
		}
		body := struct {
			newOrderHead
			Lines []newOrderLine `json:"Lines,omitempty"`
		}{head, orderLines(want)}
		var created erpnet.SalesOrder
		err = s.erp.Create(ctx, erpnet.SetSalesOrders, body, &created)
		s.invalidate(ctx, v.Current.CustomerID)
		if err != nil {
			return SavedDraft{}, err
		}
		out.OrderID, out.Number, out.Writes = created.ID, created.DocumentNo, 1
		return out, nil
	}
	out.ID, out.OrderID, out.Number = draftFormID(mine), mine.ID, mine.DocumentNo
	defer func() {
		if out.Writes > 0 {
			s.invalidate(ctx, v.Current.CustomerID)
		}
	}()
	// Lines kept: the first saved line of the same product for each wanted one.
	used := make([]bool, len(mine.Lines))
	var add []draftWant
	for _, w := range want {
		found := -1
		for i, l := range mine.Lines {
			if !used[i] && strings.EqualFold(l.Product.Ref.ID, w.product.ID) {
				found = i
				break
			}
		}
		if found < 0 {
			add = append(add, w)
			continue
		}
		used[found] = true
		l := mine.Lines[found]
		if l.Quantity.Value != w.qty || l.Notes != w.notes {
			patch := map[string]any{"Quantity": erpnet.Quantity{Value: w.qty, Unit: productUnit(w.product)}, "Notes": w.notes}
			if err := s.erp.Patch(ctx, erpnet.SetSalesOrderLines, l.ID, patch); err != nil {
				return out, err
			}
			out.Writes++
		}
	}
	for i, l := range mine.Lines {
		if !used[i] {
			if err := s.erp.Delete(ctx, erpnet.SetSalesOrderLines, l.ID); err != nil && !erpnet.IsNotFound(err) {
				return out, err
			}
			out.Writes++
		}
	}
	head := map[string]any{}
	if mine.DocumentNotes != notes {
		head["DocumentNotes"] = notes
	}
	if mine.CustomerPurchaseOrderNo != po {
		head["CustomerPurchaseOrderNo"] = po
	}
	if !sameDay(mine.RequiredDeliveryDate.Time, delivery) {
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
		if err := s.erp.Patch(ctx, erpnet.SetSalesOrders, mine.ID, head); err != nil {
			return out, err
		}
		out.Writes++
	}
	return out, nil
}

func sameDay(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	return DayOf(a) == DayOf(b)
}

// formOrder is the draft d is kept in: the form's own order while it is v's draft of this
// customer, else v's draft here (begun on another device, or the form's order was deleted),
// else nil. A form whose order was placed is ErrDraftPlaced.
func (s *Service) formOrder(ctx context.Context, v *Viewer, d OrderDraft) (*erpnet.SalesOrder, error) {
	if d.OrderID != "" && validID(d.OrderID) {
		var o erpnet.SalesOrder
		q := erpnet.Query{}.Select("Id", "DocumentNo", "State", "Void", "ExternalId", "ExternalSystem", "DocumentNotes",
			"CustomerPurchaseOrderNo", "RequiredDeliveryDate", "Customer").
			Expand("Lines", erpnet.Query{}.Select("Id", "LineNo", "Quantity", "Notes", "Product"))
		err := s.erp.Get(ctx, erpnet.SetSalesOrders, d.OrderID, q, &o)
		switch {
		case erpnet.IsNotFound(err):
		case err != nil:
			return nil, err
		case !strings.EqualFold(o.Customer.Ref.ID, v.Current.CustomerID) || o.ExternalSystem != ExternalSystem:
			return nil, ErrDraftUsed // the server signs the Id, so this is another session's form
		case o.ExternalID == s.placedExternalID(v, d.ID) || o.ExternalID == s.draftExternalID(v, d.ID) && (o.State != "New" || o.Void):
			return nil, ErrDraftPlaced
		case o.ExternalID == s.draftExternalID(v, d.ID):
			return &o, nil
		default:
			return nil, ErrDraftUsed
		}
	}
	return s.myDraft(ctx, v)
}

// draftWants are the lines of d that can be kept in Erp.Net.
func (s *Service) draftWants(ctx context.Context, v *Viewer, d OrderDraft) ([]draftWant, error) {
	ids := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		ids[i] = l.ProductID
	}
	products, err := s.productsByID(ctx, v, ids)
	if err != nil {
		return nil, err
	}
	var want []draftWant
	for _, l := range d.Lines[:min(len(d.Lines), MaxOrderLines)] {
		p, ok := products[strings.ToLower(l.ProductID)]
		q, qok := ParseQuantity(l.Quantity)
		if ok && p.Active && qok && len([]rune(l.Notes)) <= MaxLineNotes {
			want = append(want, draftWant{product: p, qty: q, notes: strings.TrimSpace(l.Notes)})
		}
	}
	return want, nil
}

func orderLines(want []draftWant) []newOrderLine {
	out := make([]newOrderLine, len(want))
	for i, w := range want {
		out[i] = newOrderLine{Product: erpnet.NewRef(erpnet.SetProducts, w.product.ID),
			Quantity: erpnet.Quantity{Value: w.qty, Unit: productUnit(w.product)}, Notes: w.notes}
	}
	return out
}

// draftHead is the header of v's draft of form id: the order's header as placing makes it, with
// the person's own notes (placing adds who placed it).
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

// SweepDrafts deletes this Client Center's drafts nobody has changed for DraftDays (by the
// order's AggregateLastUpdateTimeUtc, which every change of the order or its lines moves), at
// most maxDrafts a call: the candidates are found by CreationTime (a draft untouched for N days
// was created at least N days ago; AggregateLastUpdateTimeUtc cannot be filtered), of the New
// Order document type, still New. Only orders whose ExternalSystem and ExternalId say this
// Client Center began them are deleted: a New order of the tenant's staff never is.
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
		OrderBy("DocumentDate", false).Top(maxDrafts)
	var old []erpnet.SalesOrder
	if _, err := s.erp.ListPage(ctx, q, &old); err != nil {
		return 0, err
	}
	n := 0
	for _, o := range old {
		if s.draftOwner(o) == "" || o.LastUpdate.IsZero() || o.LastUpdate.After(cutoff) {
			continue
		}
		if err := s.erp.Delete(ctx, erpnet.SetSalesOrders, o.ID); err != nil && !erpnet.IsNotFound(err) {
			return n, err
		}
		n++
		s.cache.InvalidateCustomer(ctx, s.inst.RelativeURL, o.Customer.Ref.ID)
	}
	if n > 0 {
		s.log.Info("drafts deleted", zap.String("instance", s.inst.RelativeURL), zap.Int("count", n), zap.Int("days", days))
	}
	return n, nil
}

// OrderReview is the review step before placing: the order as Erp.Net prices it, with what the
// person set. Price fields are nil for roles that do not see prices.
type OrderReview struct {
	Draft  OrderDraft
	Number string // the draft's document number
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
	problems, _, err := s.validateDraft(ctx, v, d)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &DraftError{Problems: problems}
	}
	saved, err := s.SaveDraft(ctx, v, d)
	if err != nil {
		return nil, err
	}
	d.ID, d.OrderID = saved.ID, saved.OrderID
	lang := s.langOf(v)
	r := &OrderReview{Draft: d, Number: saved.Number, Prices: v.Current.Role.Can(access.ViewOrderPrices)}
	r.Delivery, _ = parseDelivery(d.DeliveryDate, lang, s.orderDay())
	want, err := s.draftWants(ctx, v, d)
	if err != nil {
		return nil, err
	}
	for i, w := range want {
		r.Lines = append(r.Lines, OrderLine{LineNo: i + 1, ProductID: w.product.ID, PartNumber: w.product.PartNumber,
			Product: s.text(v, w.product.Name), Unit: productUnit(w.product), Notes: w.notes, Quantity: w.qty})
	}
	if !r.Prices {
		return r, nil
	}
	head, err := s.draftHead(ctx, v, d.ID, d.Notes, d.PONumber, r.Delivery)
	if err != nil {
		return nil, err
	}
	head.Merge = erpnet.MergeBy("cc-quote:"+erpnet.NewID(), ExternalSystem) // a copy, never kept
	priced, err := s.priceCopy(ctx, head, orderLines(want))
	if err != nil {
		return nil, err
	}
	lines := sortedLines(priced.Lines)
	for i := range r.Lines {
		if i >= len(lines) {
			break
		}
		l := lines[i]
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
func (s *Service) priceCopy(ctx context.Context, head newOrderHead, lines []newOrderLine) (erpnet.SalesOrder, error) {
	tx, err := s.erp.BeginTransaction(ctx)
	if err != nil {
		return erpnet.SalesOrder{}, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	in := erpnet.InTransaction(ctx, tx)
	body := struct {
		newOrderHead
		Lines []newOrderLine `json:"Lines"`
	}{head, lines}
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
