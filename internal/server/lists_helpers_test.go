package server_test

import (
	"encoding/csv"
	"math"
	"regexp"
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
		// The CSV may end with the Currency column the screen did not choose.
		if len(rows[i]) < len(row) {
			t.Fatalf("row %d: CSV %s, screen %s", i, strings.Join(rows[i], "|"), strings.Join(row, "|"))
		}
		for j, cell := range row {
			if !sameCell(rows[i][j], cell) {
				t.Fatalf("row %d: CSV %s, screen %s (cell %d)", i, strings.Join(rows[i], "|"), strings.Join(row, "|"), j)
			}
		}
	}
	if total := page.Doc.Find("[data-total]").AttrOr("data-total", ""); total != strconv.Itoa(len(rows)) {
		t.Errorf("screen total %s, CSV rows %d", total, len(rows))
	}
}

// sameCell tells whether a CSV cell says what the screen's does: the same text, or the same
// amount, written on the screen in the person's language and in the CSV as a plain number.
func sameCell(csvCell, screenCell string) bool {
	if csvCell == screenCell {
		return true
	}
	v, _, ok := parseMoney(screenCell)
	if !ok {
		return false
	}
	n, err := strconv.ParseFloat(strings.Replace(csvCell, ",", ".", 1), 64)
	return err == nil && math.Abs(n-v) < 0.005
}

// moneyText matches an amount as a page writes it in English or Bulgarian: "BGN 3,918.46",
// "€958.92", "3918,46 лв.", "24 736,31 €".
var moneyText = regexp.MustCompile(`^(-?)([^0-9\s-]*)[\s\x{00a0}]*(-?[0-9][0-9,.\x{00a0} ]*[0-9])[\s\x{00a0}]*([^0-9\s]*)$`)

// parseMoney reads an amount written by the portal: its value and the symbol or code written
// with it. The decimal mark is the last "." or "," followed by two digits.
func parseMoney(s string) (float64, string, bool) {
	m := moneyText.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[2] == "" && m[4] == "") {
		return 0, "", false
	}
	digits := m[3]
	if len(digits) < 3 || (digits[len(digits)-3] != '.' && digits[len(digits)-3] != ',') {
		return 0, "", false
	}
	whole := strings.NewReplacer(",", "", ".", "", "\u00a0", "", " ", "").Replace(digits[:len(digits)-3])
	v, err := strconv.ParseFloat(whole+"."+digits[len(digits)-2:], 64)
	if err != nil {
		return 0, "", false
	}
	if m[1] == "-" {
		v = -v
	}
	return v, m[2] + m[4], true
}
