package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunTwiceSameBytes(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "entities.txt")
	if err := os.WriteFile(list, []byte("# fixtures\nDemo.Shop.Orders\nDemo.Shop.OrderLines\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join("..", "..", "internal", "erpnetsim", "modelgen", "testdata")
	var outs [][]byte
	for i := range 2 {
		out := filepath.Join(dir, "model.json")
		var stderr bytes.Buffer
		if got, want := run([]string{"-docs", docs, "-entities", list, "-out", out}, &stderr), 0; got != want {
			t.Fatalf("run %d: got status %d, want %d: %s", i, got, want, stderr.String())
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two runs wrote different bytes")
	}
	if got, want := string(outs[0]), `"entitySet": "Demo_Shop_OrderLines"`; !strings.Contains(got, want) {
		t.Errorf("output: got %.200s..., want it to contain %s", got, want)
	}
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no docs", nil, 2},
		{"stray argument", []string{"-docs", "x", "y"}, 2},
		{"unknown flag", []string{"-doc", "x"}, 2},
		{"no such docs", []string{"-docs", filepath.Join(t.TempDir(), "none"), "-out", filepath.Join(t.TempDir(), "m.json")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := run(tt.args, &stderr); got != tt.want {
				t.Errorf("got status %d, want %d (%s)", got, tt.want, stderr.String())
			}
		})
	}
}
