package erpnetsim_test

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// A sales order's line changed or deleted on its own, outside a front-end transaction, keeps the
// order in step (its totals, its version, AggregateLastUpdateTimeUtc), and a line of a released
// order can no more be changed or deleted than the order itself.
func TestOrderLinesChangeWithTheirOrder(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tick := func() { mu.Lock(); now = now.Add(10 * time.Minute); mu.Unlock() }
	api := newTxAPI(t, erpnetsim.Options{Now: clock})
	refs := api.refs()
	status, body := api.in("", "POST", "Crm_Sales_SalesOrders", newOrder("line-test-1", refs, 2))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	id := createdID(t, body)
	path := "Crm_Sales_SalesOrders(" + id + ")"
	type order struct {
		ObjectVersion   int
		LastUpdate      time.Time `json:"AggregateLastUpdateTimeUtc"`
		TotalLineAmount struct{ Value float64 }
		Lines           []struct {
			ID         string `json:"Id"`
			UnitPrice  struct{ Value float64 }
			LineAmount struct{ Value float64 }
		}
	}
	read := func() order {
		t.Helper()
		status, body := api.in("", "GET", path+"?$select=ObjectVersion,AggregateLastUpdateTimeUtc,TotalLineAmount&$expand=Lines($select=Id,UnitPrice,LineAmount)", nil)
		var o order
		if status != http.StatusOK || json.Unmarshal(body, &o) != nil || len(o.Lines) == 0 {
			t.Fatalf("read: %d %s", status, body)
		}
		return o
	}
	before := read()
	if !before.LastUpdate.Equal(now) {
		t.Errorf("a new order's last update is %v, want %v", before.LastUpdate, now)
	}
	line := "Crm_Sales_SalesOrderLines(" + before.Lines[0].ID + ")"
	price := map[string]any{"UnitPrice": map[string]any{"Value": 5, "Currency": "BGN"}, "Quantity": map[string]any{"Value": 3, "Unit": "kg"}}
	// Outside a transaction the amounts, business rules of one, stay; the version and last update move.
	tick()
	if status, body := api.in("", "PATCH", line, price); status != http.StatusNoContent {
		t.Fatalf("patch a line: %d %s", status, body)
	}
	after := read()
	if after.Lines[0].LineAmount.Value != before.Lines[0].LineAmount.Value || after.TotalLineAmount.Value != before.TotalLineAmount.Value {
		t.Errorf("outside a transaction the amounts moved: line %v, order %v", after.Lines[0].LineAmount.Value, after.TotalLineAmount.Value)
	}
	if after.ObjectVersion <= before.ObjectVersion || !after.LastUpdate.Equal(clock()) {
		t.Errorf("a changed line left the order at version %d (was %d), last update %v", after.ObjectVersion, before.ObjectVersion, after.LastUpdate)
	}
	// In one, the line's amount follows its quantity at its price, and the order's totals follow.
	tick()
	tr := api.begin()
	if status, body := api.in(tr, "PATCH", line, price); status != http.StatusNoContent {
		t.Fatalf("patch a line in a transaction: %d %s", status, body)
	}
	if status, body := api.in(tr, "PATCH", path, map[string]any{"Lines": []map[string]any{{"Product": map[string]string{"@odata.id": refs["product"]}, "Quantity": map[string]any{"Value": 1, "Unit": "kg"}}}}); status != http.StatusNoContent {
		t.Fatalf("add a line: %d %s", status, body)
	}
	if status, body := api.in(tr, "DELETE", line, nil); status != http.StatusNoContent {
		t.Fatalf("delete a line: %d %s", status, body)
	}
	api.end(tr, true)
	last := read()
	if len(last.Lines) != 1 || last.Lines[0].LineAmount.Value == 0 || last.TotalLineAmount.Value != last.Lines[0].LineAmount.Value || !last.LastUpdate.After(after.LastUpdate) {
		t.Errorf("after a line was added and the first deleted in a transaction: %+v", last)
	}
	// Released, its lines are frozen.
	if status, body := api.in("", "POST", path+"/ChangeState", map[string]any{"newState": "Released"}); status != http.StatusOK && status != http.StatusNoContent {
		t.Fatalf("release: %d %s", status, body)
	}
	other := "Crm_Sales_SalesOrderLines(" + last.Lines[0].ID + ")"
	for _, m := range []string{"PATCH", "DELETE"} {
		status, body := api.in("", m, other, map[string]any{"Notes": "late"})
		if status < 400 || !strings.Contains(string(body), "released") {
			t.Errorf("%s a line of a released order: %d %s, want the document rule", m, status, body)
		}
	}
}

// An instance knows only the properties of its version: what the model says came later (a
// user's AdditionalDataJson, 26.3.100.4) is refused in a $select, a $filter and a write, and is
// in no answer, until the instance is of that version.
func TestPropertiesNewerThanTheInstanceAreUnknown(t *testing.T) {
	for _, tt := range []struct {
		version string
		known   bool
	}{{"", false}, {"26.3.100.4", true}} {
		api := newTxAPI(t, erpnetsim.Options{Version: tt.version})
		users := api.list("Systems_Security_Users", url.Values{"$top": {"1"}, "$select": {"Id"}})
		if len(users.Value) == 0 {
			t.Fatal("no users")
		}
		id, _ := users.Value[0]["Id"].(string)
		if id == "" {
			t.Fatalf("a user without its Id: %v", users.Value[0])
		}
		status, body := api.in("", "GET", "Systems_Security_Users("+id+")?$select=Id,AdditionalDataJson", nil)
		if got := status == http.StatusOK; got != tt.known {
			t.Errorf("version %q: $select AdditionalDataJson: %d %s", tt.version, status, body)
		}
		status, _ = api.in("", "PATCH", "Systems_Security_Users("+id+")", map[string]any{"AdditionalDataJson": `{"a":1}`})
		if got := status == http.StatusNoContent; got != tt.known {
			t.Errorf("version %q: PATCH AdditionalDataJson: %d", tt.version, status)
		}
		_, all := api.in("", "GET", "Systems_Security_Users("+id+")?$select=*", nil)
		if got := strings.Contains(string(all), "AdditionalDataJson"); got != tt.known {
			t.Errorf("version %q: $select=* has AdditionalDataJson: %v", tt.version, got)
		}
		status, body = api.in("", "GET", "GetVersion", nil)
		if want := cmp.Or(tt.version, erpnetsim.Version); status != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GetVersion: %d %s, want %s", status, body, want)
		}
	}
}
