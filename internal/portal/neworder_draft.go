package portal

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/locale"
)

// Limits of the New Order form.
const (
	MaxOrderLines = 100
	MaxLineNotes  = 250
	MaxOrderNotes = 1000
	MaxPONumber   = 20 // CustomerPurchaseOrderNo is string (20) in the model
	// maxQuantity keeps a slip of the finger (a quantity pasted twice) from becoming an order.
	maxQuantity = 1_000_000
)

// OrderDraft is a New Order form as the person sent it. Every value is kept as typed, so a form
// with problems comes back exactly as it was.
type OrderDraft struct {
	// ID is the new order's Id, chosen when the form is first shown and sent with every post,
	// so a double click, a reload or a retry creates one order.
	ID string
	// OrderID is the Erp.Net Id of the draft kept for it (see SaveDraft), "" until it is first
	// saved; the server signs it with the form's id, as it signs ID.
	OrderID string
	Lines   []DraftLine
	// Packages are the promotional packages added; their lines come from the packages.
	Packages     []DraftPackage
	Notes        string
	PONumber     string
	DeliveryDate string // YYYY-MM-DD, or ""
	// FromOrder is the number of the order the lines were copied from ("Order again"), or "".
	FromOrder string
}

// DraftLine is one line of a draft.
type DraftLine struct {
	ProductID, Quantity, Notes string
}

// NewDraft is an empty draft with a fresh order Id.
func NewDraft() OrderDraft { return OrderDraft{ID: erpnet.NewID()} }

// ValidDraftID tells whether id can be a draft's order Id; a form that lost it starts a new one.
func ValidDraftID(id string) bool { return validID(id) }

// AddProduct adds one of a product: one more on its line when it has one, else a new line.
func (d *OrderDraft) AddProduct(id string) {
	if !validID(id) {
		return
	}
	for i, l := range d.Lines {
		if strings.EqualFold(l.ProductID, id) {
			if q, ok := ParseQuantity(l.Quantity); ok && q+1 <= maxQuantity {
				d.Lines[i].Quantity = strconv.FormatFloat(q+1, 'f', -1, 64)
			}
			return
		}
	}
	d.Lines = append(d.Lines, DraftLine{ProductID: id, Quantity: "1"})
}

// RemoveLine drops line i; an index out of range changes nothing.
func (d *OrderDraft) RemoveLine(i int) {
	if i >= 0 && i < len(d.Lines) {
		d.Lines = append(d.Lines[:i:i], d.Lines[i+1:]...)
	}
}

// Problems are what is wrong with a draft, by field: "form", "lines", "notes", "po",
// "delivery", and per line "line.<i>.product", "line.<i>.quantity", "line.<i>.notes".
type Problems map[string]string

// LineKey is the Problems key of a line's field.
func LineKey(i int, field string) string { return "line." + strconv.Itoa(i) + "." + field }

// DraftError is a draft that cannot be placed as it is. Draft is the form to show again when
// saving it changed it (an earlier draft joined it); its ID is "" otherwise.
type DraftError struct {
	Problems Problems
	Draft    OrderDraft
}

// FormOr is the form to show again: the error's own draft when it has one, else d.
func (e *DraftError) FormOr(d OrderDraft) OrderDraft {
	if e.Draft.ID != "" {
		return e.Draft
	}
	return d
}

func (e *DraftError) Error() string {
	return "portal: the order form has " + strconv.Itoa(len(e.Problems)) + " problem(s)"
}

var quantityRE = regexp.MustCompile(`^[0-9]{1,7}([.,][0-9]{1,3})?$`)

// QuantityProblem is what the form says of a quantity ParseQuantity refuses.
const QuantityProblem = "Enter a quantity above zero and up to 1,000,000, with at most 3 decimals."

// ParseQuantity reads a quantity as a person types it: a number above zero with at most three
// decimals, written with a point or a comma.
func ParseQuantity(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !quantityRE.MatchString(s) {
		return 0, false
	}
	q, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || q <= 0 || q > maxQuantity {
		return 0, false
	}
	return q, true
}

// parseDelivery reads the required delivery date as the person's language writes days (see
// locale.ParseDate): empty, or a day from today on.
func parseDelivery(s, lang string, today time.Time) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ""
	}
	t, err := locale.ParseDate(lang, s)
	if err != nil {
		// The catalog's Bulgarian says how Bulgarian days are typed (ДД.ММ.ГГГГ).
		return time.Time{}, "Enter the date as YYYY-MM-DD."
	}
	if t.Before(today) {
		return time.Time{}, "The required delivery date cannot be in the past."
	}
	return t, ""
}

// orderDay is today in the tenant's time zone, as the portal dates documents: a delivery date
// before it is past.
func (s *Service) orderDay() time.Time { return s.today() }

// validateDraft checks a draft as placing it would: every rule, every field, so a person fixes
// the form in one pass. It returns the problems and what Erp.Net says of the lines and packages.
func (s *Service) validateDraft(ctx context.Context, v *Viewer, d OrderDraft) (Problems, draftInputs, error) {
	problems := Problems{}
	in, err := s.draftInputs(ctx, v, d)
	if err != nil {
		return nil, draftInputs{}, err
	}
	products := in.products
	lines := len(d.Lines)
	for i, dp := range d.Packages {
		p, ok := in.pkgs[strings.ToLower(dp.ID)]
		if !ok {
			problems[PackageKey(i)] = "This promotional package is not offered for this order. Remove it."
			continue
		}
		lines += len(p.Lines)
		if _, ok := ParsePackageCount(dp.Count); !ok {
			problems[PackageKey(i)] = PackageCountProblem
		}
	}
	switch {
	case lines == 0:
		problems["lines"] = "Add at least one product to the order."
	case lines > MaxOrderLines:
		problems["lines"] = "An order can have at most " + strconv.Itoa(MaxOrderLines) + " lines."
	}
	for i, l := range d.Lines {
		p, ok := products[strings.ToLower(l.ProductID)]
		switch {
		case !ok:
			problems[LineKey(i, "product")] = "This product is not known. Remove the line."
		case !p.Active:
			problems[LineKey(i, "product")] = "This product is no longer sold. Remove the line."
		}
		if _, ok := ParseQuantity(l.Quantity); !ok {
			problems[LineKey(i, "quantity")] = QuantityProblem
		}
		if utf8.RuneCountInString(l.Notes) > MaxLineNotes {
			problems[LineKey(i, "notes")] = textTooLong("Line notes", MaxLineNotes)
		}
	}
	if utf8.RuneCountInString(d.Notes) > MaxOrderNotes {
		problems["notes"] = textTooLong("Notes", MaxOrderNotes)
	}
	if utf8.RuneCountInString(strings.TrimSpace(d.PONumber)) > MaxPONumber {
		problems["po"] = textTooLong("Your PO number", MaxPONumber)
	}
	if _, msg := parseDelivery(d.DeliveryDate, s.langOf(v), s.orderDay()); msg != "" {
		problems["delivery"] = msg
	}
	return problems, in, nil
}

func textTooLong(field string, limit int) string {
	return field + " can have at most " + strconv.Itoa(limit) + " characters."
}
