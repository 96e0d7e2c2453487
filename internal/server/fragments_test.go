package server

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/portal"
)

func TestMemoDropsTheOldestBeyondItsBudget(t *testing.T) {
	m := newMemo[string](100)
	steps := []struct {
		key  string
		cost int // plus the key's length
		want []string
	}{
		{"a", 40, []string{"a"}},
		{"b", 40, []string{"a", "b"}},
		{"c", 40, []string{"b", "c"}},      // 123 > 100: a, stored first, goes
		{"b", 10, []string{"b", "c"}},      // stored again, cheaper: nothing goes
		{"d", 40, []string{"b", "c", "d"}}, // 11 + 41 + 41
		{"huge", 200, []string{"b", "c", "d"}},
		{"e", 50, []string{"d", "e"}}, // b, stored first though stored again since, then c go
	}
	for i, st := range steps {
		m.put(st.key, st.key, st.cost)
		var got []string
		for _, k := range []string{"a", "b", "c", "d", "e", "huge"} {
			if v, ok := m.get(k); ok {
				if v != k {
					t.Fatalf("step %d: %q holds %q", i, k, v)
				}
				got = append(got, k)
			}
		}
		if !slices.Equal(got, st.want) {
			t.Errorf("step %d (put %s): held %v, want %v", i, st.key, got, st.want)
		}
		if m.total > m.budget {
			t.Errorf("step %d: total %d over the budget %d", i, m.total, m.budget)
		}
	}
}

func frameView() *view {
	return &view{Title: "Orders", Lang: "en", Version: "1.0", RequestID: "r1", CSRFField: "",
		Inst: &instView{Name: "cc", Title: "Client Center", Base: "/cc"}, User: &userView{Name: "Ann", Login: "ann@example.com"},
		Customer: &customerView{ID: "c1", Name: "Acme", Number: "C-1"}, Role: access.Owner,
		Customers: []customerView{{ID: "c1", Name: "Acme", Number: "C-1", Role: access.Owner, Current: true},
			{ID: "c2", Name: "Beta", Number: "C-2", Role: access.Billing}},
		Menu: []menuItem{{Label: "Home", Href: "/cc/"}, {Label: "Orders", Href: "/cc/orders", Active: true}}, Data: 1}
}

// TestFrameKeyNamesEverythingTheFrameShows: two views share a kept frame only when every field
// the frame is drawn from is equal.
func TestFrameKeyNamesEverythingTheFrameShows(t *testing.T) {
	// A field added to the view must be named in frameKey, and here.
	fields := map[reflect.Type][]string{
		reflect.TypeFor[view](): {"Title", "Lang", "Version", "Assets", "RequestID", "Inst", "User", "Customer", "Customers", "Role",
			"Menu", "Flash", "Stale", "CSRFField", "Data", "offered"},
		reflect.TypeFor[instView]():     {"Name", "Title", "Base"},
		reflect.TypeFor[userView]():     {"Name", "Login"},
		reflect.TypeFor[customerView](): {"ID", "Name", "Number", "Role", "Current"},
		reflect.TypeFor[menuItem]():     {"Label", "Href", "Active"},
	}
	for typ, want := range fields {
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%v has fields %v; frameKey and this test know %v", typ, got, want)
		}
	}

	base, ok := frameKey("orders", frameView())
	if !ok {
		t.Fatal("a plain frame is not kept")
	}
	tests := []struct {
		name   string
		change func(*view)
		same   bool
	}{
		{"title", func(v *view) { v.Title = "Home" }, false},
		{"lang", func(v *view) { v.Lang = "bg" }, false},
		{"version", func(v *view) { v.Version = "1.1" }, false},
		{"assets", func(v *view) { v.Assets = "abc" }, false},
		{"csrf field", func(v *view) { v.CSRFField = "<input>" }, false},
		{"role", func(v *view) { v.Role = access.Billing }, false},
		{"instance name", func(v *view) { v.Inst.Name = "b2b" }, false},
		{"instance title", func(v *view) { v.Inst.Title = "B2B" }, false},
		{"instance base", func(v *view) { v.Inst.Base = "/b2b" }, false},
		{"no instance", func(v *view) { v.Inst = nil }, false},
		{"user name", func(v *view) { v.User.Name = "Bob" }, false},
		{"user login", func(v *view) { v.User.Login = "bob@example.com" }, false},
		{"no user", func(v *view) { v.User = nil }, false},
		{"customer id", func(v *view) { v.Customer.ID = "c2" }, false},
		{"customer name", func(v *view) { v.Customer.Name = "Acme Ltd" }, false},
		{"customer number", func(v *view) { v.Customer.Number = "C-9" }, false},
		{"customer role", func(v *view) { v.Customer.Role = access.Basic }, false},
		{"customer current", func(v *view) { v.Customer.Current = true }, false},
		{"switcher current", func(v *view) { v.Customers[0].Current, v.Customers[1].Current = false, true }, false},
		{"switcher name", func(v *view) { v.Customers[1].Name = "Beta Ltd" }, false},
		{"switcher role", func(v *view) { v.Customers[1].Role = access.Admin }, false},
		{"one customer fewer", func(v *view) { v.Customers = v.Customers[:1] }, false},
		{"menu active", func(v *view) { v.Menu[0].Active, v.Menu[1].Active = true, false }, false},
		{"menu label", func(v *view) { v.Menu[1].Label = "My orders" }, false},
		{"menu href", func(v *view) { v.Menu[1].Href = "/cc/orders/" }, false},
		{"menu entry fewer", func(v *view) { v.Menu = v.Menu[:1] }, false},
		{"name and login split elsewhere", func(v *view) { v.User.Name, v.User.Login = "Annann@", "example.com" }, false},
		{"request id", func(v *view) { v.RequestID = "r2" }, true},
		{"data", func(v *view) { v.Data = 2 }, true},
	}
	for _, tc := range tests {
		v := frameView()
		tc.change(v)
		got, ok := frameKey("orders", v)
		if !ok {
			t.Errorf("%s: frame not kept", tc.name)
		}
		if (got == base) != tc.same {
			t.Errorf("%s: same key = %v, want %v", tc.name, got == base, tc.same)
		}
	}
	if other, _ := frameKey("home", frameView()); other == base {
		t.Error("two templates share a frame key")
	}
	for name, change := range map[string]func(*view){
		"flash": func(v *view) { v.Flash = &flash{Kind: "ok", Text: "Saved."} },
		"stale": func(v *view) { v.Stale = "3 minutes" },
	} {
		v := frameView()
		change(v)
		if _, ok := frameKey("orders", v); ok {
			t.Errorf("a frame with a %s notice is kept", name)
		}
	}
}

func TestHomeKeyNamesEveryField(t *testing.T) {
	if n := reflect.TypeFor[homeData]().NumField(); n != 6 {
		t.Fatalf("homeData has %d fields; homeData.key and this test know 6", n)
	}
	base := homeData{ShowOrders: true, ShowInvoices: true, OrdersThisMonth: 3, InvoicesThisMonth: 12}
	for name, d := range map[string]homeData{
		"orders shown":   {ShowInvoices: true, OrdersThisMonth: 3, InvoicesThisMonth: 12},
		"invoices shown": {ShowOrders: true, OrdersThisMonth: 3, InvoicesThisMonth: 12},
		"due shown":      {ShowOrders: true, ShowInvoices: true, ShowDue: true, OrdersThisMonth: 3, InvoicesThisMonth: 12},
		"orders count":   {ShowOrders: true, ShowInvoices: true, OrdersThisMonth: 31, InvoicesThisMonth: 2},
		"invoices count": {ShowOrders: true, ShowInvoices: true, OrdersThisMonth: 3, InvoicesThisMonth: 13},
		"due amounts": {ShowOrders: true, ShowInvoices: true, OrdersThisMonth: 3, InvoicesThisMonth: 12,
			Due: []portal.Aging{{Currency: "BGN", Remaining: portal.Money{Value: 10, Currency: "BGN"}}}},
	} {
		if d.key() == base.key() {
			t.Errorf("%s: same key as %+v", name, base)
		}
	}
}

// testServer is a portal whose Erp.Net is never reached: enough to draw pages from given data.
func testServer(t *testing.T) *Server {
	t.Helper()
	cfg := config.Defaults()
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	cfg.PublicURL = "http://portal.test"
	cfg.Session.HashKey, cfg.Session.BlockKey = config.Secret(key), config.Secret(key)
	cfg.ErpNet.InstanceURL, cfg.ErpNet.ClientID, cfg.ErpNet.ClientSecret = "http://127.0.0.1:1", "id", "secret"
	in := config.DefaultInstance()
	in.Name, in.Title, in.EnterpriseCompany = "cc", "Client Center", "ORBIS"
	cfg.Instances = []config.Instance{in}
	s, err := NewServer(Deps{Config: &cfg, Logger: zap.NewNop(), Now: func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ordersContext is a request for the Orders page as a person of the given role sees it, and
// what it answers.
func ordersContext(s *Server, uri, cols, requestID string, role access.Role) (*gin.Context, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, uri, nil)
	if cols != "" {
		c.Request.AddCookie(&http.Cookie{Name: colsCookie(s.instances[0], "orders"), Value: cols})
	}
	c.Set(requestIDKey, requestID)
	c.Set(instanceKey, s.instances[0])
	vw := &portal.Viewer{UserID: "u1", Login: "ann@example.com", Name: "Ann <b>",
		Accesses: []portal.Access{{CustomerID: "c1", CustomerName: `Acme "&" Co`, CustomerNumber: "C-1", Role: role}}}
	vw.Current = &vw.Accesses[0]
	c.Set(viewerKey, vw)
	return c, w
}

func ordersData(version string) portal.Page[portal.OrderRow] {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	return portal.Page[portal.OrderRow]{Version: version, Total: 60, Totals: []portal.Money{{Value: 30.5, Currency: "BGN"}},
		Rows: []portal.OrderRow{
			{ID: "o1", Date: day, Type: "Sales order", Number: "SO-1", Status: portal.StatusNew, Amount: &portal.Money{Value: 10, Currency: "BGN"}},
			{ID: "o2", Date: day, Type: "Sales order", Number: `SO-2 <script>`, Status: portal.StatusCancelled, Notes: `"quoted" & more`},
		}}
}

// TestKeptOrdersPageIsTheDrawnOne: the Orders page kept whole (and its list kept on its own) is,
// byte for byte, what the layout draws from the same view, with each request's own id.
func TestKeptOrdersPageIsTheDrawnOne(t *testing.T) {
	s := testServer(t)
	in := s.instances[0]
	ls := ordersList(in.base)
	const uri = "/cc/orders?sort=number&dir=asc&page=2"
	drawn := func(cols, requestID string, role access.Role) string {
		c, _ := ordersContext(s, uri, cols, requestID, role)
		p, problems := parseListParams(c, ls, role, portal.OrderSortable)
		lv := buildList(c, ls, in, role, p, problems, ordersData("v1"))
		var buf bytes.Buffer
		if err := s.tmpl["orders"].ExecuteTemplate(&buf, "layout", s.page(c, "Orders", ordersPage{listView: lv})); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	kept := func(cols, requestID string, role access.Role, version string) string {
		c, w := ordersContext(s, uri, cols, requestID, role)
		p, problems := parseListParams(c, ls, role, portal.OrderSortable)
		lv, err := cachedList(c, ls, in, role, p, problems, ordersData(version))
		if err != nil {
			t.Fatal(err)
		}
		s.renderKept(c, http.StatusOK, "orders", s.page(c, "Orders", ordersPage{listView: lv}), lv.key)
		return w.Body.String()
	}
	tests := []struct {
		name, cols, requestID string
		role                  access.Role
		version               string
	}{
		{"first, drawn and kept", "", "req-1", access.OrdersWithPrices, "v1"},
		{"again, from the kept page", "", "req-2", access.OrdersWithPrices, "v1"},
		{"another role, same data", "", "req-3", access.Orders, "v1"},
		{"newer data", "", "req-4", access.OrdersWithPrices, "v2"},
		{"chosen columns", "number.date", "req-5", access.OrdersWithPrices, "v2"},
		{"the same columns, a role without prices", "number.date", "req-6", access.Orders, "v2"},
	}
	for _, tc := range tests {
		got, want := kept(tc.cols, tc.requestID, tc.role, tc.version), drawn(tc.cols, tc.requestID, tc.role)
		if got != want {
			t.Errorf("%s: the kept page differs from the drawn one\ngot:  %.400s\nwant: %.400s", tc.name, got, want)
		}
		if !strings.Contains(got, `<span class="code">`+tc.requestID+`</span>`) {
			t.Errorf("%s: the page does not show its request id %s", tc.name, tc.requestID)
		}
	}
	if n := s.frags.pages.len(); n != 5 {
		t.Errorf("%d pages kept, want 5 (one per role, columns and version)", n)
	}
}

// TestPageShowingItsRequestIDTwiceIsNotKept: a page is kept only when its request id can be put
// back in one place; otherwise every request gets it drawn, with its own id everywhere.
func TestPageShowingItsRequestIDTwiceIsNotKept(t *testing.T) {
	s := testServer(t)
	for _, id := range []string{"req-a", "req-b"} {
		c, w := ordersContext(s, "/cc/missing", "", id, access.Owner)
		v := s.page(c, "Not found", nil)
		v.Data = map[string]any{"Status": 404, "Heading": "Not found", "Message": "Nothing here."}
		s.renderKept(c, http.StatusNotFound, "error", v, "same data")
		body := w.Body.String()
		if got := strings.Count(body, id); got != 2 {
			t.Errorf("request %s: its id shows %d times, want 2 (page and footer)", id, got)
		}
		if strings.Contains(body, pageMark) {
			t.Errorf("request %s: the page shows the placeholder of the request id", id)
		}
	}
	if n := s.frags.pages.len(); n != 0 {
		t.Errorf("%d pages kept, want none", n)
	}
}
