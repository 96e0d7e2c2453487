package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestOrdersSectionOffTurnsNewOrderOff: the vendor's IsOrdersEnabled covers the Orders section,
// New Order included, whatever IsNewOrderEnabled says.
func TestOrdersSectionOffTurnsNewOrderOff(t *testing.T) {
	t.Parallel()
	in := newOrderInstance(erpnetsim.SalesOrderTypeCode)
	in.IsOrdersEnabled = false
	env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	for _, path := range []string{"/cc/orders", "/cc/orders/new"} {
		if p := b.Get(path); p.Status != http.StatusNotFound {
			t.Errorf("%s with the Orders section off: %d, want 404", path, p.Status)
		}
	}
	if p := b.Get("/cc/"); strings.Contains(p.Body, `href="/cc/orders/new"`) {
		t.Error("the menu offers New Order with the Orders section off")
	}
}

// TestAddUserFormStartsFromTheModelsDefaults: the vendor's add-user form starts at L30 Orders with
// Prices and 30 days back (the model's defaults of the access record), within what the actor
// may grant.
func TestAddUserFormStartsFromTheModelsDefaults(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	for _, tt := range []struct{ login, role, days string }{
		{"owner@orbis.example", "L30", "30"},
		{"admin@orbis.example", "L30", "30"},
	} {
		b, _ := env.SignIn(t, "cc", tt.login)
		p := b.Get("/cc/users")
		form := p.Doc.Find(`form[action="/cc/users"]`)
		if got := form.Find("select[name=role] option[selected]").AttrOr("value", ""); got != tt.role {
			t.Errorf("%s: the add form starts at role %q, want %q", tt.login, got, tt.role)
		}
		if got := form.Find("input[name=days_back]").AttrOr("value", ""); got != tt.days {
			t.Errorf("%s: the add form starts at %q days back, want %q", tt.login, got, tt.days)
		}
	}
}

// TestUsersShowTheUserTypeByItsDatabaseCode: Erp.Net's Domain API says ExternalCommunityUser; the
// vendor's portal writes the user as "{Name} <{Login}> [EXT]".
func TestUsersShowTheUserTypeByItsDatabaseCode(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	if p := b.Get("/cc/users"); !strings.Contains(p.Body, "&lt;basic@orbis.example&gt; [EXT]") {
		t.Errorf("the users page does not show a user as Name <login> [EXT]")
	}
}

// TestCCPagesSayWhatTheAdministratorDoes: the vendor's CC texts have a second sentence, for
// the tenant's administrator; the page shows both, in the person's language.
func TestCCPagesSayWhatTheAdministratorDoes(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	_, p := env.SignIn(t, "cc", "norole@orbis.example")
	if p.Text("[data-code]") != "CC010" {
		t.Fatalf("a user without a role: code %q, want CC010", p.Text("[data-code]"))
	}
	if got, want := p.Text("[data-code-fix]"), "Please add the user to the Crm_Customer_External_Access table and assign an appropriate role."; !strings.Contains(got, want) {
		t.Errorf("CC010 page says %q, want the vendor's %q", got, want)
	}
}

// TestRefusalsInThePersonsLanguage: the portal's refusals are catalog keys with values, so a
// second cancel and a cancel of a released order read in Bulgarian on a Bulgarian page.
func TestRefusalsInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	open := orderIDs(t, env, "Customer/Number eq 'C-1001' and State le 'FirmPlanned' and Void eq false").Value[0]
	released := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'Released' and Void eq false").Value[0]
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}})
	version := b.Get("/cc/orders/"+open.ID).Doc.Find("form[data-confirm] input[name=version]").AttrOr("value", "")
	b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}})
	again := b.Post("/cc/orders/"+open.ID+"/cancel", url.Values{"version": {version}})
	if got, want := again.Text(".notice"), "Поръчка "+open.DocumentNo+" вече е отменена."; !strings.Contains(got, want) {
		t.Errorf("second cancel says %q, want %q", got, want)
	}
	refused := b.Post("/cc/orders/"+released.ID+"/cancel", url.Values{})
	if got := refused.Text(".notice"); !strings.Contains(got, "вече е пусната за доставка") {
		t.Errorf("cancel of a released order says %q, want it in Bulgarian", got)
	}
}

// docTypeID is the Id of a seeded document type, read from a simulator of the same seed (Ids
// are the same in every run), as a tenant copies it from Erp.Net into the settings.
func docTypeID(t *testing.T, code string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	erpnetsim.New(erpnetsim.Options{}).Oracle().ServeHTTP(rec, httptest.NewRequest(http.MethodGet,
		"/api/domain/odata/Systems_Documents_DocumentTypes?$select=Id&$filter="+url.QueryEscape("Code eq '"+code+"'"), nil))
	var out struct {
		Value []struct {
			ID string `json:"Id"`
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Value) != 1 {
		t.Fatalf("document type %s: %v %s", code, err, rec.Body.String())
	}
	return out.Value[0].ID
}

// TestDocumentTypeSettingsByID: the vendor's settings hold document type Ids. With Ids, New Order
// places orders of that type and the Orders list shows only the listed types.
func TestDocumentTypeSettingsByID(t *testing.T) {
	t.Parallel()
	so := docTypeID(t, "SO")
	in := newOrderInstance(so)
	in.OrderDocumentTypes = []string{so}
	env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	list := b.Get("/cc/orders?size=250")
	types := map[string]bool{}
	list.Doc.Find(`td[data-label="Type"]`).Each(func(_ int, s *goquery.Selection) { types[strings.TrimSpace(s.Text())] = true })
	if len(types) != 1 || !types["Sales Order"] {
		t.Errorf("order_document_types by Id: the list shows types %v, want only Sales Order (not Export Sales Order)", types)
	}
	page := addProductToForm(t, b, b.Get("/cc/orders/new"), "HW-004")
	if code := page.Text("[data-code]"); code != "" {
		t.Fatalf("New Order with new_order_document_type by Id: %s", code)
	}
	placed := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "place", "1"))
	if placedOrderID(placed) == "" {
		t.Fatalf("placing with a document type Id landed on %s: %q", placed, placed.Text("[data-problem]"))
	}
}
