package erpnet

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// BenchmarkQueryString is the cost of a typical list query's text, which the portal makes on
// every page view as its cache key.
func BenchmarkQueryString(b *testing.B) {
	q := From(SetSalesOrders).Where(Eq("Customer", NewRef(SetCustomers, "6c2bd8e0-6f4f-4a59-9b4e-1b1b7b3f9d11")),
		Ge("DocumentDate", Date(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))), Eq("Void", Bool(false))).
		Select("Id", "DocumentNo", "DocumentDate", "State", "Void", "AmountToPay", "TotalLineAmount").
		Expand("DocumentType", Query{}.Select("Id", "Code", "TypeName")).
		OrderBy("DocumentDate", true).OrderBy("Id", false).Top(25).Skip(0).Count()
	b.ReportAllocs()
	for b.Loop() {
		_ = q.String()
	}
}

func TestEscapeIsQueryEscapeWithSpacesAsPercent20(t *testing.T) {
	for _, s := range []string{"", "plain", "a b", "Name eq 'O''Brien & Co' and x/y", "€ и 100%", "+-_.~*()!", "\x00\xff"} {
		want := strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
		if got := escape(s); got != want {
			t.Errorf("escape(%q) = %q, want %q", s, got, want)
		}
	}
}
