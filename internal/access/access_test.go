package access

import "testing"

func TestCan(t *testing.T) {
	tests := []struct {
		role Role
		can  []Capability
		not  []Capability
	}{
		{None, nil, []Capability{ViewHome, ViewProfile}},
		{Basic, []Capability{ViewHome, ViewProfile}, []Capability{ViewOrders, ViewFiles, ViewInvoices}},
		{Orders, []Capability{ViewOrders, CancelOrder, PlaceOrder}, []Capability{ViewOrderPrices, ViewInvoices}},
		{OrdersWithPrices, []Capability{ViewOrderPrices}, []Capability{ViewInvoices, ViewDue, ViewFiles}},
		{Billing, []Capability{ViewInvoices, ViewDue, ViewPayments, ViewFiles, ViewOrderPrices}, []Capability{ManageUsers}},
		{Admin, []Capability{ManageUsers, ViewInvoices}, nil},
		{Owner, []Capability{ManageUsers, PlaceOrder}, []Capability{"unknown"}},
	}
	for _, tt := range tests {
		for _, c := range tt.can {
			if !tt.role.Can(c) {
				t.Errorf("%v.Can(%s) = false, want true", tt.role, c)
			}
		}
		for _, c := range tt.not {
			if tt.role.Can(c) {
				t.Errorf("%v.Can(%s) = true, want false", tt.role, c)
			}
		}
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles {
		for _, s := range []string{r.APIValue(), r.Code()} {
			if got, ok := ParseRole(s); !ok || got != r {
				t.Errorf("ParseRole(%q) = %v, %v; want %v", s, got, ok, r)
			}
		}
	}
	if _, ok := ParseRole("Superuser"); ok {
		t.Errorf("ParseRole accepted an unknown role")
	}
	if got := Billing.String(); got != "L40 Billing" {
		t.Errorf("Billing.String() = %q", got)
	}
}

func TestCheckChange(t *testing.T) {
	tests := []struct {
		name string
		c    Change
		ok   bool
	}{
		{"admin adds billing", Change{Actor: Admin, Adding: true, New: Billing}, true},
		{"admin adds admin", Change{Actor: Admin, Adding: true, New: Admin}, true},
		{"admin cannot grant owner", Change{Actor: Admin, Adding: true, New: Owner}, false},
		{"owner grants owner", Change{Actor: Owner, Adding: true, New: Owner}, true},
		{"billing cannot manage", Change{Actor: Billing, Adding: true, New: Basic}, false},
		{"no role chosen", Change{Actor: Owner, Adding: true, New: None}, false},
		{"admin lowers admin", Change{Actor: Admin, Current: Admin, New: Basic}, true},
		{"admin promotes to owner", Change{Actor: Admin, Current: Billing, New: Owner}, false},
		{"owner lowers owner", Change{Actor: Owner, Current: Owner, New: Admin}, false},
		{"owner edits owner keeping role", Change{Actor: Owner, Current: Owner, New: Owner}, false},
		{"admin revokes owner", Change{Actor: Admin, Current: Owner, Removing: true}, false},
		{"owner revokes owner", Change{Actor: Owner, Current: Owner, Removing: true}, false},
		{"admin removes basic", Change{Actor: Admin, Current: Basic, Removing: true}, true},
		{"admin removes admin", Change{Actor: Admin, Current: Admin, Removing: true}, true},
		{"self removal", Change{Actor: Owner, Self: true, Current: Owner, Removing: true}, false},
		{"self lowering", Change{Actor: Admin, Self: true, Current: Admin, New: Basic}, false},
	}
	for _, tt := range tests {
		err := CheckChange(tt.c)
		if (err == nil) != tt.ok {
			t.Errorf("%s: CheckChange = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && err.Error() == "" {
			t.Errorf("%s: a refusal without a reason", tt.name)
		}
	}
}

func TestGrantable(t *testing.T) {
	if got := Grantable(Admin); len(got) != 5 || got[4] != Admin {
		t.Errorf("Grantable(Admin) = %v", got)
	}
	if got := Grantable(Owner); len(got) != 6 {
		t.Errorf("Grantable(Owner) = %v", got)
	}
	if got := Grantable(Billing); len(got) != 0 {
		t.Errorf("Grantable(Billing) = %v", got)
	}
}

func TestCheckDaysBack(t *testing.T) {
	days := func(n int) *int { return &n }
	tests := []struct {
		name           string
		actor, granted *int
		ok             bool
	}{
		{"unlimited actor grants unlimited", nil, nil, true},
		{"unlimited actor grants 30", nil, days(30), true},
		{"30-day actor grants unlimited", days(30), nil, false},
		{"30-day actor grants 31", days(30), days(31), false},
		{"30-day actor grants 30", days(30), days(30), true},
		{"30-day actor grants 1", days(30), days(1), true},
	}
	for _, tt := range tests {
		err := CheckDaysBack(tt.actor, tt.granted)
		if got := err == nil; got != tt.ok {
			t.Errorf("%s: CheckDaysBack = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && err.Error() == "" {
			t.Errorf("%s: a refusal without a reason", tt.name)
		}
	}
}

func TestRolesFromTheAPIByMeaning(t *testing.T) {
	tests := []struct {
		value string
		want  Role
		ok    bool
	}{
		{"Basic", Basic, true}, {"Orders", Orders, true}, {"OrdersWithPrices", OrdersWithPrices, true},
		{"Billing", Billing, true}, {"Admin", Admin, true}, {"Owner", Owner, true},
		{"OrdersBilling", Billing, true}, // older builds: orders with prices and billing
		{"L30", None, false},             // a stored code means different roles on different builds
		{"Superuser", None, false},
	}
	for _, tt := range tests {
		if got, ok := FromAPI(tt.value); got != tt.want || ok != tt.ok {
			t.Errorf("FromAPI(%q) = %v, %v; want %v, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
	legacy := RoleSet{Legacy: true}
	if got, want := legacy.APIValue(Billing), "OrdersBilling"; got != want {
		t.Errorf("legacy APIValue(Billing) = %q, want %q", got, want)
	}
	if got := legacy.APIValue(OrdersWithPrices); got != "" {
		t.Errorf("legacy APIValue(OrdersWithPrices) = %q, want none", got)
	}
	if got := (RoleSet{}).APIValue(Billing); got != "Billing" {
		t.Errorf("APIValue(Billing) = %q, want Billing", got)
	}
	if got := len(legacy.Offered()); got != 5 {
		t.Errorf("legacy offers %d roles, want 5", got)
	}
}
