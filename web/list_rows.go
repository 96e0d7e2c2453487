package web

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// listRows draws the rows of a list's table: a <tr> per row, a <td> per cell with its column's
// label for the phone's card layout, its link or badge. It is written in Go rather than templ because it is
// the one loop of the portal that runs hundreds of times a page, and templ formats each
// expression and attribute through fmt and interfaces (about three allocations a cell, half of a
// list page's); here a cell costs none. The markup is what the templ version drew.
func listRows(cols []Column, rows [][]Cell) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		hw := htmlWriter{w: w}
		for _, row := range rows {
			hw.raw("<tr>")
			linked := false // the row's first link is the row's: on a phone, the whole card opens it
			for i, c := range row {
				if cols[i].Num {
					hw.raw(`<td class="num" data-label="`)
				} else {
					hw.raw(`<td data-label="`)
				}
				hw.text(cols[i].Label)
				hw.raw(`">`)
				switch {
				case c.Href != "" && !linked:
					linked = true
					hw.raw(`<a class="row-link" href="`)
					hw.text(c.Href)
					hw.raw(`">`)
					hw.text(c.Text)
					hw.raw(`</a>`)
				case c.Href != "":
					hw.raw(`<a href="`)
					hw.text(c.Href)
					hw.raw(`">`)
					hw.text(c.Text)
					hw.raw(`</a>`)
				case c.Badge != "":
					hw.raw(`<span class="badge `)
					hw.text(c.Badge)
					hw.raw(`">`)
					hw.text(c.Text)
					hw.raw(`</span>`)
				default:
					hw.text(c.Text)
				}
				hw.raw("</td>")
			}
			hw.raw("</tr>")
		}
		return hw.err
	})
}

// htmlWriter writes markup and escaped text, keeping the first error.
type htmlWriter struct {
	w   io.Writer
	err error
}

func (h *htmlWriter) raw(s string) {
	if h.err == nil {
		_, h.err = io.WriteString(h.w, s)
	}
}

// text writes s escaped for HTML text and attribute values, as html.EscapeString does (& < > " '),
// in runs: no copy of s is made.
func (h *htmlWriter) text(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		h.raw(s[start:i])
		h.raw(esc)
		start = i + 1
	}
	h.raw(s[start:])
}
