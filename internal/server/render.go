package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/i18n"
	"github.com/clientcenter/clientcenter/web"
)

// page fills the frame every page is drawn in from the request: the instance, the person and
// the customer they act for, the menu, the flash (taken, so it shows once), the stale notice and
// the footer. Called once the page's data is read, so the stale notice covers it.
func (s *Server) page(c *gin.Context, title string) *web.Frame {
	f := &web.Frame{Title: tr(c, title), Lang: langOf(c), Assets: s.assets, RequestID: c.GetString(requestIDKey)}
	if inst := instanceOf(c); inst != nil {
		f.Inst = &web.Instance{Name: inst.cfg.Name, Title: inst.cfg.Title, Base: inst.base}
		f.Brand = inst.brand.frame(inst.base)
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
			f.Menu = s.menu(c)
		}
		for _, a := range vw.Accesses {
			f.Customers = append(f.Customers, web.Customer{ID: a.CustomerID, Name: a.CustomerName, Number: a.CustomerNumber,
				Role: a.Role, Current: vw.Current != nil && a.CustomerID == vw.Current.CustomerID})
		}
	} else if sess := sessionOf(c); sess != nil {
		f.User = &web.User{Name: sess.Name, Login: sess.Login}
	}
	if c.Request.Method == http.MethodGet {
		f.Return = c.Request.URL.RequestURI()
	}
	if fl := s.cookies.takeFlash(c.Writer, c.Request); fl != nil {
		f.Flash = &web.Flash{Kind: fl.Kind, Text: fl.Text}
		c.Set(noKeepKey, true) // shown once: never kept to be shown again
	}
	if vw := viewerOf(c); vw != nil && vw.Fresh.Stale() {
		f.Stale = humanAge(langOf(c), vw.Fresh.Age())
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

// menu lists what the role opens and the instance enables, in a fixed order.
func (s *Server) menu(c *gin.Context) []web.MenuItem {
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
	shown := inst.svc.Shows(viewerOf(c))
	add(tr(c, "Home"), "/", true)
	add(tr(c, "Orders"), "/orders", shown.Orders)
	add(tr(c, "New order"), "/orders/new", shown.NewOrder)
	add(tr(c, "Invoices"), "/invoices", shown.Invoices)
	add(tr(c, "Due payments"), "/due-payments", shown.Due)
	add(tr(c, "Payments"), "/payments", shown.Payments)
	add(tr(c, "Statement"), "/statement", shown.Due)
	add(tr(c, "Users"), "/users", shown.Users)
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
	// One and many are different words in both languages ("1 minute", "2 minutes"; "1 минута",
	// "2 минути"), so each has its own key.
	count := func(n int, one, many string) string {
		if n == 1 {
			return i18n.T(lang, one)
		}
		return i18n.T(lang, many, n)
	}
	switch {
	case d < time.Minute:
		return i18n.T(lang, "less than a minute")
	case d < time.Hour:
		return count(int(d.Minutes()), "1 minute", "%d minutes")
	case d < 48*time.Hour:
		return count(int(d.Hours()), "1 hour", "%d hours")
	}
	return count(int(d.Hours()/24), "1 day", "%d days")
}

// renderBuffers are reused across requests: a page is tens of kilobytes, drawn on every request.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderError shows an error page; a request that asked for JSON gets the same as JSON.
func (s *Server) renderError(c *gin.Context, e *appError) {
	if strings.Contains(c.GetHeader("Accept"), "application/json") && !strings.Contains(c.GetHeader("Accept"), "text/html") {
		c.JSON(e.Status, gin.H{"error": gin.H{"message": tr(c, e.Message, e.Args...), "code": e.Code, "request_id": c.GetString(requestIDKey)}})
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
