package server

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/access"
)

// TestCSVCells: a number cell is written as the number it is, a negative amount included; a text
// cell that a spreadsheet would run as a formula is defused, full-width signs and "numbers" in
// text columns included.
func TestCSVCells(t *testing.T) {
	s := testServer(t)
	type row struct{ amount, text string }
	ls := &listSpec[row]{Name: "orders", Columns: []column[row]{
		{Key: "amount", Label: "Amount", Num: true, Default: true, Text: func(r row) string { return r.amount }},
		{Key: "notes", Label: "Notes", Default: true, Text: func(r row) string { return r.text }},
	}}
	tests := []struct {
		cell, want string
		num        bool
	}{
		{"-12.50 BGN", "-12.50 BGN", true},
		{"-12,50", "-12,50", true},
		{"1234.00 EUR", "1234.00 EUR", true},
		{"-3", "-3", true},
		{"=1+1", "'=1+1", true}, // not a number, whatever its column
		{"-Infinity", "'-Infinity", false},
		{"-12", "'-12", false},
		{"＝1+1", "'＝1+1", false},
		{"＋1", "'＋1", false},
		{"－1", "'－1", false},
		{"＠SUM(A1)", "'＠SUM(A1)", false},
		{"@SUM(A1)", "'@SUM(A1)", false},
		{"+1", "'+1", false},
		{"\tx", "'\tx", false},
		{"\rx", "'\rx", false},
		{"plain text", "plain text", false},
		{"a=b", "a=b", false},
	}
	var rows []row
	for _, tt := range tests {
		if tt.num {
			rows = append(rows, row{amount: tt.cell})
		} else {
			rows = append(rows, row{text: tt.cell})
		}
	}
	c, w := ordersContext(s, "/cc/orders.csv", "", "req", access.Owner)
	err := writeCSV(s, c, ls, s.instances[0], access.Owner, func(fn func(row) error) error {
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		col := 1
		if tt.num {
			col = 0
		}
		if got := recs[i+1][col]; got != tt.want {
			t.Errorf("cell %q written as %q, want %q", tt.cell, got, tt.want)
		}
	}
}
