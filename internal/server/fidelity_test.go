package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestOrdersSectionOffTurnsNewOrderOff: the vendor's IsOrdersEnabled covers the Orders section,
// New Order included, whatever IsNewOrderEnabled says.
func TestOrdersSectionOffTurnsNewOrderOff(t *testing.T) {
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
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	if p := b.Get("/cc/users"); !strings.Contains(p.Body, "&lt;basic@orbis.example&gt; [EXT]") {
		t.Errorf("the users page does not show a user as Name <login> [EXT]")
	}
}

// TestCCPagesSayWhatTheAdministratorDoes: the vendor's CC texts have a second sentence, for
// the tenant's administrator; the page shows both, in the person's language.
func TestCCPagesSayWhatTheAdministratorDoes(t *testing.T) {
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
