package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// atpToday is what the simulator's main store can promise of a product today: the ATP of the
// latest period begun.
func atpToday(t *testing.T, env *testenv.Env, productID string) float64 {
	t.Helper()
	var out struct {
		Value []struct {
			ATPBase struct {
				Value float64 `json:"Value"`
			} `json:"ATPBase"`
			FromDate time.Time `json:"FromDate"`
		}
	}
	env.API(t, "Logistics_Inventory_DemandManagement_AvailableToPromise?$select=ATPBase,FromDate&$filter="+
		url.QueryEscape("Product eq 'General_Products_Products("+productID+")'"), &out)
	var best time.Time
	atp := -1.0
	for _, r := range out.Value {
		if !r.FromDate.After(time.Now()) && r.FromDate.After(best) {
			best, atp = r.FromDate, r.ATPBase.Value
		}
	}
	if atp < 0 {
		t.Fatalf("no period of %s has begun", productID)
	}
	return atp
}

func TestNewOrderShowsAvailability(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		max      int
		store    string
		qty      func(atp float64) float64
		want     string // the line's data-availability; "-" for no column
		shortQty bool
	}{
		{"enough", 0, "MAIN", func(a float64) float64 { return max(1, a) }, "yes", false},
		{"short", 0, "MAIN", func(a float64) float64 { return a + 1 }, "short", true},
		{"above availability_max", 5, "MAIN", func(float64) float64 { return 6 }, "call", false},
		{"no default store", 0, "", func(float64) float64 { return 1 }, "-", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := newOrderInstance(erpnetsim.SalesOrderTypeCode)
			in.AvailabilityMax, in.DefaultStore = tt.max, tt.store
			env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
			erp := newOrderERP(t, env)
			id := productIDOf(t, erp, "HW-002")
			atp := atpToday(t, env, id)
			if tt.name == "enough" && atp < 1 {
				t.Skipf("HW-002 has %v to promise", atp)
			}
			b, _ := env.SignIn(t, "cc", "orders@orbis.example")
			form := orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "HW-002"))
			qty := strconv.FormatFloat(tt.qty(atp), 'f', -1, 64)
			p := b.Post("/cc/orders/new", withForm(form, "line_qty", qty, "search", "1", "q", ""))
			cell := p.Doc.Find("[data-availability]")
			if tt.want == "-" {
				if cell.Length() != 0 {
					t.Errorf("availability shown without a default store: %q", cell.Text())
				}
				return
			}
			if got := cell.AttrOr("data-availability", "?"); got != tt.want {
				t.Fatalf("quantity %s of %v available: availability %q, want %q (%q)", qty, atp, got, tt.want, cell.Text())
			}
			if tt.shortQty && !strings.Contains(cell.Text(), strconv.FormatFloat(atp, 'f', -1, 64)) {
				t.Errorf("a short line does not say how many there are (%v): %q", atp, cell.Text())
			}
		})
	}
}
