package web

import (
	"github.com/clientcenter/clientcenter/internal/portal"
)

// List is one page of a list as drawn: the filters, the column chooser, the rows and the pager.
// Its texts are in the page's language already.
type List struct {
	// ColumnFilters are the fields of the columns that can be filtered on their own;
	// ColumnFiltersOn is true when one is in use.
	ColumnFilters                []ColumnFilterField
	ColumnFiltersOn              bool
	Name, Title, Action, CSVHref string
	Search, Status, From, To     string
	Size                         int
	Problems                     []string
	Statuses                     []string
	Sizes                        []int
	Columns                      []Column
	Choices                      []ColumnChoice
	Rows                         [][]Cell
	Total                        int
	Totals                       []portal.Money
	AllTotals                    bool
	Page, Pages                  int
	SearchHint                   string
	PrevHref, NextHref           string
	Empty                        string
	Return                       string // the list as asked for, where the column chooser goes back to
	// Sorts are the columns the list can be sorted by in its filter form (on a phone, which
	// shows no headers); Sort and Desc are the sort in use ("": the list's default).
	Sorts []SortChoice
	Sort  string
	Desc  bool
	// Fallback: the ERP system is not reachable and this is the list as last shown, whatever
	// order or page was asked for.
	Fallback bool
	// Hidden is how many older documents lie beyond the person's horizon (not in the totals).
	Hidden int
	// Active counts the filters in use, sorting included, for the phone's Filter & sort button.
	Active int
	// GroupChoices are the columns the list may be grouped by; Group is the one in use ("": none)
	// and Groups its groups, drawn instead of the one table and its pager (nil when the rows
	// would not all fit, which a problem then says).
	GroupChoices []SortChoice
	Group        string
	Groups       []ListGroup
}

// ListGroup is the rows of one value of the column a list is grouped by, with their count and
// sums per currency.
type ListGroup struct {
	Key, Label string
	Rows       [][]Cell
	Sums       []portal.Money
}

// footer is what a group's foot and heading say of it: its count and sums.
func (g ListGroup) footer(f *Frame) string {
	s := f.T("%d rows", len(g.Rows))
	if len(g.Rows) == 1 {
		s = f.T("1 row")
	}
	if len(g.Sums) > 0 {
		s += " · " + f.Monies(g.Sums)
	}
	return s
}

// SortChoice is a column the list may be sorted by.
type SortChoice struct{ Key, Label string }

// Column is a column shown, with the link that sorts by it.
type Column struct {
	Key, Label, SortHref, Dir string // Dir: "asc", "desc" or ""
	Num                       bool
}

// Sort is the column's aria-sort, "" when the list is not sorted by it.
func (c Column) Sort() string {
	switch c.Dir {
	case "asc":
		return "ascending"
	case "desc":
		return "descending"
	}
	return ""
}

// Arrow marks the direction the list is sorted by the column in, "" when it is not.
func (c Column) Arrow() string {
	switch c.Dir {
	case "asc":
		return " ▲"
	case "desc":
		return " ▼"
	}
	return ""
}

// ColumnChoice is a column the person may choose to show.
type ColumnChoice struct {
	Key, Label string
	Shown      bool
}

// Cell is one cell of a row: a text, a link or a badge.
type Cell struct {
	Text, Href, Badge string
}

// totalsText is the footer of the list: the sums per currency, of every row or of this page.
func (l *List) totalsText(f *Frame) string {
	label := f.T("Total of this page")
	if l.AllTotals {
		label = f.T("Total")
	}
	return label + ": " + f.Monies(l.Totals)
}

// ColumnFilterField is the filter of one column: a text it contains, or (Days) a range of days,
// each as typed.
type ColumnFilterField struct {
	Key, Label     string
	Days           bool
	Text, From, To string
}
