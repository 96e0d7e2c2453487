package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// newOrderInstance is the instance "cc" with New Order on, creating orders of type code.
func newOrderInstance(code string) config.Instance {
	in := testenv.Instance("cc")
	in.IsNewOrderEnabled, in.NewOrderDocumentType, in.DefaultStore = true, code, "MAIN"
	return in
}

// newOrderEnv is a portal whose instance "cc" has New Order on with the "SO" document type.
func newOrderEnv(t *testing.T, opts testenv.Options) *testenv.Env {
	t.Helper()
	opts.Instances = []config.Instance{newOrderInstance(erpnetsim.SalesOrderTypeCode)}
	return testenv.New(t, opts)
}

// newOrderERP reads the simulator's Domain API as the trusted application, to set up and check
// what the portal did.
func newOrderERP(t *testing.T, env *testenv.Env) *erpnet.Client {
	t.Helper()
	c, err := erpnet.NewClient(t.Context(), erpnet.Config{InstanceURL: env.SimURL,
		ClientID: erpnetsim.DemoClientID, ClientSecret: erpnetsim.DemoClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func salesOrderCount(t *testing.T, erp *erpnet.Client) int {
	t.Helper()
	n, err := erp.Count(t.Context(), erpnet.From(erpnet.SetSalesOrders))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func productIDOf(t *testing.T, erp *erpnet.Client, part string) string {
	t.Helper()
	rows, err := erpnet.All[erpnet.Product](t.Context(), erp, erpnet.Query{}.Where(erpnet.Eq("PartNumber", erpnet.Str(part))))
	if err != nil || len(rows) != 1 {
		t.Fatalf("product %s: %d rows, %v", part, len(rows), err)
	}
	return rows[0].ID
}

func customerIDOf(t *testing.T, erp *erpnet.Client, number string) string {
	t.Helper()
	rows, err := erpnet.All[erpnet.Customer](t.Context(), erp, erpnet.Query{}.Where(erpnet.Eq("Number", erpnet.Str(number))))
	if err != nil || len(rows) != 1 {
		t.Fatalf("customer %s: %d rows, %v", number, len(rows), err)
	}
	return rows[0].ID
}

// salesOrdersOf lists a customer's orders, newest first, with their lines and the lines' products.
func salesOrdersOf(t *testing.T, erp *erpnet.Client, number string, extra ...erpnet.Term) []erpnet.SalesOrder {
	t.Helper()
	terms := append([]erpnet.Term{erpnet.Eq("Customer", erpnet.NewRef(erpnet.SetCustomers, customerIDOf(t, erp, number)))}, extra...)
	var rows []erpnet.SalesOrder
	_, err := erp.ListPage(t.Context(), erpnet.From(erpnet.SetSalesOrders).Select("default", "Id").Where(terms...).
		Expand("Lines", erpnet.Query{}.Select("default", "Id").Expand("Product", erpnet.Query{}.Select("Id", "PartNumber", "Active"))).
		OrderBy("DocumentDate", true).Top(100), &rows)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// orderFormValues is what a browser would send from the page's order form: every named input and
// textarea with its current value, no button.
func orderFormValues(t *testing.T, p *testenv.Page) url.Values {
	t.Helper()
	form := p.Doc.Find("form.new-order, form[data-review-form]")
	if form.Length() == 0 {
		t.Fatalf("no order form on %s: %.400s", p, p.Body)
	}
	v := url.Values{}
	form.Find("input[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if goquery.NodeName(s) == "textarea" {
			v.Add(name, s.Text())
			return
		}
		val, _ := s.Attr("value")
		v.Add(name, val)
	})
	return v
}

// withForm is a copy of v with the keys set (key, value, key, value ...).
func withForm(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// addProductToForm searches the picker for a part number and presses its Add button.
func addProductToForm(t *testing.T, b *testenv.Browser, page *testenv.Page, part string) *testenv.Page {
	t.Helper()
	found := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "q", part, "search", "1"))
	id, ok := found.Doc.Find(`li[data-product="` + part + `"] button[name=add]`).Attr("value")
	if !ok {
		t.Fatalf("no Add button for %s: %s %q", part, found, found.Text("[data-results]"))
	}
	return b.Post("/cc/orders/new", withForm(orderFormValues(t, found), "add", id))
}

// dayFromToday is the date n days from today (UTC), as the form takes it.
func dayFromToday(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format("2006-01-02") }

// placedOrderID is the order id of the order page a place landed on, or "".
func placedOrderID(p *testenv.Page) string {
	u, err := url.Parse(p.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/cc/orders/") {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/cc/orders/")
}
