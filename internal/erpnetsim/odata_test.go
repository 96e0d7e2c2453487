package erpnetsim_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// apiClient talks to a simulated instance over HTTP only, as a real client would.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

var fixedNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newAPI(t *testing.T) *apiClient {
	t.Helper()
	srv := httptest.NewServer(erpnetsim.New(erpnetsim.Options{Now: func() time.Time { return fixedNow }}))
	t.Cleanup(srv.Close)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {erpnetsim.DemoClientID}, "client_secret": {erpnetsim.DemoClientSecret}}
	resp, err := http.PostForm(srv.URL+"/id/connect/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: status %d, err %v", resp.StatusCode, err)
	}
	return &apiClient{t: t, base: srv.URL + "/api/domain/odata/", token: tok.AccessToken}
}

func (c *apiClient) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = c.base + path
	}
	req, _ := http.NewRequest(method, target, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

type collection struct {
	Value    []map[string]any `json:"value"`
	Count    *int             `json:"@odata.count"`
	NextLink string           `json:"@odata.nextLink"`
}

func (c *apiClient) list(set string, q url.Values) collection {
	c.t.Helper()
	status, body := c.do("GET", set+"?"+strings.ReplaceAll(q.Encode(), "+", "%20"), nil)
	if status != 200 {
		c.t.Fatalf("GET %s?%s: status %d: %s", set, q.Encode(), status, body)
	}
	var col collection
	if err := json.Unmarshal(body, &col); err != nil {
		c.t.Fatal(err)
	}
	return col
}

// mainCustomer finds the seeded main customer's Id.
func (c *apiClient) mainCustomer() string {
	col := c.list("Crm_Sales_Customers", url.Values{"$filter": {"Number eq '" + erpnetsim.MainCustomerNumber + "'"}, "$select": {"Id"}})
	if len(col.Value) != 1 {
		c.t.Fatalf("main customer: got %d rows", len(col.Value))
	}
	return col.Value[0]["Id"].(string)
}

func TestFilterGrammar(t *testing.T) {
	api := newAPI(t)
	cust := api.mainCustomer()
	accepted := []string{
		"Customer eq 'Crm_Sales_Customers(" + cust + ")'",
		"Customer eq 'Crm_Sales_Customers(" + cust + ")' and DocumentDate ge 2025-01-01Z and DocumentDate le 2026-12-31Z",
		"State in ('FirmPlanned','Released')",
		"State ge 'Released'",
		"startswith(DocumentNo,'SO-')",
		"endswith(CustomerPurchaseOrderNo,'1')",
		"(Void eq false) and (State le 'FirmPlanned')",
		"Id in (" + cust + ", 00000000-0000-4000-8000-000000000000)",
		"CustomerPurchaseOrderNo eq 'O''Neil'",
		"DocumentDate ge 2026-01-01",
		"PaymentDueDate le 2026-01-01T10:00:00+02:00",
	}
	for _, f := range accepted {
		status, body := api.do("GET", "Crm_Sales_SalesOrders?$top=1&$filter="+url.QueryEscape(f), nil)
		if status != 200 {
			t.Errorf("filter %q: got status %d (%s), want 200", f, status, body)
		}
	}
	refused := map[string]string{
		"DocumentNo eq 'A' or DocumentNo eq 'B'": "or",
		"DocumentNo ne 'A'":                      "ne",
		"DocumentDate gt 2026-01-01":             "gt",
		"DocumentDate lt 2026-01-01":             "lt",
		// The model's rules: NotFilterable, an operator the attribute does not list, a path
		// through a reference that is not a Filterable Reference.
		"AmountToPayValue ge 5":              "not filterable",
		"contains(DocumentNotes,'gate')":     "not filterable",
		"DocumentNotes eq 'O''Neil'":         "not filterable",
		"Customer/Number eq 'C-1001'":        "not a filterable reference",
		"DocumentType/Code in ('SO')":        "not a filterable reference",
		"DocumentNo in ('SO-1','SO-2')":      "EqualsIn",
		"RequiredDeliveryDate eq 2026-01-01": "Equals",
		"not (Void eq true)":                 "not",
		"DocumentNo eq":                      "end",
		"NoSuchProperty eq 1":                "NoSuchProperty",
		"contains(DocumentNo,'x'":            "end",
		"DocumentNo eq 'unterminated":        "Unterminated",
		"AmountToPay ge 5":                   "AmountToPayValue",
		"Customer ge 'x'":                    "not supported",
		"DocumentNo eq 'a' DocumentNo":       "DocumentNo",
	}
	for f, want := range refused {
		status, body := api.do("GET", "Crm_Sales_SalesOrders?$filter="+url.QueryEscape(f), nil)
		if status != 400 || !strings.Contains(string(body), want) || !strings.Contains(string(body), `"error"`) {
			t.Errorf("filter %q: got %d %s, want 400 mentioning %q", f, status, body, want)
		}
	}
	// $orderby only where the model says "Supports Order By: True"; pages of at most 1000.
	for q, want := range map[string]string{
		"$orderby=State":                "does not support ordering",
		"$orderby=RequiredDeliveryDate": "does not support ordering",
		"$orderby=AmountToPay":          "does not support ordering",
		"$top=1001":                     "page size limit",
	} {
		status, body := api.do("GET", "Crm_Sales_SalesOrders?"+q, nil)
		if status != 400 || !strings.Contains(string(body), want) {
			t.Errorf("%s: got %d %s, want 400 mentioning %q", q, status, body, want)
		}
	}
	// An ML property compares only through contains.
	if status, _ := api.do("GET", "General_Products_Products?$filter="+url.QueryEscape("Name eq 'x'"), nil); status != 400 {
		t.Errorf("eq on a multi-language property: got %d, want 400", status)
	}
	col := api.list("General_Products_Products", url.Values{"$filter": {"contains(Name,'кафе')"}})
	if len(col.Value) == 0 {
		t.Errorf("contains on a Bulgarian name found nothing")
	}
}

func TestFilterSemantics(t *testing.T) {
	api := newAPI(t)
	cust := api.mainCustomer()
	byCustomer := "Customer eq 'Crm_Sales_Customers(" + cust + ")'"
	all := api.list("Crm_Sales_SalesOrders", url.Values{"$filter": {byCustomer}, "$count": {"true"}, "$top": {"0"}})
	released := api.list("Crm_Sales_SalesOrders", url.Values{"$filter": {byCustomer + " and State ge 'Released'"}, "$select": {"State"}})
	for _, o := range released.Value {
		if s := o["State"]; s != "Released" && s != "Completed" && s != "Closed" {
			t.Errorf("State ge 'Released' returned %v", s)
		}
	}
	if all.Count == nil || *all.Count < 300 || len(released.Value) == 0 || len(released.Value) >= *all.Count {
		t.Fatalf("counts: all %v, released %d", all.Count, len(released.Value))
	}
	big := api.list("Finance_Payments_PaymentOrders", url.Values{"$filter": {"TotalAmountValue ge 1000"}, "$select": {"TotalAmount"}})
	for _, o := range big.Value {
		if v := o["TotalAmount"].(map[string]any)["Value"].(float64); v < 1000 {
			t.Errorf("TotalAmountValue ge 1000 returned %v", v)
		}
	}
	// SalesOrderLines.SalesOrder is a Filterable Reference: a path through it works.
	lines := api.list("Crm_Sales_SalesOrderLines", url.Values{"$filter": {"SalesOrder/State ge 'Released'"}, "$expand": {"SalesOrder"}, "$top": {"50"}})
	for _, l := range lines.Value {
		if st := l["SalesOrder"].(map[string]any)["State"]; st != "Released" && st != "Completed" && st != "Closed" {
			t.Errorf("navigation filter returned an order in state %v", st)
		}
	}
}

func TestPagingReachesLastRowOnce(t *testing.T) {
	api := newAPI(t)
	for _, orderby := range []string{"", "DocumentDate desc", "DocumentNo"} {
		q := url.Values{"$top": {"97"}, "$select": {"default,Id"}, "$count": {"true"}}
		if orderby != "" {
			q.Set("$orderby", orderby)
		}
		page := api.list("Crm_Sales_SalesOrders", q)
		total := *page.Count
		seen := map[string]bool{}
		pages := 0
		for {
			pages++
			for _, row := range page.Value {
				id := row["Id"].(string)
				if seen[id] {
					t.Fatalf("orderby %q: row %s seen twice", orderby, id)
				}
				seen[id] = true
			}
			if page.NextLink == "" {
				break
			}
			status, body := api.do("GET", page.NextLink, nil)
			if status != 200 {
				t.Fatalf("nextLink %s: %d %s", page.NextLink, status, body)
			}
			page = collection{}
			_ = json.Unmarshal(body, &page)
		}
		if len(seen) != total || pages < 2 {
			t.Errorf("orderby %q: got %d rows over %d pages, want %d", orderby, len(seen), pages, total)
		}
	}
}

func TestSelectAndExpandShapes(t *testing.T) {
	api := newAPI(t)
	col := api.list("Crm_Sales_SalesOrders", url.Values{"$top": {"1"}})
	o := col.Value[0]
	if _, ok := o["Id"]; ok {
		t.Errorf("Id returned without being selected")
	}
	if _, ok := o["Lines"]; ok {
		t.Errorf("child collection returned without $expand")
	}
	if _, ok := o["ObjectVersion"]; ok {
		t.Errorf("ObjectVersion returned without being selected")
	}
	if !regexp.MustCompile(`^Crm_Sales_SalesOrders\([0-9a-f-]{36}\)$`).MatchString(o["@odata.id"].(string)) {
		t.Errorf("@odata.id = %v", o["@odata.id"])
	}
	if ref, ok := o["Customer"].(map[string]any); !ok || len(ref) != 1 || !strings.HasPrefix(ref["@odata.id"].(string), "Crm_Sales_Customers(") {
		t.Errorf("unexpanded reference = %v, want only @odata.id", o["Customer"])
	}
	if _, ok := o["AmountToPay"]; ok {
		t.Errorf("AmountToPay (a calculated attribute) returned without being selected")
	}
	col = api.list("Crm_Sales_SalesOrders", url.Values{"$top": {"1"}, "$select": {"default,AmountToPay"}})
	amt := col.Value[0]["AmountToPay"].(map[string]any)
	if _, ok := amt["Value"].(float64); !ok || amt["Currency"] == "" {
		t.Errorf("amount shape = %v", amt)
	}

	col = api.list("Crm_Sales_SalesOrders", url.Values{"$top": {"1"}, "$select": {"DocumentNo,ObjectVersion"}})
	if got := len(col.Value[0]); got != 3 { // @odata.id, DocumentNo, ObjectVersion
		t.Errorf("$select=DocumentNo,ObjectVersion gave %d keys: %v", got, col.Value[0])
	}
	col = api.list("Crm_Sales_SalesOrders", url.Values{"$top": {"1"}, "$select": {"default,Id"},
		"$expand": {"Customer($expand=Party),Lines($expand=Product;$select=LineNo,Quantity)"}})
	o = col.Value[0]
	if _, ok := o["Id"].(string); !ok || o["DocumentNo"] == nil {
		t.Errorf("$select=default,Id lost Id or the default set: %v", o)
	}
	party := o["Customer"].(map[string]any)["Party"].(map[string]any)
	if name, ok := party["PartyName"].(map[string]any); !ok || name["EN"] == "" {
		t.Errorf("nested expand Customer/Party: %v", party)
	}
	lines := o["Lines"].([]any)
	if len(lines) == 0 {
		t.Fatalf("no lines expanded")
	}
	line := lines[0].(map[string]any)
	q := line["Quantity"].(map[string]any)
	if q["Unit"] == "" || line["Product"].(map[string]any)["PartNumber"] == nil || line["UnitPrice"] != nil {
		t.Errorf("line with nested select/expand: %v", line)
	}

	status, body := api.do("GET", "Crm_Sales_SalesOrders/$count?$filter="+url.QueryEscape("Void eq true"), nil)
	if n, err := strconv.Atoi(string(body)); status != 200 || err != nil || n == 0 {
		t.Errorf("$count: %d %q", status, body)
	}
	if status, body := api.do("GET", "GetVersion", nil); status != 200 || !strings.Contains(string(body), `"version":"`+erpnetsim.Version+`"`) {
		t.Errorf("GetVersion: %d %s", status, body)
	}
	if status, _ := api.do("GET", "Crm_Sales_SalesOrders(00000000-0000-4000-8000-000000000000)", nil); status != 404 {
		t.Errorf("unknown id: got %d, want 404", status)
	}
	if status, _ := api.do("GET", "Crm_Sales_SalesOrders?$bogus=1", nil); status != 400 {
		t.Errorf("unknown option: got %d, want 400", status)
	}
}

// refs finds the references a new sales order needs, by query.
func (c *apiClient) refs() map[string]string {
	out := map[string]string{}
	find := func(key, set, filter string) {
		col := c.list(set, url.Values{"$filter": {filter}, "$select": {"Id"}})
		if len(col.Value) == 0 {
			c.t.Fatalf("no %s for %s", set, filter)
		}
		out[key] = set + "(" + col.Value[0]["Id"].(string) + ")"
	}
	find("type", "Systems_Documents_DocumentTypes", "Code eq 'SO'")
	find("ec", "General_EnterpriseCompanies", "contains(Company/PartyName,'"+erpnetsim.EnterpriseCompanyName+"')")
	find("customer", "Crm_Sales_Customers", "Number eq 'C-1001'")
	find("product", "General_Products_Products", "PartNumber eq 'COF-001'")
	find("old", "General_Products_Products", "PartNumber eq 'OLD-001'")
	return out
}

// newOrder is a sales order merged by ExternalId ext: the server chooses its Id (see createdID).
func newOrder(ext string, refs map[string]string, qty float64) map[string]any {
	return map[string]any{
		"@erpnet.action": "merge", "ExternalId": ext, "DocumentType": map[string]string{"@odata.id": refs["type"]},
		"EnterpriseCompany@odata.bind": refs["ec"], "Customer": map[string]string{"@odata.id": refs["customer"]},
		"CustomerPurchaseOrderNo": "PO-TEST",
		"Lines":                   []map[string]any{{"Product": map[string]string{"@odata.id": refs["product"]}, "Quantity": map[string]any{"Value": qty, "Unit": "kg"}}},
	}
}

// createdID is the Id of the entity a POST answered with, from its @odata.id.
func createdID(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		ID string `json:"@odata.id"`
	}
	if err := json.Unmarshal(body, &e); err != nil || !strings.Contains(e.ID, "(") {
		t.Fatalf("created entity %s: %v", body, err)
	}
	return strings.TrimSuffix(e.ID[strings.IndexByte(e.ID, '(')+1:], ")")
}

func TestWritesAndStateRules(t *testing.T) {
	api := newAPI(t)
	refs := api.refs()
	ext := "5a1e0000-0000-4000-8000-000000000001"
	status, body := api.do("POST", "Crm_Sales_SalesOrders", newOrder(ext, refs, 2))
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	id := createdID(t, body)
	var created map[string]any
	_ = json.Unmarshal(body, &created)
	if created["State"] != "New" {
		t.Errorf("created = %v", created)
	}
	// TotalLineAmount is calculated: read it with an explicit $select. Outside a front-end
	// transaction Erp.Net calculates no line prices: UnitPrice keeps its default, 0.
	priced := api.list("Crm_Sales_SalesOrders", url.Values{"$filter": {"Id eq " + id}, "$select": {"default,TotalLineAmount"}})
	if amt := priced.Value[0]["TotalLineAmount"].(map[string]any); amt["Value"].(float64) != 0 {
		t.Errorf("TotalLineAmount = %v outside a transaction, want 0", amt)
	}
	// The same ExternalId again: merged into the same order, not a second one.
	status, body = api.do("POST", "Crm_Sales_SalesOrders", newOrder(ext, refs, 2))
	if status != 200 || createdID(t, body) != id {
		t.Errorf("second merge: %d %s, want 200 with the same order", status, body)
	}
	// A client-chosen Id is refused: the docs show none.
	withID := newOrder("", refs, 1)
	delete(withID, "@erpnet.action")
	withID["Id"] = "5a1e0000-0000-4000-8000-0000000000ff"
	if status, body := api.do("POST", "Crm_Sales_SalesOrders", withID); status != 500 || !strings.Contains(string(body), "chosen by the server") {
		t.Errorf("create with an Id: %d %s, want the refusal", status, body)
	}
	// Refusals of bad input.
	bad := newOrder("5a1e0000-0000-4000-8000-000000000002", refs, 0)
	delete(bad, "@erpnet.action")
	if status, body := api.do("POST", "Crm_Sales_SalesOrders", bad); status != 500 || !strings.Contains(string(body), "quantity") {
		t.Errorf("zero quantity: %d %s", status, body)
	}
	bad = newOrder("5a1e0000-0000-4000-8000-000000000003", refs, 1)
	delete(bad, "@erpnet.action")
	bad["Lines"].([]map[string]any)[0]["Product"] = map[string]string{"@odata.id": refs["old"]}
	if status, body := api.do("POST", "Crm_Sales_SalesOrders", bad); status != 500 || !strings.Contains(string(body), "not active") {
		t.Errorf("inactive product: %d %s", status, body)
	}
	delete(bad, "Customer")
	if status, body := api.do("POST", "Crm_Sales_SalesOrders", bad); status != 500 || !strings.Contains(string(body), "Customer") {
		t.Errorf("no customer: %d %s", status, body)
	}

	// PATCH with ObjectVersion: the current one passes, a stale one fails.
	path := "Crm_Sales_SalesOrders(" + id + ")"
	// The create made version 1 and the merge 2.
	if status, body := api.do("PATCH", path, map[string]any{"DocumentNotes": "first", "ObjectVersion": 2}); status != 204 {
		t.Fatalf("patch: %d %s", status, body)
	}
	if status, body := api.do("PATCH", path, map[string]any{"DocumentNotes": "stale", "ObjectVersion": 2}); status != 500 || !strings.Contains(string(body), "ObjectVersion") {
		t.Errorf("stale patch: %d %s", status, body)
	}
	if status, _ := api.do("PATCH", path, map[string]any{"State": "Released"}); status != 500 {
		t.Errorf("PATCH of State: got %d, want refusal", status)
	}
	_, body = api.do("GET", path+"?$select=DocumentNotes,ObjectVersion", nil)
	if !strings.Contains(string(body), `"DocumentNotes":"first"`) || !strings.Contains(string(body), `"ObjectVersion":3`) {
		t.Errorf("after patches: %s", body)
	}
	// Release, then changes are refused.
	if status, body := api.do("POST", path+"/ChangeState", map[string]string{"newState": "Released"}); status != 204 {
		t.Fatalf("ChangeState: %d %s", status, body)
	}
	if status, body := api.do("PATCH", path, map[string]any{"DocumentNotes": "late"}); status != 500 || !strings.Contains(string(body), "released") {
		t.Errorf("patch after release: %d %s", status, body)
	}
	if status, _ := api.do("DELETE", path, nil); status != 500 {
		t.Errorf("delete after release: got %d, want refusal", status)
	}
	// Void is irreversible.
	if status, body := api.do("POST", path+"/MakeVoid", map[string]string{"reason": "Cancelled by the customer", "voidType": "VoidDocument"}); status != 204 {
		t.Fatalf("MakeVoid: %d %s", status, body)
	}
	_, body = api.do("GET", path+"?$select=Void,VoidReason", nil)
	if !strings.Contains(string(body), `"Void":true`) || !strings.Contains(string(body), "Cancelled by the customer") {
		t.Errorf("after MakeVoid: %s", body)
	}
	if status, body := api.do("POST", path+"/MakeVoid", map[string]string{"reason": "again"}); status != 500 || !strings.Contains(string(body), "already void") {
		t.Errorf("second MakeVoid: %d %s", status, body)
	}
}

func TestPrintoutIsAPDF(t *testing.T) {
	api := newAPI(t)
	col := api.list("Crm_Invoicing_Invoices", url.Values{"$top": {"1"}, "$select": {"Id,DocumentNo"}})
	id := col.Value[0]["Id"].(string)
	status, body := api.do("POST", "Crm_Invoicing_Invoices("+id+")/GetPrintout", map[string]string{"fileFormat": "pdf"})
	if status != 200 {
		t.Fatalf("GetPrintout: %d %s", status, body)
	}
	var env struct {
		Context string `json:"@odata.context"`
		Value   string `json:"value"`
	}
	_ = json.Unmarshal(body, &env)
	pdf, err := base64.StdEncoding.DecodeString(env.Value)
	if err != nil || !strings.HasSuffix(env.Context, "#Edm.String") {
		t.Fatalf("envelope: %v %s", err, env.Context)
	}
	checkPDF(t, pdf)
	if !bytes.Contains(pdf, []byte(col.Value[0]["DocumentNo"].(string))) {
		t.Errorf("the printout does not carry the document number")
	}
}

// checkPDF verifies the structure a reader relies on: header, every xref offset pointing at its object, trailer.
func checkPDF(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q…", pdf[:min(20, len(pdf))])
	}
	m := regexp.MustCompile(`startxref\n(\d+)`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := fmt.Sprintf("%d 0 obj", i+1); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, pdf[off:off+10])
		}
	}
}

// TestScopesBoundWhatATokenMayDo: a token granted only read may read but not change anything;
// update is needed for writes and for GetPrintout (it creates a DocumentPrint), read for reads.
func TestScopesBoundWhatATokenMayDo(t *testing.T) {
	api := newAPI(t)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {erpnetsim.DemoClientID},
		"client_secret": {erpnetsim.DemoClientSecret}, "scope": {"read"}}
	resp, err := http.PostForm(strings.TrimSuffix(api.base, "/api/domain/odata/")+"/id/connect/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	refs := api.refs()
	full := api.token
	api.token = tok.AccessToken
	if status, body := api.do("GET", "Crm_Sales_SalesOrders?$top=1", nil); status != 200 {
		t.Errorf("read with scope read: %d %s", status, body)
	}
	if status, _ := api.do("POST", "Crm_Sales_SalesOrders", newOrder("5a1e0000-0000-4000-8000-00000000000a", refs, 1)); status != http.StatusForbidden {
		t.Errorf("create with scope read only: %d, want 403", status)
	}
	col := api.list("Crm_Invoicing_Invoices", url.Values{"$top": {"1"}, "$select": {"Id"}})
	printout := "Crm_Invoicing_Invoices(" + col.Value[0]["Id"].(string) + ")/GetPrintout"
	if status, _ := api.do("POST", printout, map[string]string{"fileFormat": "pdf"}); status != http.StatusForbidden {
		t.Errorf("GetPrintout with scope read only: %d, want 403 (it creates a DocumentPrint)", status)
	}
	api.token = full
	if status, _ := api.do("POST", printout, map[string]string{"fileFormat": "pdf"}); status != 200 {
		t.Errorf("GetPrintout with read and update: %d, want 200", status)
	}
	if status, _ := api.do("POST", "Crm_Sales_SalesOrders", newOrder("5a1e0000-0000-4000-8000-00000000000a", refs, 1)); status != http.StatusCreated {
		t.Errorf("create with read and update: %d, want 201", status)
	}
}
