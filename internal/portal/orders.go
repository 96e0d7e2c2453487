package portal

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Order statuses as the portal shows them.
const (
	StatusNew       = "New"
	StatusOrdered   = "Ordered"
	StatusCancelled = "Cancelled"
)

// OrderStatuses are the status filter choices of the Orders list.
var OrderStatuses = []string{StatusNew, StatusOrdered, StatusCancelled}

// OrderRow is a row of the Orders list. Price fields are nil when the viewer's role hides prices,
// so they cannot leak into HTML, CSV or JSON.
type OrderRow struct {
	ID               string
	Date             Day
	Type             string `row:"shared"`
	Number           string
	Status           string `row:"shared"`
	State            string `row:"shared"`
	Amount           *Money
	NetAmount        *Money
	Currency         string `row:"shared"`
	RequiredDelivery Day
	PONumber         string
	Notes            string
	PaymentDue       Day
}

// Order is an order's page: its header and lines.
type Order struct {
	OrderRow
	ObjectVersion int
	VoidReason    string
	Created       time.Time
	Released      time.Time
	Lines         []OrderLine
	// Cancellable is true while the order is not released and not void.
	Cancellable bool
	// Channel is the distribution channel's name, "" when the instance hides it.
	Channel string
}

// OrderLine is a line of an order; price fields are nil when hidden.
type OrderLine struct {
	LineNo      int
	ProductID   string
	PartNumber  string
	Product     string
	Quantity    float64
	Unit        string
	UnitPrice   *Money
	Discount    *float64
	LineAmount  *Money
	Notes       string
	DeliverDate time.Time
	// Package and PackageID are the promotional package the line came from, "" for none.
	Package, PackageID string
}

// orderSorts maps the Orders list's sortable column keys to Domain API properties.
// Only attributes whose model page says "Supports Order By: True" are here; the other columns
// show no sort control.
var orderSorts = map[string]string{
	"date": "DocumentDate", "number": "DocumentNo", "po": "CustomerPurchaseOrderNo",
}

// OrderSortable tells whether the Orders list can sort by a column key.
func OrderSortable(key string) bool { _, ok := orderSorts[key]; return ok }

// documentScope is the one place a document query is limited to what the viewer may see: the
// viewer's customer and days-back horizon. through is the filterable reference a query of lines
// reaches its document by ("SalesOrder/"), or "" for the documents themselves.
func (s *Service) documentScope(v *Viewer, through string) []erpnet.Term {
	terms := []erpnet.Term{erpnet.Eq(through+"Customer", customerRef(v.Current.CustomerID))}
	if h := s.horizon(v); !h.IsZero() {
		terms = append(terms, erpnet.Ge(through+"DocumentDate", erpnet.Date(h)))
	}
	return terms
}

// orderScope is every term that limits orders to what the viewer may see: the document scope
// and the instance's order document types.
func (s *Service) orderScope(v *Viewer) []erpnet.Term {
	return append(s.documentScope(v, ""), s.orderTypeTerms()...)
}

// orderFilter adds the person's filters (dates, status, search) to the scope.
func (s *Service) orderFilter(ctx context.Context, v *Viewer, p ListParams) ([]erpnet.Term, bool, error) {
	terms := s.orderScope(v)
	if !p.From.IsZero() {
		terms = append(terms, erpnet.Ge("DocumentDate", erpnet.Date(p.From)))
	}
	if !p.To.IsZero() {
		terms = append(terms, erpnet.Le("DocumentDate", erpnet.Date(p.To)))
	}
	switch p.Status {
	case StatusNew:
		terms = append(terms, erpnet.Eq("State", erpnet.Enum("New")), erpnet.Eq("Void", erpnet.Bool(false)))
	case StatusOrdered:
		terms = append(terms, erpnet.Ge("State", erpnet.Enum("Adjustment")), erpnet.Eq("Void", erpnet.Bool(false)))
	case StatusCancelled:
		terms = append(terms, erpnet.Eq("Void", erpnet.Bool(true)))
	}
	terms = append(terms, columnTerms(orderColumnFilters, p.Filters)...)
	if p.Search == "" {
		return terms, true, nil
	}
	scope := s.orderScope(v)
	lineScope := s.documentScope(v, "SalesOrder/")
	queries := []erpnet.Query{
		erpnet.From(erpnet.SetSalesOrders).Where(append(slices.Clone(scope), erpnet.Contains("DocumentNo", p.Search))...).Select("Id"),
		erpnet.From(erpnet.SetSalesOrders).Where(append(slices.Clone(scope), erpnet.Contains("CustomerPurchaseOrderNo", p.Search))...).Select("Id"),
		erpnet.From(erpnet.SetSalesOrderLines).Where(append(slices.Clone(lineScope), erpnet.Contains("ProductDescription", p.Search))...).Select("SalesOrder"),
	}
	ids, err := s.searchIDs(ctx, v, v.Current.CustomerID, queries)
	if err != nil || len(ids) == 0 {
		return nil, false, err
	}
	return append(terms, erpnet.In("Id", ids...)), true, nil
}

// orderColumns is what the Orders list reads of each order. It is built once: a query is a value
// whose builders copy before they add, so every request can extend it.
var orderColumns = erpnet.From(erpnet.SetSalesOrders).
	Select("Id", "DocumentNo", "DocumentDate", "State", "Void", "AmountToPay", "TotalLineAmount", "RequiredDeliveryDate",
		"CustomerPurchaseOrderNo", "DocumentNotes", "PaymentDueDate", "DocumentCurrency", "Customer").
	Expand("DocumentType", erpnet.Query{}.Select("Id", "Code", "TypeName"))

// orderQuery is the Orders query for a page or an export, sorted with a stable tie-break.
func orderQuery(terms []erpnet.Term, p ListParams) erpnet.Query {
	return sortDocuments(orderColumns.Where(terms...), p, orderSorts)
}

// Orders is one page of the customer's orders, with the count and per-currency totals. The rows
// are shared by every request that reads the same cached page (see erpList): callers read them
// and never change them.
func (s *Service) Orders(ctx context.Context, v *Viewer, p ListParams) (Page[OrderRow], error) {
	p = p.Normalize()
	terms, any, err := s.orderFilter(ctx, v, p)
	if err != nil || !any {
		return Page[OrderRow]{}, err
	}
	q := orderQuery(terms, p).Top(p.Size).Skip((p.Page - 1) * p.Size).Count()
	page, err := ordersPages.page(ctx, s, v, q, p)
	if err == nil {
		page.Hidden, err = s.hiddenDocuments(ctx, v, erpnet.SetSalesOrders, s.orderTypeTerms())
	}
	if err != nil || v.Current.Role.Can(access.ViewOrderPrices) {
		return page, err
	}
	// Without prices the rows are copies with the amounts left out, and no totals, so none
	// reach the page.
	rows := make([]OrderRow, len(page.Rows))
	for i, r := range page.Rows {
		r.Amount, r.NetAmount = nil, nil
		rows[i] = r
	}
	return Page[OrderRow]{Rows: rows, Total: page.Total, Hidden: page.Hidden, Fallback: page.Fallback}, nil
}

// hiddenDocuments counts the customer's documents of set (of the instance's types) dated before
// the viewer's horizon: none is fetched, and nothing is counted when there is no horizon.
func (s *Service) hiddenDocuments(ctx context.Context, v *Viewer, set string, types []erpnet.Term) (int, error) {
	h := s.horizon(v)
	if h.IsZero() {
		return 0, nil
	}
	return s.countHidden(ctx, v, erpnet.From(set).Where(append([]erpnet.Term{erpnet.Eq("Customer", customerRef(v.Current.CustomerID)),
		beforeDay("DocumentDate", h)}, types...)...))
}

// beforeDay is the term "field is before day". The Domain API has no `lt`: dates are whole
// days, so it is "on or before the day before".
func beforeDay(field string, day time.Time) erpnet.Term {
	return erpnet.Le(field, erpnet.Date(day.AddDate(0, 0, -1)))
}

// countHidden is the one way the portal counts what a horizon hides, so that everyone sees the
// same totals or is told why not: one cached $count of q in the viewer's customer's scope. While
// Erp.Net cannot be reached and the count was never read, it is 0: the page is still shown (with
// the stale notice), and the count comes back with Erp.Net.
func (s *Service) countHidden(ctx context.Context, v *Viewer, q erpnet.Query) (int, error) {
	n, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindCounts, "count:"+q.String(), func(ctx context.Context) (int, error) {
		return s.erp.Count(ctx, q)
	})
	if err != nil && cache.StaleWorthy(err) {
		return 0, nil
	}
	return n, err
}

// ordersPages is the Orders list: pages of orders as Erp.Net sorts and pages them, the rows
// with prices (Orders leaves them out for roles that may not see them).
var ordersPages = &erpList[erpnet.SalesOrder, struct{}, OrderRow]{
	row: func(s *Service, v *Viewer, o erpnet.SalesOrder, _ struct{}, _ int) OrderRow {
		return s.orderRow(o, true, s.langOf(v))
	},
	amount: func(o erpnet.SalesOrder) (erpnet.Amount, bool) { return o.AmountToPay, !o.Void },
	sorts: map[string]func(a, b OrderRow) int{
		"date":   func(a, b OrderRow) int { return cmp.Compare(a.Date, b.Date) },
		"number": func(a, b OrderRow) int { return strings.Compare(a.Number, b.Number) },
		"po":     func(a, b OrderRow) int { return strings.Compare(a.PONumber, b.PONumber) },
	},
}

// ExportOrders streams every order matching p, page by page, to fn (for CSV).
func (s *Service) ExportOrders(ctx context.Context, v *Viewer, p ListParams, fn func(OrderRow) error) error {
	terms, any, err := s.orderFilter(ctx, v, p)
	if err != nil || !any {
		return err
	}
	prices := v.Current.Role.Can(access.ViewOrderPrices)
	return stream(ctx, s, orderQuery(terms, p), func(o erpnet.SalesOrder) error { return fn(s.orderRow(o, prices, s.langOf(v))) })
}

// MaxCancelReason is how long a reason for cancelling may be, in characters: with who cancelled
// it, it fits the order's VoidReason (254 characters in the model).
const MaxCancelReason = 150

// voidReason is the VoidReason Erp.Net records: the person's reason, if any, and who cancelled
// (Erp.Net records the application's system user as the one who voided), within the model's
// 254 characters.
func voidReason(reason string, v *Viewer) string {
	// Who cancelled comes first and is never cut: a reason cannot push it out of the field, nor
	// pose as it.
	by := "Cancelled in the Client Center by " + v.Name + " <" + v.Login + ">"
	if reason == "" {
		return by
	}
	room := 254 - utf8.RuneCountInString(by) - 2
	if r := []rune(reason); len(r) > room {
		reason = string(r[:max(room, 0)])
	}
	return by + ": " + reason
}

// OrderStatus is how the portal names an order's state.
func OrderStatus(state string, void bool) string {
	switch {
	case void:
		return StatusCancelled
	case state == "New" || state == "":
		return StatusNew
	}
	return StatusOrdered
}

func (s *Service) orderRow(o erpnet.SalesOrder, prices bool, lang string) OrderRow {
	r := OrderRow{ID: o.ID, Date: DayOf(o.DocumentDate.Time), Number: o.DocumentNo, Status: OrderStatus(o.State, o.Void), State: intern(o.State),
		Currency: intern(o.AmountToPay.Currency), RequiredDelivery: DayOf(o.RequiredDeliveryDate.Time), PONumber: o.CustomerPurchaseOrderNo,
		Notes: o.DocumentNotes, PaymentDue: DayOf(o.PaymentDueDate.Time)}
	if dt := o.DocumentType.Entity; dt != nil {
		r.Type = intern(dt.TypeName.In(lang))
	}
	if prices {
		r.Amount = &Money{o.AmountToPay.Value, r.Currency}
		r.NetAmount = &Money{o.TotalLineAmount.Value, intern(o.TotalLineAmount.Currency)}
	}
	return r
}

// GetOrder reads one order of the viewer's customer. An order of another customer, beyond the
// horizon or of a type the instance does not list is not found — the same answer as no order.
func (s *Service) GetOrder(ctx context.Context, v *Viewer, id string) (Order, error) {
	// AmountToPay and TotalLineAmount are calculated attributes: only there when selected.
	q := erpnet.Query{}.Select("default", "Id", "ObjectVersion", "AmountToPay", "TotalLineAmount").
		Expand("DocumentType", erpnet.Query{}.Select("Id", "Code", "TypeName")).
		Expand("DistributionChannel", erpnet.Query{}.Select("Code", "Name")).
		Expand("Lines", erpnet.Query{}.Select("default", "Id").Expand("Product", erpnet.Query{}.Select("Id", "PartNumber", "Name")).
			Expand("QuantityUnit", erpnet.Query{}.Select("Id", "Code", "Name")).
			Expand("PromotionalPackage", erpnet.Query{}.Select("Id", "Code", "Name")))
	o, err := fetchDocument(ctx, s, v, erpnet.SetSalesOrders, id, q, s.inst.OrderDocumentTypes,
		func(o erpnet.SalesOrder) (string, erpnet.Document) { return o.Customer.ID, o.Document })
	if err != nil {
		return Order{}, err
	}
	prices := v.Current.Role.Can(access.ViewOrderPrices)
	out := Order{OrderRow: s.orderRow(o, prices, s.langOf(v)), ObjectVersion: o.ObjectVersion, VoidReason: o.VoidReason,
		Created: o.CreationTime.Time, Released: o.ReleaseTime.Time,
		Cancellable: !o.Void && erpnet.StateRank(o.State) < erpnet.StateRank("Released")}
	if dc := o.DistributionChannel.Entity; dc != nil && !s.inst.HideDistributionChannel {
		out.Channel = s.text(v, dc.Name)
	}
	if s.inst.HideLines {
		return out, nil
	}
	for _, l := range o.Lines {
		ln := OrderLine{LineNo: l.LineNo, Product: s.text(v, l.ProductDescription), Quantity: l.Quantity.Value, Unit: s.unitName(v, l.Quantity.Unit, l.QuantityUnit.Entity),
			Notes: l.Notes, DeliverDate: l.RequiredDeliveryDate.Time, ProductID: l.Product.ID}
		if p := l.Product.Entity; p != nil {
			ln.PartNumber = p.PartNumber
		}
		if p := l.PromotionalPackage.Entity; p != nil {
			ln.Package, ln.PackageID = p.Name, l.PromotionalPackage.ID
		}
		if prices {
			d := l.LineStandardDiscountPercent
			ln.UnitPrice, ln.Discount, ln.LineAmount = &Money{l.UnitPrice.Value, l.UnitPrice.Currency}, &d, &Money{l.LineAmount.Value, l.LineAmount.Currency}
		}
		out.Lines = append(out.Lines, ln)
	}
	slices.SortFunc(out.Lines, func(a, b OrderLine) int { return a.LineNo - b.LineNo })
	return out, nil
}

// visible is the check made on every document fetched by id: the viewer's customer, within the
// horizon, of a listed document type.
func (s *Service) visible(v *Viewer, customerID string, date time.Time, dt *erpnet.DocumentType, types []string) bool {
	if customerID == "" || !strings.EqualFold(customerID, v.Current.CustomerID) {
		return false
	}
	if h := s.horizon(v); !h.IsZero() && date.Before(h) {
		return false
	}
	if len(types) > 0 && !s.docTypes.allows(types, dt) {
		return false
	}
	return true
}

// CancelOrder voids an order that is not yet released, for the viewer's customer. It re-reads
// the order from Erp.Net (not the cache) so the decision is made on its current state.
func (s *Service) CancelOrder(ctx context.Context, v *Viewer, id string, version int, reason string) (Order, error) {
	reason = strings.Join(strings.Fields(reason), " ") // one line: Erp.Net shows it as one
	if utf8.RuneCountInString(reason) > MaxCancelReason {
		return Order{}, &Error{Kind: KindInvalid, Heading: "Check the reason", Message: "The reason can be at most %d characters long.", Args: []any{MaxCancelReason}}
	}
	s.invalidate(ctx, v.Current.CustomerID)
	o, err := s.GetOrder(ctx, v, id)
	if err != nil {
		return Order{}, err
	}
	switch {
	case o.Status == StatusCancelled:
		return o, &Error{Kind: KindConflict, Heading: "Already cancelled", Message: "Order %s is already cancelled.", Args: []any{o.Number}}
	case !o.Cancellable:
		return o, &Error{Kind: KindConflict, Heading: "Cannot cancel", Message: "Order %s is already released for delivery and can no longer be cancelled here. Please contact us.", Args: []any{o.Number}}
	case version != 0 && version != o.ObjectVersion:
		return o, &Error{Kind: KindConflict, Heading: "The order changed", Message: "Order %s was changed since you opened it. Please review it and try again.", Args: []any{o.Number}}
	}
	// Erp.Net records the application's system user as the one who voided; the reason names the person.
	err = s.erp.MakeVoid(ctx, erpnet.SetSalesOrders, o.ID, voidReason(reason, v))
	s.invalidate(ctx, v.Current.CustomerID)
	if err != nil {
		return o, err
	}
	s.log.Info("order cancelled", zapFields(v, "order", o.Number, "order_id", o.ID, "status_before", o.Status, "status_after", StatusCancelled)...)
	o.Status, o.Cancellable = StatusCancelled, false
	return o, nil
}

// unitName is a line's unit as the person reads it: the unit's name in their language where
// Erp.Net has one, else the code the quantity carries ("pcs").
func (s *Service) unitName(v *Viewer, code string, u *erpnet.MeasurementUnit) string {
	if u != nil {
		if name := s.text(v, u.Name); name != "" {
			return intern(name)
		}
	}
	return code
}

// Day is a calendar day as cached rows hold it: four bytes where a time.Time takes 24 (a page of
// 25 orders then fits a smaller allocation), the zero Day being no day.
type Day int32

// DayOf is t's day (its date as written, in t's location); the zero time is the zero Day.
func DayOf(t time.Time) Day {
	if t.IsZero() {
		return 0
	}
	y, m, d := t.Date()
	return Day((time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()-dayZero)/86400) + 1
}

// dayZero is the first day a Day counts from, 0001-01-01 in Unix seconds: every date is after it.
const dayZero = -62135596800

// Time is the day at midnight UTC, as the portal writes days; the zero time for no day.
func (d Day) Time() time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Unix(int64(d-1)*86400+dayZero, 0).UTC()
}

// IsZero tells whether there is no day.
func (d Day) IsZero() bool { return d == 0 }
