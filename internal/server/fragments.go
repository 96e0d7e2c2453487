package server

import (
	"bytes"
	"html/template"
	"strconv"


	"github.com/clientcenter/clientcenter/web"
)

// fragmentsBudget bounds the drawn parts of pages kept, in bytes.
const fragmentsBudget = 32 << 20

// fragments keeps drawn parts of pages, so that a warm page is mostly copied rather than drawn
// again (html/template spends about a microsecond on every action it runs): the frame above a
// page's content, and a list (filters, columns, rows, pager). Each is kept under everything it
// is drawn from, written out in full rather than hashed, so two requests share a part only when
// they would draw the same bytes; a list's data is named by the version of the cached value it
// came from, which no other customer's data and no later fetch shares.
type fragments struct {
	memo  *memo[template.HTML] // frames and lists
	pages *memo[keptPage]      // whole pages, see renderKept
	parts *template.Template   // the part_* templates on their own, to draw a list
}

func newFragments(funcs template.FuncMap) (*fragments, error) {
	parts, err := template.New("parts").Funcs(funcs).ParseFS(web.FS, "templates/part_*.html")
	if err != nil {
		return nil, err
	}
	return &fragments{memo: newMemo[template.HTML](fragmentsBudget), pages: newMemo[keptPage](fragmentsBudget), parts: parts}, nil
}

// frame writes the part of the page above its content: from the fragments when the same frame
// was drawn before, else drawn by t and kept. key is frameKey's, "" for a frame not to keep.
func (f *fragments) frame(buf *bytes.Buffer, t *template.Template, key string, v *view) error {
	if key != "" {
		if h, ok := f.memo.get(key); ok {
			buf.WriteString(string(h))
			return nil
		}
	}
	start := buf.Len()
	if err := t.ExecuteTemplate(buf, "layout_top", v); err != nil {
		return err
	}
	if key != "" {
		f.memo.put(key, template.HTML(buf.Bytes()[start:]), buf.Len()-start)
	}
	return nil
}

// pageMark stands in for the request id while a page to keep is drawn: a token that no page
// shows otherwise and that HTML escaping leaves as it is, like a request id.
const pageMark = "ccRequestIdMark7f3a9b1c"

// keptPage is a whole page as kept: the bytes before and after its request id.
type keptPage struct{ head, tail string }

// drawPage writes the page: the frame and the rest. With a non-empty pageKey (see renderKept) the
// whole page comes from the fragments when it was drawn before, else it is drawn and kept, with
// this request's id put in its place either way.
func (f *fragments) drawPage(buf *bytes.Buffer, t *template.Template, frame, pageKey string, v *view) error {
	if pageKey != "" {
		if p, ok := f.pages.get(pageKey); ok {
			buf.WriteString(p.head)
			buf.WriteString(v.RequestID)
			buf.WriteString(p.tail)
			return nil
		}
	}
	rid := v.RequestID
	if pageKey != "" {
		v.RequestID = pageMark
		defer func() { v.RequestID = rid }()
	}
	if err := f.frame(buf, t, frame, v); err != nil {
		return err
	}
	if err := t.ExecuteTemplate(buf, "layout_rest", v); err != nil {
		return err
	}
	if pageKey == "" {
		return nil
	}
	// Kept only when the request id shows exactly once, where it can be put back; otherwise the
	// page is sent as drawn, with the request's own id.
	drawn := buf.Bytes()
	if bytes.Count(drawn, []byte(pageMark)) != 1 {
		out := bytes.ReplaceAll(drawn, []byte(pageMark), []byte(rid))
		buf.Reset()
		buf.Write(out)
		return nil
	}
	i := bytes.Index(drawn, []byte(pageMark))
	p := keptPage{head: string(drawn[:i]), tail: string(drawn[i+len(pageMark):])}
	f.pages.put(pageKey, p, len(p.head)+len(p.tail))
	buf.Reset()
	buf.WriteString(p.head)
	buf.WriteString(rid)
	buf.WriteString(p.tail)
	return nil
}

// frameKey is everything the frame is drawn from: every field of the view but RequestID (drawn
// below the content) and Data (the content's own). It reports false for a frame not to keep.
func frameKey(name string, v *view) (string, bool) {
	if v.Flash != nil || v.Stale != "" {
		return "", false
	}
	k := make(keyWriter, 0, 512)
	k.str("frame", name, v.Title, v.Lang, v.Version, v.Assets, string(v.CSRFField))
	k.num(len(v.offered))
	k.str(v.offered...)
	k.num(int(v.Role))
	if k.flag(v.Inst != nil) {
		k.str(v.Inst.Name, v.Inst.Title, v.Inst.Base)
	}
	if k.flag(v.User != nil) {
		k.str(v.User.Name, v.User.Login)
	}
	if k.flag(v.Customer != nil) {
		k.customer(*v.Customer)
	}
	k.num(len(v.Customers))
	for _, c := range v.Customers {
		k.customer(c)
	}
	k.num(len(v.Menu))
	for _, m := range v.Menu {
		k.str(m.Label, m.Href)
		k.flag(m.Active)
	}
	return string(k), true
}

// keyWriter writes a key that no other sequence of values writes: each string with its length.
type keyWriter []byte

func (k *keyWriter) str(ss ...string) {
	for _, s := range ss {
		*k = strconv.AppendInt(*k, int64(len(s)), 10)
		*k = append(*k, ':')
		*k = append(*k, s...)
	}
}

func (k *keyWriter) num(n int) {
	*k = strconv.AppendInt(*k, int64(n), 10)
	*k = append(*k, ';')
}

func (k *keyWriter) flag(b bool) bool {
	if b {
		*k = append(*k, 'T')
	} else {
		*k = append(*k, 'F')
	}
	return b
}

func (k *keyWriter) customer(c customerView) {
	k.str(c.ID, c.Name, c.Number)
	k.num(int(c.Role))
	k.flag(c.Current)
}
