package web

import (
	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/portal"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/i18n"
)

// Frame is what the layout draws around every page: the instance, the person and the customer
// they act for, the menu, the one-time flash, the stale notice and the footer.
type Frame struct {
	Title     string
	Lang      string
	Assets    string // the static files' content hash, for their URLs
	RequestID string
	Inst      *Instance
	User      *User
	Customer  *Customer
	Customers []Customer
	Role      access.Role
	Menu      []MenuItem
	Flash     *Flash
	Stale     string       // how old the oldest stale value on the page is, or ""
	Langs     []LangChoice // the footer's language switcher, when there is a choice
	Return    string       // where the switcher goes back to: this page, when it can be asked for again
	Brand     Brand
}

// Brand is the tenant's own look on its instance's pages: each part optional.
type Brand struct {
	Supplier, LogoHref, CSSHref              string
	SupportEmail, SupportPhone, SupportHours string
}

// HasSupport tells whether the tenant named whom to ask.
func (b Brand) HasSupport() bool {
	return b.SupportEmail != "" || b.SupportPhone != "" || b.SupportHours != ""
}

// T is key in the page's language (see i18n.T): the one way pages translate.
func (f *Frame) T(key string, args ...any) string { return i18n.T(f.Lang, key, args...) }

// Money is an amount as the page's language writes it (CLDR: 24 736,31 лв. in Bulgarian).
func (f *Frame) Money(m portal.Money) string { return locale.Money(f.Lang, m.Value, m.Currency) }

// Plain is an amount as a number alone, in the page's decimal mark and without grouping: what
// a banking app's amount field takes.
func (f *Frame) Plain(m portal.Money) string { return locale.Plain(f.Lang, m.Value, 2) }

// Date is a day as the page's language writes it (3.12.2026 г.; 2026-12-03), "" for none; a
// date field takes the same (locale.ParseDate).
func (f *Frame) Date(t time.Time) string { return locale.Date(f.Lang, t) }

// Moment is a date with its time of day (as the tenant's clock shows it), for a message.
func (f *Frame) Moment(t time.Time) string { return locale.Date(f.Lang, t) + " " + t.Format("15:04") }

// DateHint is what a date field takes, as its placeholder.
func (f *Frame) DateHint() string { return locale.DateHint(f.Lang) }

// MaybeMoney is an amount that may be hidden, "" when it is.
func (f *Frame) MaybeMoney(m *portal.Money) string {
	if m == nil {
		return ""
	}
	return f.Money(*m)
}

// Monies writes amounts one after the other, " · " between them.
func (f *Frame) Monies(ms []portal.Money) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = f.Money(m)
	}
	return strings.Join(out, " · ")
}

// FullTitle is the page's title with its Client Center's.
func (f *Frame) FullTitle() string {
	if f.Inst == nil {
		return f.Title
	}
	return f.Title + " · " + f.Inst.Title
}

// UserLine is the person's name with their role for the customer they act for.
func (f *Frame) UserLine() string {
	if f.Role == 0 {
		return f.User.Name
	}
	return f.User.Name + " · " + f.T(f.Role.Label())
}

// SupplierOrTitle names who runs the portal: the supplier, else the instance's title.
func (f *Frame) SupplierOrTitle() string {
	switch {
	case f.Brand.Supplier != "":
		return f.Brand.Supplier
	case f.Inst != nil && f.Inst.Title != "":
		return f.Inst.Title
	case f.Inst != nil:
		return f.Inst.Name
	}
	return ""
}

// Home is the instance's home page, or the portal's root outside any instance.
func (f *Frame) Home() string {
	if f.Inst == nil {
		return "/"
	}
	return f.Inst.Base + "/"
}

// Instance is a Client Center as a page names it.
type Instance struct{ Name, Title, Base string }

// User is the person signed in.
type User struct{ Name, Login string }

// Customer is a customer the person may act for.
type Customer struct {
	ID, Name, Number string
	Role             access.Role
	Current          bool
}

// MenuItem is an entry of the main menu.
type MenuItem struct {
	Label, Href string
	Active      bool
}

// Flash is a one-time message shown on the next page.
type Flash struct {
	Kind string // ok, info, warn, bad
	Text string
}

// LangChoice is one entry of the footer's language switcher.
type LangChoice struct {
	Code, Name string
	Current    bool
}

// Qty is a quantity as the page's language writes it, without trailing zeros (2,5 in
// Bulgarian).
func (f *Frame) Qty(q float64) string { return locale.Quantity(f.Lang, q) }

// pct is a discount as a percentage, "" for none.
func pct(f *float64) string {
	if f == nil || *f == 0 {
		return ""
	}
	// Erp.Net's percents are fractions (decimal (7, 6)): 0.05 is 5%.
	return strconv.FormatFloat(math.Round(*f*100*10000)/10000, 'f', -1, 64) + "%"
}

// orDash is s, or a dash for nothing.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// packageDates are a promotional package's dates, "valid until 31.12.2026" or a range.
func packageDates(f *Frame, p portal.PackageChoice) string {
	switch {
	case p.From.IsZero():
		return f.T("valid until %s", f.Date(p.To))
	case p.To.IsZero():
		return f.T("valid from %s", f.Date(p.From))
	}
	return f.T("valid %s – %s", f.Date(p.From), f.Date(p.To))
}
