package modelgen

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

var fixtures = []string{"Demo.Shop.Vouchers", "Demo.Shop.Orders", "Demo.Shop.OrderLines", "Demo.Shop.Balances"}

func TestGenerate(t *testing.T) {
	m, err := Generate("testdata", fixtures)
	if err != nil {
		t.Fatal(err)
	}
	var repos []string
	for _, e := range m.Entities {
		repos = append(repos, e.Repository)
	}
	if got, want := repos, []string{"Demo.Shop.Balances", "Demo.Shop.OrderLines", "Demo.Shop.Orders", "Demo.Shop.Vouchers"}; !reflect.DeepEqual(got, want) {
		t.Errorf("entities: got %v, want %v", got, want)
	}
	orders, _ := m.Repository("Demo.Shop.Orders")
	// Lines' page is generated and confirms Order as its Owner; Remarks' page is not generated.
	want := []model.Child{
		{Name: "Lines", Target: "Demo.Shop.OrderLines", Back: "Order"},
		{Name: "Remarks", Target: "Demo.Shop.OrderRemarks", Back: ""},
	}
	if got := orders.Children; !reflect.DeepEqual(got, want) {
		t.Errorf("children: got %+v, want %+v", got, want)
	}
	reversed := slices.Clone(fixtures)
	slices.Reverse(reversed)
	again, err := Generate("testdata", reversed)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := model.Marshal(m)
	b, _ := model.Marshal(again)
	if string(a) != string(b) {
		t.Errorf("the order of the list changes the output")
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name  string
		repos []string
		want  string
	}{
		{"missing pages", []string{"Demo.Shop.Orders", "Demo.Shop.Nothing", "Demo.Shop.Less"},
			"Demo.Shop.Nothing, Demo.Shop.Less"},
		{"listed twice", []string{"Demo.Shop.Orders", "Demo.Shop.Orders"}, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate("testdata", tt.repos)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestParseList(t *testing.T) {
	got := ParseList("# sales\nCrm.Sales.SalesOrders\n\n  Crm.Sales.Customers  # the buyers\n#Crm.Old\n")
	if want := []string{"Crm.Sales.SalesOrders", "Crm.Sales.Customers"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	repos := Repositories()
	for _, r := range []string{"Crm.Sales.SalesOrders", "Finance.Payments.PaymentAccounts", "General.Contacts.PartyBankAccounts"} {
		if !slices.Contains(repos, r) {
			t.Errorf("entities.txt: no %s", r)
		}
	}
}
