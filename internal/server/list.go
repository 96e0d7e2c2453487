package server

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/i18n"
	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// column is one column a list can show: how to read its text from a row, and who may see it.
type column[T any] struct {
	Key, Label string
	Num        bool              // right-aligned number
	Needs      access.Capability // the capability to see it at all ("" = everyone who sees the list)
	Default    bool              // shown until the person chooses
	Sortable   bool
	Text       func(T) string // the cell's text; not used when Money or Date is set
	// Money, for an amount column, is the amount (nil: hidden): the page writes it in the
	// person's language (CLDR), the CSV as a plain number.
	Money func(T) *portal.Money
	// Date, for a date column, is the day: the page writes it in the person's language, the
	// CSV as an ISO day, which every spreadsheet reads as a date.
	Date  func(T) time.Time
	Href  func(T) string // optional link target
	Badge func(T) string // optional badge class (ok, warn, bad)
	// Group: the list can be grouped by the column: by its text, or for a date by its month.
	Group bool
}

// listSpec describes one list page.
type listSpec[T any] struct {
	Name       string // "orders": the URL segment and the column cookie's name
	Title      string
	Columns    []column[T]
	Statuses   []string // status filter choices, if any
	Empty      string
	SearchHint string // placeholder of the search box: what the search looks in
	// Sum is what a row adds to its group's sums (nil: nothing, such as a cancelled order or an
	// amount the role may not see).
	Sum func(T) *portal.Money
	// ColumnFilter is how a column can be filtered on its own (nil or 0: not at all), by what
	// Erp.Net can filter (see portal.ColumnFilter).
	ColumnFilter func(key string) portal.FilterKind
}

// filterKind is how column key can be filtered on its own.
func (ls *listSpec[T]) filterKind(key string) portal.FilterKind {
	if ls.ColumnFilter == nil {
		return 0
	}
	return ls.ColumnFilter(key)
}

// columnFilters reads the person's column filters: "c.<key>" a text, "c.<key>.from" and
// "c.<key>.to" days, for the columns the role sees and the list can filter.
func (ls *listSpec[T]) columnFilters(c *gin.Context, role access.Role) (fs []portal.ColumnFilter, problems []string) {
	for _, col := range ls.visibleColumns(role) {
		switch ls.filterKind(col.Key) {
		case portal.FilterText:
			if v := strings.TrimSpace(c.Query("c." + col.Key)); v != "" {
				if utf8.RuneCountInString(v) > 100 {
					v = string([]rune(v)[:100])
				}
				fs = append(fs, portal.ColumnFilter{Key: col.Key, Text: v})
			}
		case portal.FilterDays:
			f := portal.ColumnFilter{Key: col.Key}
			for _, end := range []struct {
				suffix, label string
				dst           *time.Time
			}{{".from", "from", &f.From}, {".to", "to", &f.To}} {
				v := strings.TrimSpace(c.Query("c." + col.Key + end.suffix))
				if v == "" {
					continue
				}
				t, err := locale.ParseDate(langOf(c), v)
				if err != nil {
					problems = append(problems, tr(c, "%s (%s): enter a date as %s.", tr(c, col.Label), tr(c, end.label), locale.DateHint(langOf(c))))
					continue
				}
				*end.dst = t
			}
			if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
				problems = append(problems, tr(c, "%s: the end date is before the start date.", tr(c, col.Label)))
			}
			if !f.From.IsZero() || !f.To.IsZero() {
				fs = append(fs, f)
			}
		}
	}
	return fs, problems
}

// visibleColumns are the columns the role may see: the only ones ever offered or sent.
func (ls *listSpec[T]) visibleColumns(role access.Role) []column[T] {
	out := make([]column[T], 0, len(ls.Columns))
	for _, c := range ls.Columns {
		if c.Needs == "" || role.Can(c.Needs) {
			out = append(out, c)
		}
	}
	return out
}

func colsCookie(in *instance, list string) string {
	return "cc_cols_" + in.cfg.RelativeURL + "_" + list
}

// sortCookie names the cookie of a list's chosen order; it starts like colsCookie, so the kept
// pages' key (pageKey) counts it among the layout cookies.
func sortCookie(in *instance, list string) string { return colsCookie(in, list) + "_sort" }

// groupCookie names the cookie of a list's chosen grouping, beside its order.
func groupCookie(in *instance, list string) string { return colsCookie(in, list) + "_group" }

// groupWindow is how many rows a grouped list shows at most, all on one page (one of
// portal.PageSizes, so one call to Erp.Net): Erp.Net cannot order by most of the columns a list
// is grouped by, so the groups are made here, of rows that all fit. More asks to narrow the list.
const groupWindow = 250

// groupable tells whether the list can be grouped by column key for role.
func (ls *listSpec[T]) groupable(role access.Role, key string) bool {
	return slices.ContainsFunc(ls.visibleColumns(role), func(c column[T]) bool { return c.Key == key && c.Group })
}

// chosenGroup is the column the list is grouped by: the one asked for (and remembered in the
// browser, as the order is; "none" forgets it), else the one remembered; "" for none.
func (ls *listSpec[T]) chosenGroup(c *gin.Context, in *instance, role access.Role) string {
	name := groupCookie(in, ls.Name)
	if key, asked := c.GetQuery("group"); asked {
		cookie := &http.Cookie{Name: name, Path: in.base + "/", MaxAge: 400 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: in.secure}
		if !ls.groupable(role, key) {
			key, cookie.MaxAge = "", -1
		} else {
			cookie.Value = key
		}
		if c.Request.Method == http.MethodGet && !strings.HasSuffix(c.Request.URL.Path, ".csv") {
			http.SetCookie(c.Writer, cookie)
		}
		return key
	}
	if v, err := c.Cookie(name); err == nil && ls.groupable(role, v) {
		return v
	}
	return ""
}

// chosenColumns are the columns to show: the person's choice (a cookie), else the instance's
// default_columns, else the spec's defaults; always limited to what the role may see.
func (ls *listSpec[T]) chosenColumns(c *gin.Context, in *instance, role access.Role) []column[T] {
	visible := ls.visibleColumns(role)
	pick := func(keys []string) []column[T] {
		var out []column[T]
		for _, k := range keys {
			for _, col := range visible {
				if col.Key == k && !slices.ContainsFunc(out, func(o column[T]) bool { return o.Key == k }) {
					out = append(out, col)
				}
			}
		}
		return out
	}
	if v, err := c.Cookie(colsCookie(in, ls.Name)); err == nil {
		if out := pick(strings.Split(v, ".")); len(out) > 0 {
			return out
		}
	}
	if keys := in.cfg.DefaultColumns[ls.Name]; len(keys) > 0 {
		if out := pick(keys); len(out) > 0 {
			return out
		}
	}
	var out []column[T]
	for _, col := range visible {
		if col.Default {
			out = append(out, col)
		}
	}
	return out
}

// seen tells whether the list has a column key that role may see.
func (ls *listSpec[T]) seen(role access.Role, key string) bool {
	return slices.ContainsFunc(ls.visibleColumns(role), func(c column[T]) bool { return c.Key == key })
}

// has tells whether the list has a column key at all, seen or not.
func (ls *listSpec[T]) has(key string) bool {
	return slices.ContainsFunc(ls.Columns, func(c column[T]) bool { return c.Key == key })
}

// parseListParams reads sort, search, status, date range and paging from the query string.
// A date that does not parse is reported by field and ignored; nothing else is refused. Sorting
// and filtering go only by columns the role may see (an order by a hidden amount would tell the
// amounts), whatever the portal could sort by: anything else is the list's default.
func parseListParams[T any](c *gin.Context, ls *listSpec[T], role access.Role, sortable func(string) bool) (portal.ListParams, []string) {
	var problems []string
	if in := instanceOf(c); in != nil {
		restoreLayouts(c, in)
	}
	p := portal.ListParams{Sort: c.Query("sort"), Desc: c.Query("dir") == "desc", Search: c.Query("q"), Status: c.Query("status")}
	valid := func(key string) bool { return key != "" && sortable(key) && ls.seen(role, key) }
	if p.Sort != "" && !valid(p.Sort) {
		p.Sort, p.Desc = "", false
	}
	// The order a person chose is kept in the browser, as the columns are: a list opened without
	// one (a menu link, a pager's) comes in it; choosing "Default order" forgets it.
	if in := instanceOf(c); in != nil {
		name := sortCookie(in, ls.Name)
		if _, chose := c.GetQuery("sort"); chose {
			cookie := &http.Cookie{Name: name, Path: in.base + "/", MaxAge: 400 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: in.secure}
			if p.Sort == "" {
				cookie.MaxAge = -1
			} else {
				cookie.Value = p.Sort + "." + map[bool]string{true: "desc", false: "asc"}[p.Desc]
			}
			http.SetCookie(c.Writer, cookie)
		} else if v, err := c.Cookie(name); err == nil {
			if key, dir, ok := strings.Cut(v, "."); ok && valid(key) {
				p.Sort, p.Desc = key, dir == "desc"
			}
		}
	}
	if p.Status != "" && ls.has("status") && !ls.seen(role, "status") {
		p.Status = ""
	}
	for _, f := range []struct {
		key, label string
		dst        *time.Time
	}{{"from", "From", &p.From}, {"to", "To", &p.To}} {
		v := strings.TrimSpace(c.Query(f.key))
		if v == "" {
			continue
		}
		t, err := locale.ParseDate(langOf(c), v)
		if err != nil {
			example := locale.Date(langOf(c), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
			problems = append(problems, tr(c, "%s: enter a date as %s (for example %s).", tr(c, f.label), locale.DateHint(langOf(c)), example))
			continue
		}
		*f.dst = t
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		problems = append(problems, tr(c, "To: the end date is before the start date."))
	}
	var more []string
	p.Filters, more = ls.columnFilters(c, role)
	problems = append(problems, more...)
	p.Page, _ = strconv.Atoi(c.Query("page"))
	p.Size, _ = strconv.Atoi(c.Query("size"))
	if in := instanceOf(c); in != nil {
		if p.Group = ls.chosenGroup(c, in, role); p.Group != "" {
			p.Page, p.Size = 1, groupWindow // every row the groups are made of, in one page
		}
	}
	return p.Normalize(), problems
}

// buildList fills the list view of one page of rows, in the request's language.
func buildList[T any](c *gin.Context, ls *listSpec[T], in *instance, role access.Role, p portal.ListParams, problems []string, page portal.Page[T]) *web.List {
	cols := ls.chosenColumns(c, in, role)
	base := in.base + "/" + ls.Name
	q := c.Request.URL.Query()
	lang := langOf(c)
	lv := &web.List{Name: ls.Name, Title: i18n.T(lang, ls.Title), Action: base, Search: p.Search, Status: p.Status, From: dateField(lang, c.Query("from"), p.From), To: dateField(lang, c.Query("to"), p.To),
		Size: p.Size, Problems: problems, Statuses: ls.Statuses, Sizes: portal.PageSizes, Total: page.Total, Totals: page.Totals,
		AllTotals: page.AllTotals, Hidden: page.Hidden, Fallback: page.Fallback, Page: p.Page, Empty: i18n.T(lang, ls.Empty), Return: c.Request.URL.RequestURI(), SearchHint: i18n.T(lang, ls.SearchHint)}
	if lv.SearchHint == "" {
		lv.SearchHint = i18n.T(lang, "Number, notes, product…")
	}
	csvQ := cloneValues(q)
	csvQ.Del("page")
	lv.CSVHref = base + ".csv?" + csvQ.Encode()
	for _, col := range cols {
		cv := web.Column{Key: col.Key, Label: i18n.T(lang, col.Label), Num: col.Num}
		if col.Sortable {
			sq := cloneValues(q)
			sq.Set("sort", col.Key)
			sq.Del("page")
			if p.Sort == col.Key {
				cv.Dir = map[bool]string{true: "desc", false: "asc"}[p.Desc]
				sq.Set("dir", map[bool]string{true: "asc", false: "desc"}[p.Desc])
			} else {
				sq.Set("dir", "asc")
			}
			cv.SortHref = base + "?" + sq.Encode()
		}
		lv.Columns = append(lv.Columns, cv)
	}
	// The chooser lists the columns shown, in their order, then the others.
	for _, col := range cols {
		lv.Choices = append(lv.Choices, web.ColumnChoice{Key: col.Key, Label: i18n.T(lang, col.Label), Shown: true})
	}
	for _, col := range ls.visibleColumns(role) {
		if !slices.ContainsFunc(cols, func(o column[T]) bool { return o.Key == col.Key }) {
			lv.Choices = append(lv.Choices, web.ColumnChoice{Key: col.Key, Label: i18n.T(lang, col.Label)})
		}
		if col.Sortable {
			lv.Sorts = append(lv.Sorts, web.SortChoice{Key: col.Key, Label: i18n.T(lang, col.Label)})
		}
	}
	lv.Sort, lv.Desc = p.Sort, p.Desc
	for _, on := range []bool{p.Search != "", !p.From.IsZero(), !p.To.IsZero(), p.Status != "", p.Sort != ""} {
		if on {
			lv.Active++
		}
	}
	// The column filters: one field (a text, or two days) for each column the list can filter,
	// with what was typed, even when it did not read.
	for _, col := range ls.visibleColumns(role) {
		kind := ls.filterKind(col.Key)
		if kind == 0 {
			continue
		}
		fl := web.ColumnFilterField{Key: col.Key, Label: i18n.T(lang, col.Label), Days: kind == portal.FilterDays,
			Text: c.Query("c." + col.Key), From: c.Query("c." + col.Key + ".from"), To: c.Query("c." + col.Key + ".to")}
		if fl.Text != "" || fl.From != "" || fl.To != "" {
			lv.Active++
			lv.ColumnFiltersOn = true
		}
		lv.ColumnFilters = append(lv.ColumnFilters, fl)
	}
	all := make([]web.Cell, len(page.Rows)*len(cols)) // one allocation for every cell of the page
	lv.Rows = make([][]web.Cell, 0, len(page.Rows))
	for _, row := range page.Rows {
		cells := all[:len(cols):len(cols)]
		all = all[len(cols):]
		for i, col := range cols {
			switch {
			case col.Money != nil:
				cells[i] = web.Cell{Text: moneyText(lang, col.Money(row))}
			case col.Date != nil:
				cells[i] = web.Cell{Text: locale.Date(lang, col.Date(row))}
			default:
				cells[i] = web.Cell{Text: col.Text(row)}
			}
			if col.Href != nil {
				cells[i].Href = col.Href(row)
			}
			// A badge shows one of the portal's own status names, which have translations.
			if col.Badge != nil {
				cells[i].Badge = col.Badge(row)
				cells[i].Text = i18n.T(lang, cells[i].Text)
			}
		}
		lv.Rows = append(lv.Rows, cells)
	}
	lv.Group = p.Group
	for _, col := range ls.visibleColumns(role) {
		if col.Group {
			lv.GroupChoices = append(lv.GroupChoices, web.SortChoice{Key: col.Key, Label: i18n.T(lang, col.Label)})
		}
	}
	if p.Group != "" {
		lv.Active++
		// The page size chosen stays in the form for when the grouping is gone.
		lv.Size = portal.ListParams{Size: atoi(c.Query("size"))}.Normalize().Size
		if page.Total > len(page.Rows) || page.Fallback {
			lv.Problems = append(lv.Problems, tr(c, "Group by shows at most %d rows, and %d match: narrow the dates or the search to see the groups.", groupWindow, page.Total))
		} else {
			lv.Groups = ls.groups(lang, p.Group, page.Rows, lv.Rows)
		}
	}
	lv.Pages = max(1, (page.Total+p.Size-1)/p.Size)
	if p.Page > 1 {
		pq := cloneValues(q)
		pq.Set("page", strconv.Itoa(p.Page-1))
		lv.PrevHref = base + "?" + pq.Encode()
	}
	if p.Page < lv.Pages {
		pq := cloneValues(q)
		pq.Set("page", strconv.Itoa(p.Page+1))
		lv.NextHref = base + "?" + pq.Encode()
	}
	return lv
}

// groups are the rows of the page (drawn as cells) by the value of column key: a date's month,
// newest first, or a text, in alphabetical order; each with its count and its sums per
// currency. The rows keep the list's order within their group.
func (ls *listSpec[T]) groups(lang, key string, rows []T, cells [][]web.Cell) []web.ListGroup {
	i := slices.IndexFunc(ls.Columns, func(c column[T]) bool { return c.Key == key })
	col := ls.Columns[i]
	type group struct {
		web.ListGroup
		order string
	}
	byKey := map[string]*group{}
	var out []*group
	for r, row := range rows {
		var k, label string
		switch {
		case col.Date != nil:
			d := col.Date(row)
			if !d.IsZero() {
				d = time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
			}
			k, label = fmtDate(d), locale.Month(lang, d)
		default:
			k = col.Text(row)
			label = k
			if col.Badge != nil {
				label = i18n.T(lang, k) // a status, as its badge says it
			}
		}
		g := byKey[k]
		if g == nil {
			g = &group{ListGroup: web.ListGroup{Key: k, Label: label}, order: label}
			if col.Date != nil {
				g.order = k
			}
			byKey[k] = g
			out = append(out, g)
		}
		g.Rows = append(g.Rows, cells[r])
		if ls.Sum != nil {
			if m := ls.Sum(row); m != nil {
				g.Sums = addMoney(g.Sums, *m)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *group) int {
		switch {
		case col.Date != nil:
			return strings.Compare(b.order, a.order) // newest month first; no date last
		case col.Badge != nil && len(ls.Statuses) > 0:
			return cmp.Compare(statusRank(ls.Statuses, a.Key), statusRank(ls.Statuses, b.Key)) // as the status filter lists them
		}
		return strings.Compare(strings.ToLower(a.order), strings.ToLower(b.order))
	})
	list := make([]web.ListGroup, len(out))
	for i, g := range out {
		list[i] = g.ListGroup
	}
	return list
}

// statusRank is where status stands among statuses; one not among them comes last.
func statusRank(statuses []string, status string) int {
	if i := slices.Index(statuses, status); i >= 0 {
		return i
	}
	return len(statuses)
}

// addMoney adds m to the sum of its currency, in cents, currencies in alphabetical order.
func addMoney(sums []portal.Money, m portal.Money) []portal.Money {
	i, found := slices.BinarySearchFunc(sums, m.Currency, func(s portal.Money, cur string) int { return strings.Compare(s.Currency, cur) })
	if !found {
		sums = slices.Insert(sums, i, portal.Money{Currency: m.Currency})
	}
	sums[i].Value = float64(math.Round(sums[i].Value*100)+math.Round(m.Value*100)) / 100
	return sums
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// chooseColumns handles "POST /:cc/<list>/columns": remembers the person's columns in a cookie
// (or forgets them on reset) and returns to the list. Only columns the role may see are kept.
func chooseColumns[T any](s *Server, ls *listSpec[T]) gin.HandlerFunc {
	return func(c *gin.Context) {
		in := instanceOf(c)
		role := viewerOf(c).Current.Role
		name := colsCookie(in, ls.Name)
		back := safeReturn(c.PostForm("return"))
		if !strings.HasPrefix(back, in.base+"/"+ls.Name) {
			back = in.base + "/" + ls.Name
		}
		if c.PostForm("reset") != "" { // the columns, their order, the list's order and grouping
			http.SetCookie(c.Writer, &http.Cookie{Name: name, Path: in.base + "/", MaxAge: -1, SameSite: http.SameSiteLaxMode, Secure: s.secure})
			http.SetCookie(c.Writer, &http.Cookie{Name: sortCookie(in, ls.Name), Path: in.base + "/", MaxAge: -1, SameSite: http.SameSiteLaxMode, Secure: s.secure})
			http.SetCookie(c.Writer, &http.Cookie{Name: groupCookie(in, ls.Name), Path: in.base + "/", MaxAge: -1, SameSite: http.SameSiteLaxMode, Secure: s.secure})
			s.saveLayout(c, in, ls.Name, portal.ListLayout{})
			redirectSeeOther(c, back)
			return
		}
		// The columns in the order the chooser lists them (the order shown), then a move asked
		// for by one of its arrows; only columns the role may see.
		var keys []string
		for _, k := range c.PostFormArray("col") {
			if ls.seen(role, k) && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		if dir, key, ok := strings.Cut(c.PostForm("move"), ":"); ok {
			if i := slices.Index(keys, key); i >= 0 {
				switch {
				case dir == "up" && i > 0:
					keys[i-1], keys[i] = keys[i], keys[i-1]
				case dir == "down" && i < len(keys)-1:
					keys[i+1], keys[i] = keys[i], keys[i+1]
				}
			}
			back += "#columns" // the chooser opens again where it was (app.js)
		}
		if len(keys) == 0 {
			s.cookies.setFlash(c.Writer, "warn", tr(c, "Choose at least one column."))
			redirectSeeOther(c, back)
			return
		}
		http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: strings.Join(keys, "."), Path: in.base + "/", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, Secure: s.secure, HttpOnly: true})
		// Kept in Erp.Net too, where the instance says so: the columns and the order and grouping
		// the list has now.
		l := portal.ListLayout{Columns: strings.Join(keys, ".")}
		if v, err := c.Cookie(sortCookie(in, ls.Name)); err == nil {
			l.Sort = v
		}
		if v, err := c.Cookie(groupCookie(in, ls.Name)); err == nil {
			l.Group = v
		}
		s.saveLayout(c, in, ls.Name, l)
		redirectSeeOther(c, back)
	}
}

// saveLayout keeps the person's layout of list in Erp.Net, where the instance keeps layouts
// there. It is kept in the browser either way: a failure is logged and the person told once.
func (s *Server) saveLayout(c *gin.Context, in *instance, list string, l portal.ListLayout) {
	if err := in.svc.SaveLayout(c.Request.Context(), viewerOf(c), list, l); err != nil {
		s.log.Warn("layout not kept in Erp.Net", zapErr(c, err)...)
		s.cookies.setFlash(c.Writer, "warn", tr(c, "Your layout is kept in this browser; the ERP system could not keep it for your other browsers just now."))
	}
}

// layoutsCookie marks a browser session whose layouts were brought from Erp.Net: once a session,
// so that a list view costs no call for it after the first.
func layoutsCookie(in *instance) string { return "cc_layouts_" + in.cfg.RelativeURL }

// restoreLayouts brings the person's layouts kept in Erp.Net into a browser that has not had them
// this session, for each list whose layout the browser does not have: as the cookies the list
// reads (on this request too), so the rest of the page is drawn as in their other browsers.
func restoreLayouts(c *gin.Context, in *instance) {
	vw := viewerOf(c)
	if vw == nil {
		return
	}
	// The mark names the person, so that another signing in here gets their own layouts.
	mark := strings.ToLower(vw.UserID)
	if v, err := c.Cookie(layoutsCookie(in)); err == nil && v == mark || !layoutValue.MatchString(mark) || !in.svc.LayoutsInERP(c.Request.Context()) {
		return
	}
	layouts, err := in.svc.SavedLayouts(c.Request.Context(), vw)
	cookie := &http.Cookie{Name: layoutsCookie(in), Value: mark, Path: in.base + "/", SameSite: http.SameSiteLaxMode, Secure: in.secure, HttpOnly: true}
	if err != nil {
		cookie.MaxAge = 60 // while Erp.Net does not answer, asked again in a minute, not on every page
	}
	http.SetCookie(c.Writer, cookie)
	c.Request.AddCookie(&http.Cookie{Name: cookie.Name, Value: mark}) // brought once a request too
	for list, l := range layouts {
		for name, value := range map[string]string{colsCookie(in, list): l.Columns, sortCookie(in, list): l.Sort, groupCookie(in, list): l.Group} {
			if _, err := c.Cookie(name); value == "" || !layoutValue.MatchString(value) || err == nil {
				continue
			}
			http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: in.base + "/", MaxAge: 365 * 24 * 3600,
				SameSite: http.SameSiteLaxMode, Secure: in.secure, HttpOnly: true})
			c.Request.AddCookie(&http.Cookie{Name: name, Value: value})
		}
	}
}

// layoutValue is what a kept layout's value may be: column keys and a direction, dotted.
var layoutValue = regexp.MustCompile(`^[a-z0-9_.-]{1,200}$`)

// writeCSV streams a list as CSV: the chosen columns, in the list's order and filters, every
// page. Cells that a spreadsheet would run as a formula are defused.
func writeCSV[T any](s *Server, c *gin.Context, ls *listSpec[T], in *instance, role access.Role, each func(func(T) error) error) error {
	cols := ls.chosenColumns(c, in, role)
	// A grouped list's CSV stays one row a record, with the column it is grouped by first.
	if g := ls.chosenGroup(c, in, role); g != "" && !slices.ContainsFunc(cols, func(col column[T]) bool { return col.Key == g }) {
		for _, col := range ls.visibleColumns(role) {
			if col.Key == g {
				cols = append([]column[T]{col}, cols...)
			}
		}
	}
	// Amounts are numbers a spreadsheet can sum, their currency in a column of its own: the
	// list's Currency column is added when the person did not choose it.
	if slices.ContainsFunc(cols, func(col column[T]) bool { return col.Money != nil }) &&
		!slices.ContainsFunc(cols, func(col column[T]) bool { return col.Key == "currency" }) {
		for _, col := range ls.visibleColumns(role) {
			if col.Key == "currency" {
				cols = append(cols, col)
			}
		}
	}
	lang := langOf(c)
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, ls.Name, in.svc.Today().Format(time.DateOnly)))
	c.Header("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	_, _ = c.Writer.WriteString("\ufeff") // spreadsheets read UTF-8 only with the mark
	w := csv.NewWriter(c.Writer)
	w.Comma = locale.ListSeparator(lang) // a semicolon where the decimal mark is a comma
	header := make([]string, len(cols))
	for i, col := range cols {
		header[i] = tr(c, col.Label)
	}
	_ = w.Write(header)
	n := 0
	err := each(func(row T) error {
		rec := make([]string, len(cols))
		for i, col := range cols {
			switch {
			case col.Money != nil:
				if m := col.Money(row); m != nil {
					rec[i] = locale.Plain(lang, m.Value, 2) // a number: never defused as a formula
				}
			case col.Date != nil:
				rec[i] = fmtDate(col.Date(row))
			case col.Num:
				rec[i] = csvNumber(col.Text(row))
			default:
				rec[i] = csvText(col.Text(row))
			}
		}
		n++
		if n%500 == 0 {
			w.Flush()
			c.Writer.Flush()
		}
		return w.Write(rec)
	})
	w.Flush()
	return err
}

// formulaStarts are the first characters that make a spreadsheet read a cell as a formula (or
// split it), with their full-width forms, which some spreadsheets read the same way.
const formulaStarts = "=+-@\t\r＝＋－＠"

// csvText is a text cell as written: one a spreadsheet would run as a formula gets a leading
// apostrophe, even when it reads as a number ("-Infinity", "-1+1"): a text column holds text.
func csvText(s string) string {
	if r, _ := utf8.DecodeRuneInString(s); s != "" && strings.ContainsRune(formulaStarts, r) {
		return "'" + s
	}
	return s
}

// numberCell is a number as the portal writes one from a typed value: a sign, digits, decimals
// and, for an amount, a currency code.
var numberCell = regexp.MustCompile(`^-?[0-9]+(?:[.,][0-9]+)?(?: [A-Za-z]{1,5})?$`)

// csvNumber is a number cell as written: unchanged, so a negative amount stays a number. A cell
// of a number column that is not such a number is written as text.
func csvNumber(s string) string {
	if numberCell.MatchString(s) {
		return s
	}
	return csvText(s)
}

// dateField is what a list's date field shows: the day as the person's language writes it, or
// what was typed when it is not a day (the page says why).
func dateField(lang, typed string, day time.Time) string {
	if day.IsZero() {
		return typed
	}
	return locale.Date(lang, day)
}

// Formatting helpers shared by the list pages.
func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// moneyText is an amount as lang writes it, "" when hidden.
func moneyText(lang string, m *portal.Money) string {
	if m == nil {
		return ""
	}
	return locale.Money(lang, m.Value, m.Currency)
}
