package web

import (
	"bytes"
	"context"
	"html"
	"testing"
)

func TestListRowsEscapeAndMarkUpEveryCell(t *testing.T) {
	evil := `<script>alert("x")</script> & 'q'`
	cols := []Column{{Label: "Number"}, {Label: "Status"}, {Label: `Total "net"`, Num: true}, {Label: "Notes"}}
	rows := [][]Cell{{
		{Text: "SO-1", Href: "/cc/orders/1?a=1&b=2"},
		{Text: "Ordered", Badge: "info"},
		{Text: "12.50 BGN"},
		{Text: evil},
	}}
	var b bytes.Buffer
	if err := listRows(cols, rows).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	want := `<tr><td data-label="Number"><a class="row-link" href="/cc/orders/1?a=1&amp;b=2">SO-1</a></td>` +
		`<td data-label="Status"><span class="badge info">Ordered</span></td>` +
		`<td class="num" data-label="Total &#34;net&#34;">12.50 BGN</td>` +
		`<td data-label="Notes">` + html.EscapeString(evil) + `</td></tr>`
	if b.String() != want {
		t.Errorf("rows drawn as\n%s\nwant\n%s", b.String(), want)
	}
	allocs := testing.AllocsPerRun(100, func() {
		b.Reset()
		_ = listRows(cols, rows).Render(context.Background(), &b)
	})
	if allocs > 1 {
		t.Errorf("%v allocations to draw 4 cells, want at most 1 (the component itself)", allocs)
	}
}
