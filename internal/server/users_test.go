package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// accessRecord is an external-access record as the simulator holds it.
type accessRecord struct {
	ID             string `json:"Id"`
	Role           string `json:"Role"`
	DaysBackAccess *int   `json:"DaysBackAccess"`
	Notes          string `json:"Notes"`
	ObjectVersion  int    `json:"ObjectVersion"`
	Customer       struct {
		Number string `json:"Number"`
	} `json:"Customer"`
}

// accessOf reads login's access records straight from the simulator, by customer number.
func accessOf(t *testing.T, env *testenv.Env, login string) map[string]accessRecord {
	t.Helper()
	var rows struct{ Value []accessRecord }
	filter := "User/Login eq '" + login + "'"
	env.API(t, "Crm_Sales_CustomerExternalAccess?$select=Id,Role,DaysBackAccess,Notes,ObjectVersion&$expand=Customer($select=Number)&$filter="+url.QueryEscape(filter), &rows)
	out := map[string]accessRecord{}
	for _, r := range rows.Value {
		out[r.Customer.Number] = r
	}
	return out
}

// mustAccess is login's access to the main customer.
func mustAccess(t *testing.T, env *testenv.Env, login string) accessRecord {
	t.Helper()
	r, ok := accessOf(t, env, login)["C-1001"]
	if !ok {
		t.Fatalf("%s has no access to C-1001", login)
	}
	return r
}

// userRow is the list row of an access record.
func userRowOf(p *testenv.Page, accessID string) *goquery.Selection {
	return p.Doc.Find(`tr[data-user="` + accessID + `"]`)
}

func addForm(email, role, days, notes string) url.Values {
	return url.Values{"email": {email}, "role": {role}, "days_back": {days}, "notes": {notes}}
}

// fixedClock stops time for the portal and the simulator: cached access never expires during
// the test, so only invalidation can make a change visible.
func fixedClock() func() time.Time {
	t := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	return func() time.Time { return t }
}

func TestUsersListShowsAccessAndAllowedButtons(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	page := admin.Get("/cc/users")
	if page.Status != 200 {
		t.Fatalf("users page: %s", page)
	}
	tests := []struct {
		login, display, role, days string
		self, edit, remove         bool
	}{
		{"admin@orbis.example", "Ana O'Neil <admin@orbis.example> [EXT]", "L80", "", true, false, false},
		{"owner@orbis.example", "Иван Петров <owner@orbis.example> [EXT]", "L90", "", false, false, false},
		{"billing@orbis.example", "Jürgen Groß <billing@orbis.example> [EXT]", "L40", "365", false, true, true},
		{"two@orbis.example", "Tereza Dvořák <two@orbis.example> [EXT]", "L80", "", false, true, true},
		{"basic@orbis.example", "Bob Basic <basic@orbis.example> [EXT]", "L10", "", false, true, true},
	}
	for _, tt := range tests {
		row := userRowOf(page, mustAccess(t, env, tt.login).ID)
		if row.Length() != 1 {
			t.Errorf("%s: no row", tt.login)
			continue
		}
		if got := row.Find("[data-display]").AttrOr("data-display", ""); got != tt.display {
			t.Errorf("%s: display %q, want %q", tt.login, got, tt.display)
		}
		if got := row.Find("[data-role]").AttrOr("data-role", ""); got != tt.role {
			t.Errorf("%s: role %q, want %q", tt.login, got, tt.role)
		}
		if got := row.Find("[data-days]").AttrOr("data-days", "?"); got != tt.days {
			t.Errorf("%s: days back %q, want %q", tt.login, got, tt.days)
		}
		if got := row.Find(".badge").Text() == "You"; got != tt.self {
			t.Errorf("%s: marked as self = %v", tt.login, got)
		}
		if got := row.Find("[data-edit]").Length() == 1; got != tt.edit {
			t.Errorf("%s: Edit shown = %v, want %v", tt.login, got, tt.edit)
		}
		if got := row.Find("[data-remove]").Length() == 1; got != tt.remove {
			t.Errorf("%s: Remove shown = %v, want %v", tt.login, got, tt.remove)
		}
		if tt.remove {
			want := "Are you sure you want to delete " + tt.display + "?"
			if got := row.Find("dialog [data-confirm-text]").Text(); got != want {
				t.Errorf("%s: confirmation %q, want %q", tt.login, got, want)
			}
		}
	}
	if userRowOf(page, accessOf(t, env, "mueller@orbis.example")["C-1002"].ID).Length() != 0 {
		t.Errorf("another customer's user is listed")
	}
	roles := func(p *testenv.Page) string {
		var out []string
		p.Doc.Find(`select[name=role] option`).Each(func(_ int, o *goquery.Selection) { out = append(out, o.AttrOr("value", "")) })
		return strings.Join(out, " ")
	}
	if got, want := roles(page), "L10 L20 L30 L40 L80"; got != want {
		t.Errorf("admin is offered roles %q, want %q", got, want)
	}
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	if got, want := roles(owner.Get("/cc/users")), "L10 L20 L30 L40 L80 L90"; got != want {
		t.Errorf("owner is offered roles %q, want %q", got, want)
	}
}

func TestUsersAddRefusalsKeepTheForm(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string // the whole message, or a part of it when partial
		exact bool
	}{
		{"unknown e-mail", addForm("nobody@orbis.example", "L40", "30", "New colleague"), "email",
			"No user was found with this email. Please check if you have entered the correct email address.", true},
		{"duplicate access", addForm("Billing@Orbis.example", "L20", "", ""), "email", "Jürgen Groß <billing@orbis.example> [EXT] already has access", false},
		{"admin cannot grant owner", addForm("spare@orbis.example", "L90", "", ""), "role", "You cannot grant a role above your own", false},
		{"no role", addForm("spare@orbis.example", "", "", ""), "role", "Choose a role.", true},
		{"not an e-mail", addForm("spare at orbis", "L10", "", ""), "email", "valid e-mail address", false},
		{"days back zero", addForm("spare@orbis.example", "L10", "0", ""), "days_back", "from 1 to 36500", false},
		{"days back too many", addForm("spare@orbis.example", "L10", "36501", ""), "days_back", "from 1 to 36500", false},
		{"days back not a number", addForm("spare@orbis.example", "L10", "1.5", ""), "days_back", "whole number", false},
		{"notes too long", addForm("spare@orbis.example", "L10", "", strings.Repeat("é", 1001)), "notes", "at most 1000 characters", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := admin.Post("/cc/users", tt.form)
			if page.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", page.Status)
			}
			got := page.Text(`[data-error="` + tt.field + `"]`)
			if tt.exact && got != tt.want || !tt.exact && !strings.Contains(got, tt.want) {
				t.Errorf("%s error = %q, want %q", tt.field, got, tt.want)
			}
			form := page.Doc.Find("#add form")
			if got := form.Find("input[name=email]").AttrOr("value", ""); got != tt.form.Get("email") {
				t.Errorf("e-mail kept as %q, want %q", got, tt.form.Get("email"))
			}
			if got := form.Find("input[name=days_back]").AttrOr("value", ""); got != tt.form.Get("days_back") {
				t.Errorf("days back kept as %q, want %q", got, tt.form.Get("days_back"))
			}
			if got := form.Find("textarea[name=notes]").Text(); got != tt.form.Get("notes") {
				t.Errorf("notes kept as %.40q, want %.40q", got, tt.form.Get("notes"))
			}
			if got := form.Find("select[name=role] option[selected]").AttrOr("value", ""); got != tt.form.Get("role") && tt.field != "role" {
				t.Errorf("role kept as %q, want %q", got, tt.form.Get("role"))
			}
		})
	}
	if _, ok := accessOf(t, env, "spare@orbis.example")["C-1001"]; ok {
		t.Errorf("a refused form created an access")
	}
	if got := mustAccess(t, env, "billing@orbis.example"); got.Role != "Billing" {
		t.Errorf("the duplicate changed the existing access: %+v", got)
	}
}

func TestUsersAdminAddsBilling(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	page := admin.Post("/cc/users", addForm("  SPARE@Orbis.Example ", "L40", "90", "Accounts payable"))
	if page.Status != 200 || !strings.HasSuffix(page.URL, "/cc/users") {
		t.Fatalf("after adding: %s", page)
	}
	if got, want := page.Text(".notice.ok"), "Sam Spare <spare@orbis.example> [EXT] can now use the Client Center as Billing."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	rec := mustAccess(t, env, "spare@orbis.example")
	if rec.Role != "Billing" || rec.DaysBackAccess == nil || *rec.DaysBackAccess != 90 || rec.Notes != "Accounts payable" {
		t.Errorf("created access %+v", rec)
	}
	row := userRowOf(page, rec.ID)
	if row.Find("[data-role]").AttrOr("data-role", "") != "L40" || row.Find("[data-days]").AttrOr("data-days", "") != "90" {
		t.Errorf("the list does not show the new access: %q", row.Text())
	}
	// Empty days back is unlimited, not Erp.Net's default of 30 days.
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	owner.Post("/cc/users/"+rec.ID+"/delete", nil)
	owner.Post("/cc/users", addForm("spare@orbis.example", "L90", "", ""))
	if rec := mustAccess(t, env, "spare@orbis.example"); rec.Role != "Owner" || rec.DaysBackAccess != nil {
		t.Errorf("owner's grant: %+v, want Owner with unlimited days back", rec)
	}
}

func TestUserChangesTakeEffectOnTheirNextRequest(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: fixedClock(), Quiet: true})
	spare, page := env.SignIn(t, "cc", "spare@orbis.example")
	if page.Status != 403 || page.Text("[data-code]") != "CC010" {
		t.Fatalf("spare before being added: %s %q", page, page.Text("[data-code]"))
	}
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	admin.Post("/cc/users", addForm("spare@orbis.example", "L20", "", ""))
	if p := spare.Get("/cc/orders"); p.Status != 200 {
		t.Fatalf("spare after being added as Orders: %s, want 200", p)
	}
	id := mustAccess(t, env, "spare@orbis.example").ID
	edit := admin.Get("/cc/users/" + id + "/edit")
	version := edit.Doc.Find("input[name=version]").AttrOr("value", "")
	p := admin.Post("/cc/users/"+id, url.Values{"role": {"L10"}, "days_back": {""}, "notes": {""}, "version": {version}})
	if !strings.Contains(p.Text(".notice.ok"), "is now Basic") {
		t.Fatalf("lowering to Basic: %s %q", p, p.Text(".notice"))
	}
	if p := spare.Get("/cc/orders"); p.Status != 403 {
		t.Errorf("spare's orders after being lowered to Basic: %s, want 403", p)
	}
	if p := spare.Get("/cc/"); p.Status != 200 {
		t.Errorf("spare's home as Basic: %s, want 200", p)
	}
	admin.Post("/cc/users/"+id+"/delete", nil)
	if p := spare.Get("/cc/"); p.Status != 403 || p.Text("[data-code]") != "CC010" {
		t.Errorf("spare after removal: %s %q, want 403 CC010", p, p.Text("[data-code]"))
	}
	var users struct{ Value []struct{ Login string } }
	env.API(t, "Systems_Security_Users?$filter="+url.QueryEscape("Login eq 'spare@orbis.example'"), &users)
	if len(users.Value) != 1 {
		t.Errorf("removing the access removed the Erp.Net user")
	}
}

func TestUserEditRules(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	ownerAcc := mustAccess(t, env, "owner@orbis.example")
	adminAcc := mustAccess(t, env, "admin@orbis.example")
	billing := mustAccess(t, env, "billing@orbis.example")
	form := func(role, version string) url.Values {
		return url.Values{"role": {role}, "days_back": {"10"}, "notes": {"x"}, "version": {version}}
	}
	v := func(r accessRecord) string { return strconv.Itoa(r.ObjectVersion) }
	tests := []struct {
		name   string
		b      *testenv.Browser
		method string
		path   string
		form   url.Values
		want   string
	}{
		{"admin opens an owner's edit form", admin, "GET", "/cc/users/" + ownerAcc.ID + "/edit", nil, "An Owner cannot be changed, by anyone."},
		{"admin lowers an owner", admin, "POST", "/cc/users/" + ownerAcc.ID, form("L10", v(ownerAcc)), "An Owner cannot be changed, by anyone."},
		{"owner edits their own", owner, "POST", "/cc/users/" + ownerAcc.ID, form("L80", v(ownerAcc)), "You cannot change your own role"},
		{"admin edits their own", admin, "POST", "/cc/users/" + adminAcc.ID, form("L10", v(adminAcc)), "You cannot change your own role"},
		{"admin removes an owner", admin, "POST", "/cc/users/" + ownerAcc.ID + "/delete", nil, "An Owner's access cannot be revoked."},
		{"admin opens an owner's removal", admin, "GET", "/cc/users/" + ownerAcc.ID + "/delete", nil, "An Owner's access cannot be revoked."},
		{"owner removes themselves", owner, "POST", "/cc/users/" + ownerAcc.ID + "/delete", nil, "You cannot remove your own access."},
		{"admin removes themselves", admin, "POST", "/cc/users/" + adminAcc.ID + "/delete", nil, "You cannot remove your own access."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *testenv.Page
			if tt.method == "GET" {
				p = tt.b.Get(tt.path)
			} else {
				p = tt.b.Post(tt.path, tt.form)
			}
			if p.Status != 200 || !strings.HasSuffix(p.URL, "/cc/users") || !strings.Contains(p.Text(".notice.warn"), tt.want) {
				t.Errorf("%s: %q, want back on the list with %q", p, p.Text(".notice"), tt.want)
			}
		})
	}
	if got := mustAccess(t, env, "owner@orbis.example"); got.Role != "Owner" || got.ObjectVersion != ownerAcc.ObjectVersion {
		t.Errorf("the owner's access changed: %+v", got)
	}
	if got := mustAccess(t, env, "admin@orbis.example"); got.Role != "Admin" || got.ObjectVersion != adminAcc.ObjectVersion {
		t.Errorf("the admin's access changed: %+v", got)
	}

	// An Admin cannot promote to Owner; the form says so by the role and keeps what was typed.
	p := admin.Post("/cc/users/"+billing.ID, url.Values{"role": {"L90"}, "days_back": {"77"}, "notes": {"typed"}, "version": {v(billing)}})
	if p.Status != 422 || !strings.Contains(p.Text(`[data-error="role"]`), "above your own") ||
		p.Doc.Find("input[name=days_back]").AttrOr("value", "") != "77" || p.Doc.Find("textarea[name=notes]").Text() != "typed" {
		t.Errorf("admin promotes to owner: %s %q", p, p.Text(`[data-error="role"]`))
	}
	if p.Doc.Find(`select[name=role] option[value=L90]`).Length() != 0 {
		t.Errorf("the admin's edit form offers Owner")
	}

	// A stale version changes nothing and says so; saving again from that form applies it.
	env.APIDo(t, http.MethodPatch, "Crm_Sales_CustomerExternalAccess("+billing.ID+")", map[string]any{"Notes": "changed in the ERP"})
	p = admin.Post("/cc/users/"+billing.ID, url.Values{"role": {"L30"}, "days_back": {"20"}, "notes": {"mine"}, "version": {v(billing)}})
	if p.Status != 422 || !strings.Contains(p.Text(`[data-error="form"]`), "changed meanwhile") {
		t.Fatalf("stale version: %s %q", p, p.Text(`[data-error="form"]`))
	}
	if got := mustAccess(t, env, "billing@orbis.example"); got.Notes != "changed in the ERP" || got.Role != "Billing" {
		t.Errorf("a stale form changed the access: %+v", got)
	}
	if p.Doc.Find("input[name=days_back]").AttrOr("value", "") != "20" || p.Doc.Find("textarea[name=notes]").Text() != "mine" {
		t.Errorf("the stale form lost what was typed")
	}
	again := url.Values{"role": {"L30"}, "days_back": {"20"}, "notes": {"mine"}, "version": {p.Doc.Find("input[name=version]").AttrOr("value", "")}}
	if p := admin.Post("/cc/users/"+billing.ID, again); !strings.Contains(p.Text(".notice.ok"), "is now Orders with Prices, 20 days back") {
		t.Errorf("saving again: %s %q", p, p.Text(".notice"))
	}
	if got := mustAccess(t, env, "billing@orbis.example"); got.Role != "OrdersWithPrices" || got.DaysBackAccess == nil || *got.DaysBackAccess != 20 || got.Notes != "mine" {
		t.Errorf("after saving again: %+v", got)
	}
}

func TestUserRemoveConfirmation(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	id := mustAccess(t, env, "basic@orbis.example").ID
	// Without JavaScript the list's Remove button asks first, on its own page.
	p := admin.Post("/cc/users/"+id+"/delete", url.Values{"ask": {"1"}})
	want := "Are you sure you want to delete Bob Basic <basic@orbis.example> [EXT]?"
	if p.Status != 200 || p.Text("[data-confirm-text]") != want {
		t.Fatalf("no-JS removal: %s %q, want the confirmation %q", p, p.Text("[data-confirm-text]"), want)
	}
	if _, ok := accessOf(t, env, "basic@orbis.example")["C-1001"]; !ok {
		t.Fatalf("asking removed the access")
	}
	action := p.Doc.Find("main form[method=post]").Last().AttrOr("action", "")
	p = admin.Post(action, url.Values{})
	if !strings.Contains(p.Text(".notice.ok"), "no longer has access") {
		t.Errorf("confirmed removal: %s %q", p, p.Text(".notice"))
	}
	if _, ok := accessOf(t, env, "basic@orbis.example")["C-1001"]; ok {
		t.Errorf("the access is still there")
	}
	if p := admin.Get("/cc/users/" + id + "/delete"); p.Status != 404 {
		t.Errorf("the removed access: %s, want 404", p)
	}
}

func TestUsersOfOtherCustomersAre404(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	foreign := accessOf(t, env, "mueller@orbis.example")["C-1002"]
	for _, id := range []string{foreign.ID, "00000000-0000-4000-8000-000000000000", "not-an-id"} {
		tests := []struct {
			method, path string
		}{
			{"GET", "/cc/users/" + id + "/edit"},
			{"POST", "/cc/users/" + id},
			{"GET", "/cc/users/" + id + "/delete"},
			{"POST", "/cc/users/" + id + "/delete"},
		}
		for _, tt := range tests {
			var p *testenv.Page
			if tt.method == "GET" {
				p = admin.Get(tt.path)
			} else {
				p = admin.Post(tt.path, url.Values{"role": {"L10"}, "days_back": {""}, "notes": {""}, "version": {strconv.Itoa(foreign.ObjectVersion)}})
			}
			if p.Status != 404 {
				t.Errorf("%s %s: %s, want 404", tt.method, tt.path, p)
			}
		}
	}
	if got := accessOf(t, env, "mueller@orbis.example")["C-1002"]; got.Role != "Owner" || got.ObjectVersion != foreign.ObjectVersion {
		t.Errorf("another customer's access changed: %+v", got)
	}
}

func TestUsersRoutesNeedAdmin(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	id := mustAccess(t, env, "basic@orbis.example").ID
	tests := []struct{ method, path string }{
		{"GET", "/cc/users"},
		{"POST", "/cc/users"},
		{"GET", "/cc/users/" + id + "/edit"},
		{"POST", "/cc/users/" + id},
		{"GET", "/cc/users/" + id + "/delete"},
		{"POST", "/cc/users/" + id + "/delete"},
	}
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	for _, tt := range tests {
		var p *testenv.Page
		if tt.method == "GET" {
			p = billing.Get(tt.path)
		} else {
			p = billing.Post(tt.path, addForm("spare@orbis.example", "L10", "", ""))
		}
		if p.Status != 403 {
			t.Errorf("L40 %s %s: %s, want 403", tt.method, tt.path, p)
		}
	}
	if _, ok := accessOf(t, env, "basic@orbis.example")["C-1001"]; !ok {
		t.Errorf("L40 removed an access")
	}
	if _, ok := accessOf(t, env, "spare@orbis.example")["C-1001"]; ok {
		t.Errorf("L40 added an access")
	}
}

// The Users page shows people as people (the name, and beneath it the login and the user type),
// keeps Edit and Remove in a menu per row, says next to the role picker what each role opens on
// this instance, and, for an e-mail no ERP user has, says what to do and whom to ask.
func TestUsersPageReadsAsPeople(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true, Configure: func(c *config.Config) {
		c.Instances[0].Support.Email = "help@supplier.example"
	}})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	page := admin.Get("/cc/users")
	row := userRowOf(page, mustAccess(t, env, "billing@orbis.example").ID)
	if got := row.Find("[data-name]").Text(); got != "Jürgen Groß" {
		t.Errorf("name %q, want the person's name alone", got)
	}
	if got := strings.Join(strings.Fields(row.Find("[data-login]").Text()), " "); got != "billing@orbis.example [EXT]" {
		t.Errorf("beneath the name %q, want the login and [EXT]", got)
	}
	if row.Find("details.row-menu [data-edit]").Length() != 1 || row.Find("details.row-menu [data-remove]").Length() != 1 {
		t.Errorf("Edit and Remove are not in the row's menu")
	}
	sees := func(code string) string { return page.Text(`[data-role-help] [data-role-sees="` + code + `"]`) }
	if got := sees("L40"); !strings.Contains(got, "Invoices") || !strings.Contains(got, "Due payments") || strings.Contains(got, "Managing users") {
		t.Errorf("L40 sees %q, want invoices and due payments, not managing users", got)
	}
	if got := sees("L10"); strings.Contains(got, "Orders") || !strings.Contains(got, "Home") {
		t.Errorf("L10 sees %q, want Home only", got)
	}
	if strings.Contains(sees("L80"), "New orders") {
		t.Errorf("New orders are offered on an instance without New Order")
	}
	if id := page.Doc.Find("#uf-role").AttrOr("aria-describedby", ""); !strings.Contains(id, "uf-role-help") {
		t.Errorf("the role picker is not described by the roles' explanation: %q", id)
	}
	if page.Doc.Find("[data-unknown-email]").Length() != 0 {
		t.Errorf("the unknown e-mail help shows before anything was typed")
	}
	refused := admin.Post("/cc/users", addForm("nobody@orbis.example", "L40", "30", ""))
	help := refused.Doc.Find("[data-unknown-email]")
	if help.Length() != 1 || help.Find(`a[href="mailto:help@supplier.example"]`).Length() != 1 {
		t.Errorf("an unknown e-mail: no help naming whom to ask (%q)", help.Text())
	}
}
