package server_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// headerKeys are the column keys of the list's table, in order.
func headerKeys(p *testenv.Page) []string {
	var out []string
	p.Doc.Find("table[data-list] thead th[data-col]").Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-col", "")) })
	return out
}

// layoutEnv is a portal whose instance keeps layouts in Erp.Net, against an Erp.Net of version.
func layoutEnv(t *testing.T, version string) *testenv.Env {
	t.Helper()
	in := testenv.Instance("cc")
	in.SaveLayoutInERP = true
	return testenv.New(t, testenv.Options{Quiet: true, ERPVersion: version, Instances: []config.Instance{in}})
}

func userData(t *testing.T, erp *erpnet.Client, id string) (string, int) {
	t.Helper()
	var u struct {
		erpnet.Base
		Data string `json:"AdditionalDataJson"`
	}
	if err := erp.Get(t.Context(), erpnet.SetUsers, id, erpnet.Query{}.Select("Id", "ObjectVersion", "AdditionalDataJson"), &u); err != nil {
		t.Fatal(err)
	}
	return u.Data, u.ObjectVersion
}

// With save_layout_in_erp, on an Erp.Net that has AdditionalDataJson, the layout chosen in one
// browser (columns, their order, the sort in use) is kept on the person's user record under the
// application's key, next to what other applications keep there; a fresh browser opens the list
// in it; Reset layout forgets it there too, and leaves the other application's data as it was.
func TestLayoutFollowsThePersonThroughErpNet(t *testing.T) {
	t.Parallel()
	env := layoutEnv(t, "26.3.100.4")
	erp := newOrderERP(t, env)
	id := userIDOf(t, erp, "owner@orbis.example")
	_, ver := userData(t, erp, id)
	if err := erp.Patch(t.Context(), erpnet.SetUsers, id, map[string]any{"ObjectVersion": ver, "AdditionalDataJson": `{"crm-mobile":{"theme":"dark"}}`}); err != nil {
		t.Fatal(err)
	}
	first, _ := env.SignIn(t, "cc", "owner@orbis.example")
	first.Get("/cc/orders?sort=number&dir=asc")
	first.Post("/cc/orders/columns", url.Values{"col": {"number", "amount", "date"}, "return": {"/cc/orders"}})
	data, _ := userData(t, erp, id)
	var all map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &all); err != nil || string(all["crm-mobile"]) != `{"theme":"dark"}` ||
		!strings.Contains(string(all["clientcenter"]), `"orders":{"cols":"number.amount.date","sort":"number.asc"}`) {
		t.Fatalf("AdditionalDataJson after choosing columns: %s (%v)", data, err)
	}

	second, _ := env.SignIn(t, "cc", "owner@orbis.example")
	page := second.Get("/cc/orders")
	if got := headerKeys(page); !slices.Equal(got, []string{"number", "amount", "date"}) {
		t.Errorf("a fresh browser shows the columns %v, want the kept number, amount, date", got)
	}
	if page.Doc.Find(`th[data-col="number"][aria-sort="ascending"]`).Length() != 1 {
		t.Errorf("a fresh browser does not sort by the kept number ascending")
	}
	second.Post("/cc/orders/columns", url.Values{"reset": {"1"}, "return": {"/cc/orders"}})
	if data, _ := userData(t, erp, id); data != `{"crm-mobile":{"theme":"dark"}}` {
		t.Errorf("after Reset layout the user record keeps %s", data)
	}
	third, _ := env.SignIn(t, "cc", "owner@orbis.example")
	if got := headerKeys(third.Get("/cc/orders")); slices.Equal(got, []string{"number", "amount", "date"}) {
		t.Errorf("a fresh browser after the reset still shows the old layout %v", got)
	}
}

// On an Erp.Net older than 26.3.100.4 the setting does nothing: layouts stay in the browser, and
// the user record is never written.
func TestLayoutStaysInTheBrowserOnAnOlderErpNet(t *testing.T) {
	t.Parallel()
	env := layoutEnv(t, "26.1.3.97")
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	env.Sim.ResetCalls()
	page := b.Post("/cc/orders/columns", url.Values{"col": {"number", "date"}, "return": {"/cc/orders"}})
	if n := env.Sim.Calls(erpnet.SetUsers); n != 0 {
		t.Errorf("%d calls to the users on an Erp.Net without AdditionalDataJson", n)
	}
	if got := headerKeys(page); !slices.Equal(got, []string{"number", "date"}) || strings.Contains(page.Text("main"), "could not keep") {
		t.Errorf("columns %v, warning %q", got, page.Text(".notice"))
	}
}
