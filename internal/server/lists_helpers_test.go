package server_test

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// screenRows are the cells of a list's table, as text.
func screenRows(p *testenv.Page, list string) [][]string {
	var rows [][]string
	p.Doc.Find("table[data-list=" + list + "] tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var row []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { row = append(row, strings.TrimSpace(td.Text())) })
		rows = append(rows, row)
	})
	return rows
}

// csvRecords reads a CSV export: the header and the rows.
func csvRecords(t *testing.T, p *testenv.Page) ([]string, [][]string) {
	t.Helper()
	if p.Status != 200 || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %s %q", p, p.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("CSV: %v", err)
	}
	return recs[0], recs[1:]
}

// checkCSVMatchesScreen checks that a list's CSV export begins with the rows on the screen, in
// the same order and with the same text, and holds as many rows as the list counts in all.
func checkCSVMatchesScreen(t *testing.T, page *testenv.Page, screen, rows [][]string) {
	t.Helper()
	if len(screen) == 0 || len(rows) < len(screen) {
		t.Fatalf("screen %d rows, CSV %d", len(screen), len(rows))
	}
	for i, row := range screen {
		if got, want := strings.Join(rows[i], "|"), strings.Join(row, "|"); got != want {
			t.Fatalf("row %d: CSV %s, screen %s", i, got, want)
		}
	}
	if total := page.Doc.Find("[data-total]").AttrOr("data-total", ""); total != strconv.Itoa(len(rows)) {
		t.Errorf("screen total %s, CSV rows %d", total, len(rows))
	}
}
