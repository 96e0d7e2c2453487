package erpnetsim_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// TestObjectVersionIsTheAggregateRoots: an external-access record carries its customer's
// ObjectVersion, so a change to one access record of a customer makes a stale version of any
// other record of that customer fail, as on the real server.
func TestObjectVersionIsTheAggregateRoots(t *testing.T) {
	api := newAPI(t)
	cust := api.mainCustomer()
	rows := api.list("Crm_Sales_CustomerExternalAccess", url.Values{
		"$filter": {"Customer eq 'Crm_Sales_Customers(" + cust + ")'"}, "$select": {"Id,ObjectVersion,Notes"}})
	if len(rows.Value) < 2 {
		t.Fatalf("need two access records of the main customer, got %d", len(rows.Value))
	}
	a, b := rows.Value[0], rows.Value[1]
	customer := api.list("Crm_Sales_Customers", url.Values{"$filter": {"Id eq " + cust}, "$select": {"ObjectVersion"}})
	if got, want := a["ObjectVersion"], customer.Value[0]["ObjectVersion"]; got != want {
		t.Errorf("access ObjectVersion %v, customer's %v: want the same", got, want)
	}
	if status, body := api.do("PATCH", "Crm_Sales_CustomerExternalAccess("+a["Id"].(string)+")",
		map[string]any{"Notes": "changed", "ObjectVersion": a["ObjectVersion"]}); status != 204 {
		t.Fatalf("first change: %d %s", status, body)
	}
	// b was read before a changed: its version is now stale, though b itself did not change.
	status, body := api.do("PATCH", "Crm_Sales_CustomerExternalAccess("+b["Id"].(string)+")",
		map[string]any{"Notes": "changed too", "ObjectVersion": b["ObjectVersion"]})
	if status != 500 || !strings.Contains(string(body), "changed by another user") {
		t.Errorf("stale version of another record of the aggregate: %d %s, want the optimistic-locking error", status, body)
	}
}

// TestNestedObjectsNeedAnODataID: Erp.Net finds or merges a nested object without @odata.id;
// the simulator refuses one, so a client that would change a referenced record is caught.
func TestNestedObjectsNeedAnODataID(t *testing.T) {
	api := newAPI(t)
	refs := api.refs()
	body := map[string]any{
		"DocumentType": map[string]string{"@odata.id": refs["type"]}, "EnterpriseCompany@odata.bind": refs["ec"],
		"Customer": map[string]string{"Number": "C-1001"}, // found by code on the real server; refused here
	}
	status, resp := api.do("POST", "Crm_Sales_SalesOrders", body)
	if status != 500 || !strings.Contains(string(resp), "@odata.id") {
		t.Errorf("nested object without @odata.id: %d %s, want a refusal naming @odata.id", status, resp)
	}
}

// TestLinePricesOnlyInAFrontEndTransaction: Erp.Net calculates line prices only inside a
// front-end transaction (dev common-tasks/working-with-documents.md); a plain POST leaves
// UnitPrice at its default, 0, so a client that skips the transaction places orders at 0.
func TestLinePricesOnlyInAFrontEndTransaction(t *testing.T) {
	for _, inTx := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain POST", true: "in a transaction"}[inTx], func(t *testing.T) {
			api := newTxAPI(t, erpnetsim.Options{})
			refs := api.refs()
			tr := ""
			if inTx {
				tr = api.begin()
			}
			status, body := api.in(tr, "POST", "Crm_Sales_SalesOrders", newOrder("price-"+tr, refs, 2))
			if status != 201 {
				t.Fatalf("create: %d %s", status, body)
			}
			id := createdID(t, body)
			if inTx {
				api.end(tr, true)
			}
			_, body = api.in("", "GET", "Crm_Sales_SalesOrders("+id+")?$select=TotalLineAmount", nil)
			want := `"Value":0`
			if inTx {
				want = `"Value":69.8` // 2 kg × 34.90
			}
			if !strings.Contains(string(body), want) {
				t.Errorf("TotalLineAmount: %s, want %s", body, want)
			}
		})
	}
}
