package server

import (
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// TestKeptListPerLanguage: the same data drawn as a list in English and in Bulgarian is kept
// apart, so neither is served the other's labels.
func TestKeptListPerLanguage(t *testing.T) {
	s := testServer(t)
	in := s.instances[0]
	ls := ordersList(in.base)
	tests := []struct {
		lang, want, not string
	}{
		{"en", "Export CSV", "Експорт"},
		{"bg", "Експорт в CSV", "Export CSV"},
		{"en", "Export CSV", "Експорт"},
	}
	for i, tc := range tests {
		c, _ := ordersContext(s, "/cc/orders?sort=number&dir=asc", "", "req", access.OrdersWithPrices)
		c.Set(langKey, tc.lang)
		p, problems := parseListParams(c, ordersList(s.instances[0].base), access.OrdersWithPrices, portal.OrderSortable)
		lv, err := cachedList(c, ls, in, access.OrdersWithPrices, p, problems, ordersData("v1"))
		if err != nil {
			t.Fatal(err)
		}
		got := string(lv.Cached())
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("step %d (%s): list %.300s", i, tc.lang, got)
		}
	}
}
