package erpnetsim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// A sales order sells a promotional package through a record of its PromotionalPackages and
// lines naming the package: inside a front-end transaction those lines are priced as the package
// says; a package not valid for the order (another customer's, ended, with a filter expression)
// is refused, as is a line of a product the package does not have; and releasing the order checks
// that its package lines match the package times the number sold.
func TestPromotionalPackagesOnSalesOrders(t *testing.T) {
	api := newTxAPI(t, erpnetsim.Options{})
	refs := api.refs()
	pkg := func(code string) string {
		col := api.list("Crm_Pricing_PromotionalPackages", url.Values{"$filter": {"Code eq '" + code + "'"}, "$select": {"Id"}})
		if len(col.Value) != 1 {
			t.Fatalf("package %s: %v", code, col.Value)
		}
		return "Crm_Pricing_PromotionalPackages(" + col.Value[0]["Id"].(string) + ")"
	}
	product := func(part string) string {
		col := api.list("General_Products_Products", url.Values{"$filter": {"PartNumber eq '" + part + "'"}, "$select": {"Id"}})
		return "General_Products_Products(" + col.Value[0]["Id"].(string) + ")"
	}
	ref := func(id string) map[string]string { return map[string]string{"@odata.id": id} }
	order := func(ext, pk string, n int, lines ...[2]any) map[string]any {
		o := newOrder(ext, refs, 1)
		var ls []map[string]any
		for _, l := range lines {
			ls = append(ls, map[string]any{"Product": ref(product(l[0].(string))), "Quantity": map[string]any{"Value": l[1]}, "PromotionalPackage": ref(pk)})
		}
		o["Lines"] = ls
		o["PromotionalPackages"] = []map[string]any{{"PromotionalPackage": ref(pk), "NumberOfPackages": n}}
		return o
	}
	coffee := pkg("PKG-COFFEE")

	// In a transaction: COF-001 at the package's 29.90, COF-005 at its standard 58.00 less the
	// package's 15%, COF-003 at 9.90.
	tr := api.begin()
	status, body := api.in(tr, "POST", "Crm_Sales_SalesOrders", order("pkg-1", coffee, 2, [2]any{"COF-001", 4}, [2]any{"COF-005", 2}, [2]any{"COF-003", 4}))
	if status != http.StatusCreated {
		t.Fatalf("create with a package: %d %s", status, body)
	}
	id := createdID(t, body)
	read := url.Values{"$select": {"TotalLineAmount"}, "$expand": {"Lines($select=UnitPrice,LineAmount,LineStandardDiscountPercent;$expand=Product($select=PartNumber)),PromotionalPackages"}}
	_, body = api.in(tr, "GET", "Crm_Sales_SalesOrders("+id+")?"+read.Encode(), nil)
	var got struct {
		TotalLineAmount struct{ Value float64 }
		Lines           []struct {
			UnitPrice, LineAmount       struct{ Value float64 }
			LineStandardDiscountPercent float64
			Product                     struct{ PartNumber string }
		}
		PromotionalPackages []struct {
			NumberOfPackages, LineNumber int
		}
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Lines) != 3 {
		t.Fatalf("the order's lines: %s", body)
	}
	want := map[string][3]float64{"COF-001": {29.90, 0, 119.6}, "COF-005": {58, 0.15, 98.6}, "COF-003": {9.90, 0, 39.6}}
	for _, l := range got.Lines {
		w := want[l.Product.PartNumber]
		if l.UnitPrice.Value != w[0] || l.LineStandardDiscountPercent != w[1] || l.LineAmount.Value != w[2] {
			t.Errorf("%s priced %v less %v = %v, want %v", l.Product.PartNumber, l.UnitPrice.Value, l.LineStandardDiscountPercent, l.LineAmount.Value, w)
		}
	}
	if len(got.PromotionalPackages) != 1 || got.PromotionalPackages[0].NumberOfPackages != 2 || got.PromotionalPackages[0].LineNumber != 1 {
		t.Errorf("the order's packages: %+v", got.PromotionalPackages)
	}
	api.end(tr, true)

	// Released as it is: the lines are the package times two.
	if status, body := api.in("", "POST", "Crm_Sales_SalesOrders("+id+")/ChangeState", map[string]string{"newState": "Released"}); status != http.StatusNoContent {
		t.Errorf("release a matching package: %d %s", status, body)
	}
	// Not so when a line's quantity is not the package's times the number sold.
	status, body = api.in("", "POST", "Crm_Sales_SalesOrders", order("pkg-2", coffee, 1, [2]any{"COF-001", 2}, [2]any{"COF-005", 1}, [2]any{"COF-003", 3}))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, body := api.in("", "POST", "Crm_Sales_SalesOrders("+createdID(t, body)+")/ChangeState", map[string]string{"newState": "Released"}); status == http.StatusNoContent || !strings.Contains(string(body), "PKG-COFFEE") {
		t.Errorf("released an order whose package lines do not match: %d %s", status, body)
	}

	// A line naming another customer's package is refused even without a record of it.
	foreign := order("pkg-foreign-line", coffee, 1, [2]any{"COF-001", 2}, [2]any{"COF-005", 1}, [2]any{"COF-003", 2})
	foreign["Lines"].([]map[string]any)[0]["PromotionalPackage"] = ref(pkg("PKG-MUELLER"))
	if status, body := api.in("", "POST", "Crm_Sales_SalesOrders", foreign); status < 400 || !strings.Contains(string(body), "not valid") {
		t.Errorf("a line of another customer's package: %d %s", status, body)
	}
	// A record without its number of packages, or changed to a negative one, is refused.
	none := order("pkg-no-number", coffee, 1, [2]any{"COF-001", 2})
	delete(none["PromotionalPackages"].([]map[string]any)[0], "NumberOfPackages")
	if status, body := api.in("", "POST", "Crm_Sales_SalesOrders", none); status < 400 || !strings.Contains(string(body), "NumberOfPackages") {
		t.Errorf("a package record without NumberOfPackages: %d %s", status, body)
	}
	status, body = api.in("", "POST", "Crm_Sales_SalesOrders", order("pkg-3", coffee, 1, [2]any{"COF-001", 2}))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	_, body = api.in("", "GET", "Crm_Sales_SalesOrders("+createdID(t, body)+")?$select=Id&$expand=PromotionalPackages($select=Id)", nil)
	var rec struct {
		PromotionalPackages []struct {
			ID string `json:"Id"`
		}
	}
	if json.Unmarshal(body, &rec) != nil || len(rec.PromotionalPackages) != 1 {
		t.Fatalf("the record: %s", body)
	}
	if status, body := api.in("", "PATCH", "Crm_Sales_SalesOrderPromotionalPackages("+rec.PromotionalPackages[0].ID+")", map[string]any{"NumberOfPackages": -2}); status < 400 {
		t.Errorf("a negative number of packages: %d %s", status, body)
	}

	for _, tc := range []struct {
		name, code string
		lines      [][2]any
		says       string
	}{
		{"another customer's", "PKG-MUELLER", [][2]any{{"HW-002", 1}, {"HW-005", 10}}, "not valid"},
		{"ended", "PKG-SPRING", [][2]any{{"CLN-002", 3}}, "not valid"},
		{"withdrawn", "PKG-OLD", [][2]any{{"HW-001", 5}}, "not valid"},
		{"with a filter expression", "PKG-VIP", [][2]any{{"HW-002", 1}}, "not valid"},
		{"a product not in the package", "PKG-COFFEE", [][2]any{{"HW-002", 1}}, "not in the promotional package"},
	} {
		status, body := api.in("", "POST", "Crm_Sales_SalesOrders", order("pkg-bad-"+tc.code+tc.name, pkg(tc.code), 1, tc.lines...))
		if status < 400 || !strings.Contains(string(body), tc.says) {
			t.Errorf("%s: %d %s, want a refusal saying %q", tc.name, status, body, tc.says)
		}
	}
}
