package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/i18n"
	"github.com/clientcenter/clientcenter/internal/portal"
	"github.com/clientcenter/clientcenter/web"
)

// templates are parsed once at start: each page together with the layout. A page that does not
// parse stops the start, not a request.
type templates map[string]*template.Template

func parseTemplates(funcs template.FuncMap) (templates, error) {
	pages, err := fs.Glob(web.FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := templates{}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "part_") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(web.FS, "templates/layout.html", "templates/part_*.html", p)
		if err != nil {
			return nil, fmt.Errorf("server: template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// view is what every page template gets: the frame (instance, user, customer, menu, notices)
// and the page's own Data.
type view struct {
	Title     string
	Lang      string
	Version   string // only for people signed in: a visitor is not told what runs here
	Assets    string // the static files' content hash, for their URLs
	RequestID string
	Inst      *instView
	User      *userView
	Customer  *customerView
	Customers []customerView
	Role      access.Role
	Menu      []web.MenuItem
	Flash     *flash
	Stale     string // how old the oldest stale value on the page is, or ""
	CSRFField template.HTML
	Data      any

	offered []string // the languages the footer offers to switch to
}

type instView struct{ Name, Title, Base string }

type userView struct{ Name, Login string }

type customerView struct {
	ID, Name, Number string
	Role             access.Role
	Current          bool
}


// page fills the frame every page is drawn in from the request: the instance, the person and
// the customer they act for, the menu, the flash (taken, so it shows once), the stale notice and
// the footer. Called once the page's data is read, so the stale notice covers it.
func (s *Server) page(c *gin.Context, title string) *web.Frame {
	f := &web.Frame{Title: tr(c, title), Lang: langOf(c), Assets: s.assets, RequestID: c.GetString(requestIDKey)}
	if inst := instanceOf(c); inst != nil {
		f.Inst = &web.Instance{Name: inst.cfg.Name, Title: inst.cfg.Title, Base: inst.base}
		if offered := languagesOf(c); len(offered) > 1 {
			for _, l := range offered {
				f.Langs = append(f.Langs, web.LangChoice{Code: l, Name: languageNames[l], Current: l == f.Lang})
			}
		}
	}
	if vw := viewerOf(c); vw != nil {
		f.User = &web.User{Name: vw.Name, Login: vw.Login}
		if vw.Current != nil {
			f.Customer = &web.Customer{ID: vw.Current.CustomerID, Name: vw.Current.CustomerName, Number: vw.Current.CustomerNumber}
			f.Role = vw.Current.Role
			f.Menu = s.menu(c, vw.Current.Role)
		}
		for _, a := range vw.Accesses {
			f.Customers = append(f.Customers, web.Customer{ID: a.CustomerID, Name: a.CustomerName, Number: a.CustomerNumber,
				Role: a.Role, Current: vw.Current != nil && a.CustomerID == vw.Current.CustomerID})
		}
	} else if sess := sessionOf(c); sess != nil {
		f.User = &web.User{Name: sess.Name, Login: sess.Login}
	}
	if f.User != nil {
		f.Version = s.version
	}
	if c.Request.Method == http.MethodGet {
		f.Return = c.Request.URL.RequestURI()
	}
	if fl := s.cookies.takeFlash(c.Writer, c.Request); fl != nil {
		f.Flash = &web.Flash{Kind: fl.Kind, Text: fl.Text}
	}
	if fr := portal.FreshnessOf(c.Request.Context()); fr != nil && fr.Stale() {
		f.Stale = humanAge(langOf(c), fr.Age())
	}
	return f
}

// show draws a page into a buffer first, so an error never sends half a page.
func (s *Server) show(c *gin.Context, status int, page templ.Component) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	if err := page.Render(c.Request.Context(), buf); err != nil {
		s.fail(c, fmt.Errorf("server: render: %w", err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// pageData fills the frame of a view from the request's context.
func (s *Server) pageData(c *gin.Context, title string, data any) *view {
	v := &view{Title: tr(c, title), Lang: langOf(c), offered: languagesOf(c), Assets: s.assets, RequestID: c.GetString(requestIDKey), Data: data}
	if inst := instanceOf(c); inst != nil {
		v.Inst = &instView{Name: inst.cfg.Name, Title: inst.cfg.Title, Base: inst.base}
	}
	if vw := viewerOf(c); vw != nil {
		v.User = &userView{Name: vw.Name, Login: vw.Login}
		if vw.Current != nil {
			v.Customer = &customerView{ID: vw.Current.CustomerID, Name: vw.Current.CustomerName, Number: vw.Current.CustomerNumber}
			v.Role = vw.Current.Role
			v.Menu = s.menu(c, vw.Current.Role)
		}
		for _, a := range vw.Accesses {
			v.Customers = append(v.Customers, customerView{ID: a.CustomerID, Name: a.CustomerName, Number: a.CustomerNumber,
				Role: a.Role, Current: vw.Current != nil && a.CustomerID == vw.Current.CustomerID})
		}
	} else if sess := sessionOf(c); sess != nil {
		v.User = &userView{Name: sess.Name, Login: sess.Login}
	}
	if v.User != nil {
		v.Version = s.version
	}
	v.Flash = s.cookies.takeFlash(c.Writer, c.Request)
	if f := portal.FreshnessOf(c.Request.Context()); f != nil && f.Stale() {
		v.Stale = humanAge(langOf(c), f.Age())
	}
	return v
}

// menu lists what the role opens and the instance enables, in a fixed order.
func (s *Server) menu(c *gin.Context, role access.Role) []web.MenuItem {
	inst := instanceOf(c)
	path := c.Request.URL.Path
	var items []web.MenuItem
	add := func(label, rel string, ok bool) {
		if !ok {
			return
		}
		href := inst.base + rel
		active := path == href || (rel != "/" && strings.HasPrefix(path, href+"/"))
		items = append(items, web.MenuItem{Label: label, Href: href, Active: active})
	}
	add(tr(c, "Home"), "/", true)
	add(tr(c, "Orders"), "/orders", inst.cfg.IsOrdersEnabled && role.Can(access.ViewOrders))
	add(tr(c, "New order"), "/orders/new", inst.newOrderOn() && role.Can(access.PlaceOrder))
	add(tr(c, "Invoices"), "/invoices", role.Can(access.ViewInvoices))
	add(tr(c, "Due payments"), "/due-payments", role.Can(access.ViewDue))
	add(tr(c, "Payments"), "/payments", role.Can(access.ViewPayments))
	add(tr(c, "Users"), "/users", role.Can(access.ManageUsers))
	add(tr(c, "Profile"), "/profile", true)
	// Only the most specific entry is current: /orders/new is "New order", not also "Orders".
	best := -1
	for i, it := range items {
		if it.Active && (best < 0 || len(it.Href) > len(items[best].Href)) {
			best = i
		}
	}
	for i := range items {
		items[i].Active = i == best
	}
	return items
}

func humanAge(lang string, d time.Duration) string {
	switch {
	case d < time.Minute:
		return i18n.T(lang, "less than a minute")
	case d < time.Hour:
		return i18n.T(lang, "%d minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return i18n.T(lang, "%d hours", int(d.Hours()))
	}
	return i18n.T(lang, "%d days", int(d.Hours()/24))
}

// render executes a page into a buffer first, so a template error never sends half a page.
func (s *Server) render(c *gin.Context, status int, name string, v *view) {
	s.renderKept(c, status, name, v, "")
}

// renderKept is render for a page whose Data is wholly named by dataKey ("" when it cannot be):
// such a page is kept whole, under its frame (every other field of the view) and dataKey, and
// the next request for the same page gets a copy with its own request id. The frame of any page
// is kept (see fragments.frame).
func (s *Server) renderKept(c *gin.Context, status int, name string, v *view, dataKey string) {
	t := s.tmpl[name]
	if t == nil {
		s.fail(c, fmt.Errorf("server: no template %q", name))
		return
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	frame, keep := frameKey(name, v)
	pageKey := ""
	if keep && dataKey != "" {
		k := make(keyWriter, 0, len(frame)+len(dataKey)+16)
		k.str("page", frame, dataKey)
		pageKey = string(k)
	}
	if err := s.frags.drawPage(buf, t, frame, pageKey, v); err != nil {
		s.fail(c, fmt.Errorf("server: render %s: %w", name, err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderBuffers are reused across requests: a page is tens of kilobytes, drawn on every request.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderError shows an error page; a request that asked for JSON gets the same as JSON.
func (s *Server) renderError(c *gin.Context, e *appError) {
	if strings.Contains(c.GetHeader("Accept"), "application/json") && !strings.Contains(c.GetHeader("Accept"), "text/html") {
		c.JSON(e.Status, gin.H{"error": gin.H{"message": e.Message, "code": e.Code, "request_id": c.GetString(requestIDKey)}})
		return
	}
	v := web.ErrorView{Status: e.Status, Heading: tr(c, e.Heading), Message: tr(c, e.Message, e.Args...),
		Code: e.Code, CodeText: e.CodeText, CodeFix: e.CodeFix, Retry: e.Retry}
	s.show(c, e.Status, web.Error(s.page(c, e.Heading), v))
}

// redirectSeeOther answers a POST with a redirect to a GET page.
func redirectSeeOther(c *gin.Context, to string) {
	c.Redirect(http.StatusSeeOther, to)
}
