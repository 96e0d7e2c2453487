package server

import (
	"bytes"
	"container/list"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/internal/portal"
)

// The portal's one response cache. A warm page costs little in Erp.Net (nothing) but most of
// its time in drawing; a page drawn for a person is kept for that same person, and served again
// while everything it was drawn from is unchanged:
//
//   - the key (pageKey, the only place it is made) names the person, every customer and role
//     they hold, the customer acted for, the language, the request's path and query, the
//     columns chosen for the instance's lists, the
//     tenant's day (overdue, "today" and the horizon are counted in it) and the customer's data
//     generation, which every write through the portal moves on (cache.InvalidateCustomer);
//   - a page is kept only until the first value it was drawn from stops being fresh (its TTL in
//     the data cache; portal.Freshness.Until), and never beyond the data cache's shortest TTL;
//   - a page with a flash or a stale notice, a page that is not a 200, and any page while a
//     flash waits to be shown are never kept;
//   - the person's session, revocation and access are checked on every request before the kept
//     page is looked for (requireSession, loadAccess), so a removed or downgraded person never
//     gets a page drawn for who they were.
//
// Each instance has its own (a settings reload starts it empty), bounded in bytes.

// maxKeptPageBytes bounds what an instance's kept pages hold, keys included; beyond it the
// oldest kept go first. A page is 5–15 KiB: some 2,000 pages.
const maxKeptPageBytes = 24 << 20

// maxKeptPage is the largest page kept; a larger one (a long list) is drawn each time.
const maxKeptPage = 256 << 10

type pageCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // of *keptPage
	order   list.List                // oldest kept first
	bytes   int

	hits, misses atomic.Uint64
}

type keptPage struct {
	key     string
	body    []byte
	ctype   string
	expires time.Time
}

func newPageCache() *pageCache { return &pageCache{entries: map[string]*list.Element{}} }

// pageKey is the one place a kept page's key is made: everything a page drawn for the request
// depends on besides the data, whose freshness the entry carries.
func pageKey(c *gin.Context, in *instance, vw *portal.Viewer) string {
	var b strings.Builder
	b.Grow(256)
	sep := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(p)
			b.WriteByte(0)
		}
	}
	sep(in.base, vw.UserID, vw.Login, vw.Name, langOf(c), c.Request.URL.Path, c.Request.URL.RawQuery)
	for _, ck := range c.Request.Cookies() { // the columns the person chose for a list
		if strings.HasPrefix(ck.Name, colsCookie(in, "")) {
			sep(ck.Name, ck.Value)
		}
	}
	for _, a := range vw.Accesses {
		days := "all"
		if a.DaysBack != nil {
			days = strconv.Itoa(*a.DaysBack)
		}
		sep(a.ID, a.CustomerID, a.CustomerName, a.CustomerNumber, a.PartyID, a.PartyCode, strconv.Itoa(int(a.Role)), days)
	}
	sep(vw.Current.CustomerID, in.svc.Today().Format(time.DateOnly), strconv.FormatUint(in.svc.Generation(c.Request.Context(), vw), 10))
	return b.String()
}

// keepPages serves a page kept for this very request, or draws it and keeps it when it may be
// kept. It goes after loadAccess, on the pages that only show data.
func (s *Server) keepPages() gin.HandlerFunc {
	return func(c *gin.Context) {
		in, vw := instanceOf(c), viewerOf(c)
		// Layouts kept in Erp.Net become cookies first: the key names the layout drawn.
		restoreLayouts(c, in)
		if c.Request.Method != http.MethodGet || vw == nil || vw.Current == nil || hasCookie(c.Request, s.cookies.name(flashCookie)) {
			c.Next()
			return
		}
		pc := in.pages
		key := pageKey(c, in, vw)
		if p := pc.get(key, in.svc.Now()); p != nil {
			pc.hits.Add(1)
			c.Data(http.StatusOK, p.ctype, p.body)
			c.Abort()
			return
		}
		pc.misses.Add(1)
		w := &capture{ResponseWriter: c.Writer}
		c.Writer = w
		c.Next()
		c.Writer = w.ResponseWriter
		until, now := vw.Fresh.Until(), in.svc.Now()
		if w.Status() != http.StatusOK || w.over || w.buf.Len() == 0 || vw.Fresh.Stale() || until.IsZero() ||
			!strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || c.GetBool(noKeepKey) {
			return
		}
		until = minTime(until, now.Add(in.svc.MaxKeep()))
		if !until.After(now) {
			return
		}
		pc.put(&keptPage{key: key, body: bytes.Clone(w.buf.Bytes()), ctype: w.Header().Get("Content-Type"), expires: until})
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func hasCookie(r *http.Request, name string) bool {
	_, err := r.Cookie(name)
	return err == nil
}

// noKeepKey marks a request whose page must not be kept: it showed a one-time message.
const noKeepKey = "no-keep"

func (pc *pageCache) get(key string, now time.Time) *keptPage {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	el, ok := pc.entries[key]
	if !ok {
		return nil
	}
	p := el.Value.(*keptPage)
	if !now.Before(p.expires) {
		pc.drop(el)
		return nil
	}
	return p
}

func (pc *pageCache) put(p *keptPage) {
	size := len(p.key) + len(p.body)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if el, ok := pc.entries[p.key]; ok {
		pc.drop(el)
	}
	pc.entries[p.key] = pc.order.PushBack(p)
	pc.bytes += size
	for pc.bytes > maxKeptPageBytes {
		pc.drop(pc.order.Front())
	}
}

func (pc *pageCache) drop(el *list.Element) {
	p := pc.order.Remove(el).(*keptPage)
	delete(pc.entries, p.key)
	pc.bytes -= len(p.key) + len(p.body)
}

// capture passes a response through and keeps a copy of its body, up to maxKeptPage.
type capture struct {
	gin.ResponseWriter
	buf  bytes.Buffer
	over bool
}

func (w *capture) Write(b []byte) (int, error) {
	w.keep(b)
	return w.ResponseWriter.Write(b)
}

func (w *capture) WriteString(s string) (int, error) {
	w.keep([]byte(s))
	return w.ResponseWriter.WriteString(s)
}

func (w *capture) keep(b []byte) {
	if w.over || w.buf.Len()+len(b) > maxKeptPage {
		w.over = true
		return
	}
	w.buf.Write(b)
}
