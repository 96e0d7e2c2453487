package portal

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// ColumnFilter is a person's filter on one column of a list: a text the column's value contains,
// or a range of days (either end may be open).
type ColumnFilter struct {
	Key      string
	Text     string
	From, To time.Time
}

// FilterKind is how a column can be filtered: not at all (0), by a text it contains, or by days.
type FilterKind int

// The kinds of column filter.
const (
	FilterText FilterKind = iota + 1
	FilterDays
)

// columnFilter is how a list's column is filtered in Erp.Net: the attribute, which the model
// says supports the filter used (Like for a text, GreaterThanOrLessThan for days).
type columnFilter struct {
	kind FilterKind
	attr string
	// datetime: the attribute is a date-time (a day is every moment of it), not a date.
	datetime bool
}

// The columns Orders and Invoices can be filtered by, beyond the search and the document dates:
// only attributes whose model page lists the filter (DocumentNo and CustomerPurchaseOrderNo
// Like; RequiredDeliveryDate and ApplyDate dates and PaymentDueDate a date-time, all ge/le). Amounts, notes
// and the due status are not filterable in Erp.Net, so those columns have no filter.
var (
	orderColumnFilters = map[string]columnFilter{
		"number": {kind: FilterText, attr: "DocumentNo"}, "po": {kind: FilterText, attr: "CustomerPurchaseOrderNo"},
		"delivery": {kind: FilterDays, attr: "RequiredDeliveryDate"}, "due": {kind: FilterDays, attr: "PaymentDueDate", datetime: true},
	}
	invoiceColumnFilters = map[string]columnFilter{
		"number": {kind: FilterText, attr: "DocumentNo"}, "due": {kind: FilterDays, attr: "PaymentDueDate", datetime: true},
		"apply": {kind: FilterDays, attr: "ApplyDate"},
	}
)

// paymentColumnFilters: Payment History by what the payment's number contains (DocumentNo Like
// on Finance_Payments_PaymentTransactions); its amount and what it paid are not filterable there.
var paymentColumnFilters = map[string]columnFilter{"number": {kind: FilterText, attr: "DocumentNo"}}

// PaymentColumnFilter is how the Payment History column key can be filtered (0: not at all).
func PaymentColumnFilter(key string) FilterKind { return paymentColumnFilters[key].kind }

// OrderColumnFilter is how the Orders column key can be filtered (0: not at all).
func OrderColumnFilter(key string) FilterKind { return orderColumnFilters[key].kind }

// InvoiceColumnFilter is how the Invoices column key can be filtered (0: not at all).
func InvoiceColumnFilter(key string) FilterKind { return invoiceColumnFilters[key].kind }

// dueColumnFilters: Due Payments holds every open item of the customer (see dueList), so its
// column filters are applied here, on what Erp.Net can filter too: the invoice and document
// numbers (eq there; "contains" here, as the search), and the document date (ge/le).
var dueColumnFilters = map[string]FilterKind{"invoice": FilterText, "document": FilterText, "docdate": FilterDays}

// DueColumnFilter is how the Due Payments column key can be filtered (0: not at all).
func DueColumnFilter(key string) FilterKind { return dueColumnFilters[key] }

// dueMatchesColumns tells whether open item d passes the column filters fs.
func dueMatchesColumns(d DuePayment, fs []ColumnFilter) bool {
	for _, f := range fs {
		switch f.Key {
		case "invoice":
			if !containsFold(d.InvoiceNo, f.Text) {
				return false
			}
		case "document":
			if !containsFold(d.DocumentNo, f.Text) {
				return false
			}
		case "docdate":
			day := DayOf(d.DocumentDate)
			if !f.From.IsZero() && day < DayOf(f.From) || !f.To.IsZero() && day > DayOf(f.To) {
				return false
			}
		}
	}
	return true
}

// containsFold tells whether s contains part, whatever the case ("" is in every s).
func containsFold(s, part string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(part))
}

// filtersKey names column filters in a cache key.
func filtersKey(fs []ColumnFilter) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Key + "\x01" + f.Text + "\x01" + dateKey(f.From) + "\x01" + dateKey(f.To) + "\x02")
	}
	return b.String()
}

// maxFilterText bounds a column filter's text, as the search box is bounded.
const maxFilterText = 100

// columnTerms are the terms of the filters fs a list's columns (specs) take; a filter of a column
// the list cannot filter is ignored. Texts go through the one escaping function (erpnet's literals).
func columnTerms(specs map[string]columnFilter, fs []ColumnFilter) []erpnet.Term {
	var terms []erpnet.Term
	for _, f := range fs {
		spec, ok := specs[f.Key]
		switch {
		case !ok:
		case spec.kind == FilterText && f.Text != "":
			text := f.Text
			if utf8.RuneCountInString(text) > maxFilterText {
				text = string([]rune(text)[:maxFilterText])
			}
			terms = append(terms, erpnet.Contains(spec.attr, text))
		case spec.kind == FilterDays:
			day := func(t time.Time, end bool) erpnet.Literal {
				if !spec.datetime {
					return erpnet.Date(t)
				}
				if end { // the last moment of the day: le takes the whole day
					return erpnet.DateTime(t.AddDate(0, 0, 1).Add(-time.Second))
				}
				return erpnet.DateTime(t)
			}
			if !f.From.IsZero() {
				terms = append(terms, erpnet.Ge(spec.attr, day(f.From, false)))
			}
			if !f.To.IsZero() {
				terms = append(terms, erpnet.Le(spec.attr, day(f.To, true)))
			}
		}
	}
	return terms
}
