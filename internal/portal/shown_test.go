package portal

import (
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/access"
)

func TestShownJoinsTheSettingsAndTheRole(t *testing.T) {
	on := config.Instance{IsOrdersEnabled: true, IsNewOrderEnabled: true, NewOrderDocumentType: "SO"}
	viewer := func(r access.Role) *Viewer {
		v := &Viewer{Accesses: []Access{{Role: r}}}
		v.Current = &v.Accesses[0]
		return v
	}
	tests := []struct {
		name string
		inst config.Instance
		role access.Role
		want Shown
	}{
		{"Basic", on, access.Basic, Shown{Lines: true}},
		{"Orders", on, access.Orders, Shown{Orders: true, NewOrder: true, Reorder: true, CancelOrder: true, Lines: true}},
		{"Orders with Prices", on, access.OrdersWithPrices, Shown{Orders: true, NewOrder: true, Reorder: true, CancelOrder: true, OrderPrices: true, Lines: true, OrderPDF: true}},
		{"Owner, Orders off", config.Instance{IsNewOrderEnabled: true, NewOrderDocumentType: "SO", HideLines: true}, access.Owner,
			Shown{Invoices: true, Due: true, Payments: true, Users: true, OrderPrices: true, Files: true}},
	}
	for _, tt := range tests {
		s := New(Deps{Instance: tt.inst})
		got := s.Shows(viewer(tt.role))
		if got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if got := New(Deps{Instance: on}).Shows(&Viewer{}); got != (Shown{Lines: true}) {
		t.Errorf("no customer chosen: %+v, want nothing offered", got)
	}
}
