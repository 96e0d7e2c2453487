package portal

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestUserInputValidate(t *testing.T) {
	tests := []struct {
		name   string
		in     UserInput
		adding bool
		bad    []string // the fields refused
		days   string   // the days back accepted, "" for unlimited
	}{
		{"all good", UserInput{Email: " a@b.example ", Role: "L40", DaysBack: " 90 ", Notes: "x"}, true, nil, "90"},
		{"API role name", UserInput{Email: "a@b.example", Role: "Billing"}, true, nil, ""},
		{"unlimited", UserInput{Role: "L10", DaysBack: ""}, false, nil, ""},
		{"bounds", UserInput{Role: "L10", DaysBack: "36500"}, false, nil, "36500"},
		{"one day", UserInput{Role: "L10", DaysBack: "1"}, false, nil, "1"},
		{"edit needs no e-mail", UserInput{Role: "L20"}, false, nil, ""},
		{"missing e-mail", UserInput{Role: "L10"}, true, []string{"email"}, ""},
		{"display-name e-mail", UserInput{Email: "Sam <sam@b.example>", Role: "L10"}, true, []string{"email"}, ""},
		{"unknown role", UserInput{Role: "L50"}, false, []string{"role"}, ""},
		{"zero days", UserInput{Role: "L10", DaysBack: "0"}, false, []string{"days_back"}, ""},
		{"negative days", UserInput{Role: "L10", DaysBack: "-5"}, false, []string{"days_back"}, ""},
		{"too many days", UserInput{Role: "L10", DaysBack: "36501"}, false, []string{"days_back"}, ""},
		{"fraction", UserInput{Role: "L10", DaysBack: "2.5"}, false, []string{"days_back"}, ""},
		{"1000 characters", UserInput{Role: "L10", Notes: strings.Repeat("ж", 1000)}, false, nil, ""},
		{"1001 characters", UserInput{Role: "L10", Notes: strings.Repeat("ж", 1001)}, false, []string{"notes"}, ""},
		{"everything wrong", UserInput{Email: "nope", Role: "", DaysBack: "x", Notes: strings.Repeat("n", 1001)}, true,
			[]string{"email", "role", "days_back", "notes"}, ""},
	}
	for _, tt := range tests {
		ch, fe := tt.in.validate(tt.adding)
		var got []string
		if fe != nil {
			for _, f := range []string{"email", "role", "days_back", "notes"} {
				if fe.Fields[f] != "" {
					got = append(got, f)
				}
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.bad, ",") {
			t.Errorf("%s: refused fields %v, want %v", tt.name, got, tt.bad)
		}
		if fe == nil && daysText(ch.daysBack) != tt.days {
			t.Errorf("%s: days back %q, want %q", tt.name, daysText(ch.daysBack), tt.days)
		}
	}
}

// newSimService is a Service against a fresh simulator, logging to an observer.
func newSimService(t *testing.T) (*Service, *observer.ObservedLogs) {
	t.Helper()
	srv := httptest.NewServer(erpnetsim.New(erpnetsim.Options{}))
	t.Cleanup(srv.Close)
	client, err := erpnet.NewClient(context.Background(), erpnet.Config{InstanceURL: srv.URL,
		ClientID: erpnetsim.DemoClientID, ClientSecret: erpnetsim.DemoClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zapcore.InfoLevel)
	inst := config.DefaultInstance()
	inst.Title, inst.EnterpriseCompany = "Client Center", erpnetsim.EnterpriseCompanyName
	return New(Deps{Instance: inst, ERP: client, Cache: cache.New(cache.Config{}), Logger: zap.New(core)}), logs
}

// viewerFor signs login in as the portal does and acts for their first customer.
func viewerFor(t *testing.T, s *Service, login string) *Viewer {
	t.Helper()
	ctx := context.Background()
	u, err := s.FindUser(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Viewer(ctx, Who{UserID: u.ID, Login: u.Login, Name: u.Name})
	if err != nil {
		t.Fatal(err)
	}
	v.Current = &v.Accesses[0]
	return v
}

func TestUserWritesAreAuditedOnce(t *testing.T) {
	s, logs := newSimService(t)
	ctx := context.Background()
	v := viewerFor(t, s, "admin@orbis.example")

	// Refusals change nothing and log no change.
	if _, err := s.AddUser(ctx, v, UserInput{Email: "nobody@orbis.example", Role: "L10"}); err == nil {
		t.Fatal("an unknown e-mail was accepted")
	}
	u, err := s.AddUser(ctx, v, UserInput{Email: "spare@orbis.example", Role: "L40", DaysBack: "90"})
	if err != nil {
		t.Fatal(err)
	}
	now, err := s.GetUser(ctx, v, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(ctx, v, u.ID, UserInput{Role: "L10", Version: strconv.Itoa(now.ObjectVersion)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveUser(ctx, v, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUser(ctx, v, u.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after removal GetUser = %v, want ErrNotFound", err)
	}
	entries := logs.FilterMessage("user access changed").All()
	want := []map[string]any{
		{"action": "add", "role_before": "", "days_back_before": "", "role_after": "L40 Billing", "days_back_after": "90"},
		{"action": "edit", "role_before": "L40 Billing", "days_back_before": "90", "role_after": "L10 Basic", "days_back_after": "unlimited"},
		{"action": "remove", "role_before": "L10 Basic", "days_back_before": "unlimited", "role_after": "", "days_back_after": ""},
	}
	if len(entries) != len(want) {
		t.Fatalf("%d audit events, want %d", len(entries), len(want))
	}
	for i, e := range entries {
		got := e.ContextMap()
		if e.Level != zapcore.InfoLevel || got["user"] != "admin@orbis.example" || got["customer"] != "C-1001" || got["target"] != "spare@orbis.example" {
			t.Errorf("event %d: %v %v", i, e.Level, got)
		}
		for k, w := range want[i] {
			if got[k] != w {
				t.Errorf("event %d: %s = %q, want %q", i, k, got[k], w)
			}
		}
	}
}

func TestRemoveUserRefusesOwnersAndSelf(t *testing.T) {
	s, logs := newSimService(t)
	ctx := context.Background()
	owner := viewerFor(t, s, "owner@orbis.example")
	admin := viewerFor(t, s, "admin@orbis.example")
	tests := []struct {
		name string
		v    *Viewer
		id   string
	}{
		{"owner removes themselves", owner, owner.Current.ID},
		{"admin removes the owner", admin, owner.Current.ID},
		{"admin removes themselves", admin, admin.Current.ID},
	}
	for _, tt := range tests {
		var d *access.Denial
		if _, err := s.RemoveUser(ctx, tt.v, tt.id); !errors.As(err, &d) || d.Reason == "" {
			t.Errorf("%s: err = %v, want a Denial with a reason", tt.name, err)
		}
		if _, err := s.GetUser(ctx, tt.v, tt.id); err != nil {
			t.Errorf("%s: the access is gone: %v", tt.name, err)
		}
	}
	if n := logs.FilterMessage("user access changed").Len(); n != 0 {
		t.Errorf("%d audit events for refused changes", n)
	}
}

// TestRoleProbeFailureIsNotRepeatedAtOnce: while Erp.Net is down, the probe of its roles fails
// once and is not asked again for a while, so User Management pages do not each wait for it.
func TestRoleProbeFailureIsNotRepeatedAtOnce(t *testing.T) {
	s, sim := roleProbeService(t)
	sim.SetFaults(erpnetsim.Faults{Outage: true})
	if _, err := s.roleSet(t.Context()); err == nil {
		t.Fatal("the probe succeeded while Erp.Net was down")
	}
	calls := sim.TotalAPICalls()
	if _, err := s.roleSet(t.Context()); !errors.Is(err, errRolesUnknown) {
		t.Errorf("second probe: %v, want errRolesUnknown at once", err)
	}
	if got := sim.TotalAPICalls(); got != calls {
		t.Errorf("the failed probe was asked again at once (%d more calls)", got-calls)
	}
}

// roleProbeService is a Service against a fresh simulator it returns too, for its knobs.
func roleProbeService(t *testing.T) (*Service, *erpnetsim.Sim) {
	t.Helper()
	sim := erpnetsim.New(erpnetsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := erpnet.NewClient(context.Background(), erpnet.Config{InstanceURL: srv.URL,
		ClientID: erpnetsim.DemoClientID, ClientSecret: erpnetsim.DemoClientSecret, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	inst := config.DefaultInstance()
	inst.EnterpriseCompany = erpnetsim.EnterpriseCompanyName
	return New(Deps{Instance: inst, ERP: client, Cache: cache.New(cache.Config{})}), sim
}
