package portal_test

import (
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/portal"
)

func TestNewOrderParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1", 1, true},
		{" 12 ", 12, true},
		{"2.5", 2.5, true},
		{"2,5", 2.5, true},
		{"0.001", 0.001, true},
		{"1000000", 1000000, true},
		{"0", 0, false},
		{"0.000", 0, false},
		{"-1", 0, false},
		{"1.2345", 0, false},
		{"1000001", 0, false},
		{"1e3", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"1.", 0, false},
		{".5", 0, false},
		{"1 000", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := portal.ParseQuantity(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseQuantity(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNewOrderDraftLines(t *testing.T) {
	const a, b = "0b6c7a9e-1f0e-4a59-9a55-3c1d2e4f5a6b", "7d1f3c1a-5b2e-4c3d-8e4f-5a6b7c8d9e0f"
	lines := func(d portal.OrderDraft) string {
		var out []string
		for _, l := range d.Lines {
			out = append(out, l.ProductID[:2]+"×"+l.Quantity)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name string
		do   func(d *portal.OrderDraft)
		want string
	}{
		{"add new products", func(d *portal.OrderDraft) { d.AddProduct(a); d.AddProduct(b) }, "0b×1 7d×1"},
		{"add one more of a line", func(d *portal.OrderDraft) { d.AddProduct(a); d.AddProduct(strings.ToUpper(a)) }, "0b×2"},
		{"add to a fractional quantity", func(d *portal.OrderDraft) {
			d.Lines = []portal.DraftLine{{ProductID: a, Quantity: "1,5"}}
			d.AddProduct(a)
		}, "0b×2.5"},
		{"add ignores a non-id", func(d *portal.OrderDraft) { d.AddProduct("x' eq 'x") }, ""},
		{"remove a line", func(d *portal.OrderDraft) { d.AddProduct(a); d.AddProduct(b); d.RemoveLine(0) }, "7d×1"},
		{"remove out of range", func(d *portal.OrderDraft) { d.AddProduct(a); d.RemoveLine(1); d.RemoveLine(-1) }, "0b×1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := portal.NewDraft()
			tt.do(&d)
			if got := lines(d); got != tt.want {
				t.Errorf("lines = %q, want %q", got, tt.want)
			}
			if !portal.ValidDraftID(d.ID) {
				t.Errorf("draft id %q is not an order id", d.ID)
			}
		})
	}
}
