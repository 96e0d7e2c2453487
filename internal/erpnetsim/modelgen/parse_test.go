package modelgen

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

// parseFixture parses testdata/<repo>.md, invented pages in the docs' format.
func parseFixture(t *testing.T, repo string) Entity {
	t.Helper()
	page, err := os.ReadFile(filepath.Join("testdata", repo+".md"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := Parse(page)
	if err != nil {
		t.Fatalf("Parse(%s): %v", repo, err)
	}
	return e
}

func TestParseAttributes(t *testing.T) {
	e := parseFixture(t, "Demo.Shop.Orders")
	none := []string{}
	tests := []struct {
		name string
		want model.Attribute
	}{
		{"Code", model.Attribute{Type: "string", MaxLength: 20, Required: true,
			Filters: []string{"Equals", "Like"}, OrderBy: true}},
		{"Counter", model.Attribute{Type: "int64", Required: true, ReadOnly: true, Filters: none, Default: "0"}},
		{"DueOn", model.Attribute{Type: "date", Nullable: true, Filters: []string{"GreaterThanOrLessThan"}}}, // order by empty
		{"LegacyCode", model.Attribute{Type: "string", MaxLength: 10, Nullable: true, Filters: none,
			Obsolete: true, ObsoletedIn: "25.1.0.9"}},
		{"Notes", model.Attribute{Type: "string", Nullable: true, Filters: none}}, // (max): no limit
		{"PlacedOn", model.Attribute{Type: "datetime", Required: true, Filters: []string{"GreaterThanOrLessThan"},
			Default: "CurrentDateTime"}},
		{"Priority", model.Attribute{Type: "enum", Nullable: true, Filters: []string{"Equals"},
			EnumType: "Demo.Shop.OrdersRepository.Priority",
			Enum:     []model.EnumValue{{API: "Low", DB: "1"}, {API: "High", DB: "2"}}}}, // High: from "Stored as"
		{"Rate", model.Attribute{Type: "decimal", Precision: 7, Scale: 6, Nullable: true,
			Filters: []string{"GreaterThanOrLessThan"}, IntroducedIn: "25.1.0.3"}},
		{"Scan", model.Attribute{Type: "binary", Nullable: true, DelayLoaded: true, Filters: none}},
		{"Status", model.Attribute{Type: "enum", Required: true, Filters: []string{"Equals", "EqualsIn"},
			Default: "New", EnumType: "Demo.Shop.OrdersRepository.Status",
			Enum: []model.EnumValue{{API: "New", DB: "N"}, {API: "Shipped", DB: "S"}, {API: "ShippedAndPaid", DB: "P"}}}},
		{"Summary", model.Attribute{Type: "amount", Calculated: true, Filters: none}},
		{"Title", model.Attribute{Type: "multilanguage", MaxLength: 254, Required: true, Filters: []string{"Like"}}},
		{"Total", model.Attribute{Type: "amount", Precision: 14, Scale: 2, Required: true, Filters: none,
			Default: "0", Currency: "Currency"}},
		{"Weight", model.Attribute{Type: "quantity", Precision: 12, Scale: 3, Nullable: true, Filters: none,
			Unit: "WeightUnit"}},
		{"Id", model.Attribute{Type: "guid", System: true,
			Filters: []string{"Equals", "EqualsIn", "GreaterThanOrLessThan"}, Default: "NewGuid"}},
		{"ObjectVersion", model.Attribute{Type: "int32", System: true, Filters: none}},
		{"ExternalId", model.Attribute{Type: "string", System: true, Filters: none, IntroducedIn: "24.1.0.89"}},
		{"DisplayText", model.Attribute{Type: "string", System: true, Calculated: true, Filters: none}},
	}
	if got, want := len(e.Attributes), len(tests); got != want {
		t.Errorf("attributes: got %d, want %d", got, want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := e.Attribute(tt.name)
			if !ok {
				t.Fatalf("no attribute %s", tt.name)
			}
			tt.want.Name = tt.name
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestParseReferences(t *testing.T) {
	e := parseFixture(t, "Demo.Shop.Orders")
	tests := []struct {
		name string
		want model.Reference
	}{
		{"Clerk", model.Reference{Target: "Demo.Security.Users", Nullable: true, Filters: []string{}}},
		{"Currency", model.Reference{Target: "Demo.Currencies", Required: true, Filters: []string{"Equals", "EqualsIn"}}},
		{"Customer", model.Reference{Target: "Demo.Shop.Customers", Required: true,
			Filters: []string{"Equals", "EqualsIn"}, FilterableReference: true, IntroducedIn: "24.1.0.7"}},
		{"OldClerk", model.Reference{Target: "Demo.Security.Users", Nullable: true,
			Filters: []string{"Equals", "EqualsIn"}, ReadOnly: true, Obsolete: true}},
		{"WeightUnit", model.Reference{Target: "Demo.Units", Nullable: true, Filters: []string{"Equals", "EqualsIn"}}},
	}
	if got, want := len(e.References), len(tests); got != want {
		t.Errorf("references: got %d, want %d", got, want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := e.Reference(tt.name)
			if !ok {
				t.Fatalf("no reference %s", tt.name)
			}
			tt.want.Name = tt.name
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
	line := parseFixture(t, "Demo.Shop.OrderLines")
	owner, _ := line.Reference("Order")
	if got, want := owner.Owner && owner.FilterableReference, true; got != want {
		t.Errorf("OrderLines.Order owner and filterable: got %v, want %v", got, want)
	}
}

func TestParseEntities(t *testing.T) {
	tests := []struct {
		repo string
		want Entity
	}{
		{"Demo.Shop.Orders", Entity{EntitySet: "Demo_Shop_Orders", EntityType: "Demo_Shop_Order",
			APIAccess: "ReadWrite", IntroducedIn: "24.1.0.1", InheritedFrom: "Demo.Documents",
			Renames: []model.Rename{
				{Old: "Demo.Orders", New: "Demo.Sales.Orders", Version: "23.1.0.5"},
				{Old: "Demo.Sales.Orders", New: "Demo.Shop.Orders", Version: "24.1.0.2"},
			},
			AggregateRoot: "Demo.Shop.Orders",
			Children: []model.Child{ // Back as the table names it; Generate checks it
				{Name: "Lines", Target: "Demo.Shop.OrderLines", Back: "Order"},
				{Name: "Remarks", Target: "Demo.Shop.OrderRemarks", Back: "Order"},
			}}},
		{"Demo.Shop.OrderLines", Entity{EntitySet: "Demo_Shop_OrderLines", EntityType: "Demo_Shop_OrderLine",
			APIAccess: "ReadWrite", AggregateRoot: "Demo.Shop.Orders", AggregateParent: "Demo.Shop.Orders"}},
		{"Demo.Shop.Balances", Entity{EntitySet: "Demo_Shop_Balances", EntityType: "Demo_Shop_Balance",
			View: true, APIAccess: "ReadOnly", IntroducedIn: "25.1.0.1", AggregateRoot: "Demo.Shop.Balances"}},
		{"Demo.Shop.Vouchers", Entity{EntitySet: "Demo_Shop_Vouchers", EntityType: "Demo_Shop_Voucher",
			Obsolete: true, APIAccess: "ReadWrite", AggregateRoot: "Demo.Shop.Vouchers"}},
	}
	for _, tt := range tests {
		t.Run(tt.repo, func(t *testing.T) {
			got := parseFixture(t, tt.repo)
			got.Attributes, got.References = nil, nil // checked by the tests above
			tt.want.Repository = tt.repo
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	v := parseFixture(t, "Demo.Shop.Balances")
	dir, _ := v.Attribute("Direction")
	if got, want := dir.Enum, []model.EnumValue{{API: "Outgoing", DB: "I"}, {API: "Incoming", DB: "R"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Balances.Direction enum: got %v, want %v", got, want)
	}
	names := func(e Entity) (out []string) {
		for _, a := range e.Attributes {
			out = append(out, a.Name)
		}
		return out
	}
	// Table names are cleaned of the line breaks the docs put in long names.
	if got, want := names(parseFixture(t, "Demo.Shop.OrderLines")), []string{"Id", "LineNo", "QuantityOrdered"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OrderLines attributes: got %v, want %v", got, want)
	}
}

func TestParseCRLF(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "Demo.Shop.Orders.md"))
	if err != nil {
		t.Fatal(err)
	}
	lf, err := Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	crlf, err := Parse(bytes.ReplaceAll(page, []byte("\n"), []byte("\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(crlf, lf) {
		t.Errorf("CRLF page: got %+v, want %+v", crlf, lf)
	}
}

func TestParseErrors(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "Demo.Shop.Vouchers.md"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"no repository", "Repository: Demo.Shop.Vouchers", "", "no Repository"},
		{"title is another entity", "# Demo.Shop.Vouchers", "# Demo.Shop.Coupons", "is not the repository"},
		{"unknown type", "Type: **string (16)**", "Type: **money**", `unknown type "money"`},
		{"unknown data type", "Type: **string (16)**", "Type: **[Money](../data-types.md#money)**", "unknown data type"},
		{"unknown filter", "**NotFilterable**", "**Contains**", `unknown filter "Contains"`},
		{"odd order by", "Supports Order By: **False**", "Supports Order By: **Maybe**", "Supports Order By"},
		{"listed without details", "### Code", "#### Code", "Code is listed but has no details"},
		{"details without listing", "### Code", "### Coupon", "Coupon has details but is in no table"},
		{"no entity set", "Demo_Shop_Vouchers\n", "\n", "no Domain API Entity Set"},
		{"no aggregate", "Aggregate Tree", "Aggregate Forest", "no aggregate root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(string(page), tt.old, tt.new, 1)
			if bad == string(page) {
				t.Fatalf("the fixture has no %q", tt.old)
			}
			_, err := Parse([]byte(bad))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}
