package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestAdminCannotGrantAWiderHorizonThanTheirOwn: an Admin limited to 30 days back can neither
// add nor edit an access reaching further; the form says why by the field and keeps what was typed.
func TestAdminCannotGrantAWiderHorizonThanTheirOwn(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{})
	adminAcc := mustAccess(t, env, "admin@orbis.example")
	if status, body := env.APIDo(t, http.MethodPatch, "Crm_Sales_CustomerExternalAccess("+adminAcc.ID+")", map[string]any{"DaysBackAccess": 30}); status >= 300 {
		t.Fatalf("limiting the admin: %d %s", status, body)
	}
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	billing := mustAccess(t, env, "billing@orbis.example") // 365 days back
	version := strconv.Itoa(billing.ObjectVersion)
	tests := []struct {
		name, path string
		form       url.Values
		wantOK     bool
	}{
		{"add with unlimited", "/cc/users", addForm("spare@orbis.example", "L20", "", "typed"), false},
		{"add with 31", "/cc/users", addForm("spare@orbis.example", "L20", "31", "typed"), false},
		{"edit to unlimited", "/cc/users/" + billing.ID, url.Values{"role": {"L40"}, "days_back": {""}, "notes": {"typed"}, "version": {version}}, false},
		{"edit keeping 365", "/cc/users/" + billing.ID, url.Values{"role": {"L40"}, "days_back": {"365"}, "notes": {"typed"}, "version": {version}}, false},
		{"edit to 30", "/cc/users/" + billing.ID, url.Values{"role": {"L40"}, "days_back": {"30"}, "notes": {"typed"}, "version": {version}}, true},
		{"add with 30", "/cc/users", addForm("spare@orbis.example", "L20", "30", "typed"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := admin.Post(tt.path, tt.form)
			if tt.wantOK {
				if p.Status != http.StatusOK || p.Text(".notice.ok") == "" {
					t.Errorf("%s %q, want saved", p, p.Text(".notice"))
				}
				return
			}
			if p.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", p.Status)
			}
			if got, want := p.Text(`[data-error="days_back"]`), "than your own days back access"; !strings.Contains(got, want) &&
				!strings.Contains(got, "your own days back access is limited") {
				t.Errorf("days back error %q, want the reason", got)
			}
			if got, want := p.Doc.Find("input[name=days_back]").AttrOr("value", "?"), tt.form.Get("days_back"); got != want {
				t.Errorf("days back kept as %q, want %q", got, want)
			}
			if got := p.Doc.Find("textarea[name=notes]").Last().Text(); got != "typed" {
				t.Errorf("notes kept as %q, want %q", got, "typed")
			}
		})
	}
	if got := mustAccess(t, env, "billing@orbis.example"); got.DaysBackAccess == nil || *got.DaysBackAccess != 30 {
		t.Errorf("billing's access: %+v, want 30 days back", got)
	}
	if got, ok := accessOf(t, env, "spare@orbis.example")["C-1001"]; !ok || got.DaysBackAccess == nil || *got.DaysBackAccess != 30 {
		t.Errorf("spare's access: %+v %v, want 30 days back", got, ok)
	}
}

// TestRemovingSomeoneMadeOwnerMeanwhileIsRefused: removal reads the target's access again just
// before the delete, so an access made Owner in the ERP system after the list was shown stays.
func TestRemovingSomeoneMadeOwnerMeanwhileIsRefused(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: fixedClock(), Quiet: true})
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	rec := mustAccess(t, env, "basic@orbis.example")
	if row := userRowOf(admin.Get("/cc/users"), rec.ID); row.Find("[data-remove]").Length() != 1 {
		t.Fatalf("the list offers no Remove for basic@")
	}
	if status, body := env.APIDo(t, http.MethodPatch, "Crm_Sales_CustomerExternalAccess("+rec.ID+")", map[string]any{"Role": "Owner"}); status >= 300 {
		t.Fatalf("making basic@ an Owner: %d %s", status, body)
	}
	p := admin.Post("/cc/users/"+rec.ID+"/delete", nil)
	if !strings.Contains(p.Text(".notice.warn"), "An Owner's access cannot be revoked.") {
		t.Errorf("removing an Owner made meanwhile: %s %q", p, p.Text(".notice"))
	}
	if got := mustAccess(t, env, "basic@orbis.example"); got.Role != "Owner" {
		t.Errorf("basic@'s access after the refused removal: %+v", got)
	}
}
