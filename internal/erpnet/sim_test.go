package erpnet_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	clockpkg "github.com/clientcenter/clientcenter/internal/clock"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

// startSim serves a seeded simulated instance and returns a client of it.
func startSim(t *testing.T, opts erpnetsim.Options, edit func(*erpnet.Config)) (*erpnet.Client, *erpnetsim.Sim) {
	t.Helper()
	sim := erpnetsim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	cfg := erpnet.Config{InstanceURL: srv.URL, ClientID: erpnetsim.DemoClientID, ClientSecret: erpnetsim.DemoClientSecret}
	if edit != nil {
		edit(&cfg)
	}
	c, err := erpnet.NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, sim
}

// mainCustomer finds the customer with years of documents by its number.
func mainCustomer(t *testing.T, ctx context.Context, r *erpnet.Client) erpnet.Customer {
	t.Helper()
	rows, err := erpnet.All[erpnet.Customer](ctx, r, erpnet.Query{}.Where(erpnet.Eq("Number", erpnet.Str(erpnetsim.MainCustomerNumber))))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("customers numbered %s = %d, want 1", erpnetsim.MainCustomerNumber, len(rows))
	}
	return rows[0]
}

// firstPage reads up to five entities of type T and reports how many and whether each has an Id
// and the field named by ok.
func firstPage[T erpnet.Entity](ok func(T) bool) func(ctx context.Context, c *erpnet.Client) (int, bool, error) {
	return func(ctx context.Context, c *erpnet.Client) (int, bool, error) {
		rows, _, err := erpnet.Page[T](ctx, c, erpnet.Query{}.Top(5))
		good := true
		for _, r := range rows {
			good = good && ok(r)
		}
		return len(rows), good, err
	}
}

func TestSimReadsEveryEntitySet(t *testing.T) {
	c, _ := startSim(t, erpnetsim.Options{}, nil)
	tests := []struct {
		set  string
		read func(ctx context.Context, c *erpnet.Client) (int, bool, error)
	}{
		{erpnet.SetCustomers, firstPage(func(e erpnet.Customer) bool { return e.ID != "" && e.Number != "" && !e.Party.IsZero() })},
		{erpnet.SetExternalAccess, firstPage(func(e erpnet.ExternalAccess) bool { return e.ID != "" && e.Role != "" && !e.User.IsZero() })},
		{erpnet.SetParties, firstPage(func(e erpnet.Party) bool { return e.ID != "" && e.PartyName.In("EN") != "" })},
		{erpnet.SetCompanies, firstPage(func(e erpnet.Company) bool { return e.ID != "" && e.PartyType == "Company" })},
		{erpnet.SetPersons, firstPage(func(e erpnet.Person) bool { return e.ID != "" && e.FirstName.In("EN") != "" })},
		{erpnet.SetUsers, firstPage(func(e erpnet.User) bool { return e.ID != "" && e.Login != "" })},
		{erpnet.SetSalesOrders, firstPage(func(e erpnet.SalesOrder) bool {
			return e.ID != "" && e.DocumentNo != "" && !e.DocumentDate.IsZero() && e.State != "" // AmountToPay is calculated: not in the default set
		})},
		{erpnet.SetSalesOrderLines, firstPage(func(e erpnet.SalesOrderLine) bool { return e.ID != "" && e.Quantity.Value > 0 })},
		{erpnet.SetInvoices, firstPage(func(e erpnet.Invoice) bool { return e.ID != "" && e.DocumentNo != "" })},
		{erpnet.SetInvoiceLines, firstPage(func(e erpnet.InvoiceLine) bool { return e.ID != "" && !e.Invoice.IsZero() })},
		{erpnet.SetPaymentBalances, firstPage(func(e erpnet.PaymentBalance) bool { return e.DueStatus != "" })},
		{erpnet.SetPaymentTransactions, firstPage(func(e erpnet.PaymentTransaction) bool { return e.ID != "" && e.TotalAmount.Value != 0 })},
		{erpnet.SetPaymentTransactionLines, firstPage(func(e erpnet.PaymentTransactionLine) bool { return e.ID != "" && !e.PaymentTransaction.IsZero() })},
		{erpnet.SetProducts, firstPage(func(e erpnet.Product) bool { return e.ID != "" && e.PartNumber != "" })},
		{erpnet.SetDocumentTypes, firstPage(func(e erpnet.DocumentType) bool { return e.ID != "" && e.EntityName != "" })},
		{erpnet.SetObjectFiles, firstPage(func(e erpnet.ObjectFile) bool { return e.ID != "" && e.FileName != "" })},
		{erpnet.SetEnterpriseCompanies, firstPage(func(e erpnet.EnterpriseCompany) bool { return e.ID != "" && !e.Company.IsZero() })},
		{erpnet.SetCurrencies, firstPage(func(e erpnet.Currency) bool { return e.ID != "" && e.CurrencySign != "" })},
		{erpnet.SetMeasurementUnits, firstPage(func(e erpnet.MeasurementUnit) bool { return e.ID != "" && e.Code != "" })},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			n, ok, err := tt.read(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Fatal("no rows")
			}
			if !ok {
				t.Error("a row lacks its id or a field")
			}
		})
	}
}

func TestSimFollowsReferences(t *testing.T) {
	c, _ := startSim(t, erpnetsim.Options{}, nil)
	ctx := context.Background()
	cust := mainCustomer(t, ctx, c)

	company, err := erpnet.One[erpnet.Company](ctx, c, cust.Party.ID, erpnet.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if company.RegistrationNumber == "" || company.PartyName.In("EN") == "" {
		t.Errorf("company = %+v, want its name and UIN", company)
	}
	ecs, err := erpnet.All[erpnet.EnterpriseCompany](ctx, c, erpnet.Query{}.Where(erpnet.Contains("Company/PartyName", erpnetsim.EnterpriseCompanyName)).Expand("Company"))
	if err != nil || len(ecs) != 1 {
		t.Fatalf("enterprise company: %v, %d rows", err, len(ecs))
	}
	if ecs[0].Company.Entity == nil || !strings.Contains(ecs[0].Company.Entity.PartyName.In("EN"), "Orbis") {
		t.Errorf("expanded company = %+v, want Orbis", ecs[0].Company.Entity)
	}

	users, err := erpnet.All[erpnet.User](ctx, c, erpnet.Query{}.Where(erpnet.Eq("Login", erpnet.Str("admin@orbis.example"))))
	if err != nil || len(users) != 1 {
		t.Fatalf("admin user: %v, %d rows", err, len(users))
	}
	access, err := erpnet.All[erpnet.ExternalAccess](ctx, c, erpnet.Query{}.
		Where(erpnet.Eq("User", users[0].AsRef()), erpnet.Eq("Customer", cust.AsRef())).Expand("Customer"))
	if err != nil || len(access) != 1 {
		t.Fatalf("admin access: %v, %d rows", err, len(access))
	}
	if access[0].Role != "Admin" || access[0].Customer.Entity == nil || access[0].Customer.Entity.Number != erpnetsim.MainCustomerNumber {
		t.Errorf("access = %+v, want Admin of %s", access[0], erpnetsim.MainCustomerNumber)
	}

	orders, _, err := erpnet.Page[erpnet.SalesOrder](ctx, c, erpnet.Query{}.
		Where(erpnet.Eq("Customer", cust.AsRef())).Expand("Lines", erpnet.Query{}.Expand("Product")).Top(3))
	if err != nil || len(orders) != 3 {
		t.Fatalf("orders: %v, %d rows", err, len(orders))
	}
	for _, o := range orders {
		if o.Customer.ID != cust.ID || len(o.Lines) == 0 || o.Lines[0].Product.Entity == nil || o.Lines[0].Product.Entity.PartNumber == "" {
			t.Errorf("order %s: customer %s, %d lines, want this customer's order with expanded lines and products", o.DocumentNo, o.Customer.ID, len(o.Lines))
		}
	}
}

func TestSimFilters(t *testing.T) {
	c, _ := startSim(t, erpnetsim.Options{}, nil)
	ctx := context.Background()
	cust := mainCustomer(t, ctx, c)
	since := time.Now().AddDate(0, -2, 0)
	tests := []struct {
		name  string
		q     erpnet.Query
		check func(o erpnet.SalesOrder) bool
	}{
		{"state in", erpnet.Query{}.Where(erpnet.Eq("Customer", cust.AsRef()), erpnet.In("State", erpnet.Enum("New"), erpnet.Enum("FirmPlanned"))),
			func(o erpnet.SalesOrder) bool { return o.State == "New" || o.State == "FirmPlanned" }},
		{"state ge", erpnet.Query{}.Where(erpnet.Ge("State", erpnet.Enum(erpnet.StateReleased))),
			func(o erpnet.SalesOrder) bool {
				return erpnet.StateRank(o.State) >= erpnet.StateRank(erpnet.StateReleased)
			}},
		{"date ge", erpnet.Query{}.Where(erpnet.Eq("Customer", cust.AsRef()), erpnet.Ge("DocumentDate", erpnet.Date(since))),
			func(o erpnet.SalesOrder) bool {
				return !o.DocumentDate.Before(since.Truncate(24 * time.Hour).Add(-24 * time.Hour))
			}},
		{"void", erpnet.Query{}.Where(erpnet.Eq("Void", erpnet.Bool(true))), func(o erpnet.SalesOrder) bool { return o.Void }},
		{"date range", erpnet.Query{}.Where(erpnet.Ge("DocumentDate", erpnet.Date(time.Now().AddDate(0, -1, 0)))),
			func(o erpnet.SalesOrder) bool { return !o.DocumentDate.Time.Before(time.Now().AddDate(0, -1, -1)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := erpnet.All[erpnet.SalesOrder](ctx, c, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				t.Fatal("no rows")
			}
			for _, o := range rows {
				if !tt.check(o) {
					t.Fatalf("row %s (%s, %v) does not match", o.DocumentNo, o.State, o.DocumentDate)
				}
			}
		})
	}

	// A name full of quotes and markup is found by a search with the same characters.
	hostile, err := erpnet.All[erpnet.Company](ctx, c, erpnet.Query{}.Where(erpnet.Contains("PartyName", `O'Brien & "Partners"`)))
	if err != nil || len(hostile) != 1 {
		t.Fatalf("search with quotes: %v, %d rows, want 1", err, len(hostile))
	}
}

func TestSimPagesToTheLastRowOnce(t *testing.T) {
	c, _ := startSim(t, erpnetsim.Options{}, nil)
	ctx := context.Background()
	cust := mainCustomer(t, ctx, c)
	base := erpnet.Query{}.Where(erpnet.Eq("Customer", cust.AsRef()))
	want, err := erpnet.CountOf[erpnet.SalesOrder](ctx, c, base)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    erpnet.Query
	}{
		{"by skip token", base.Top(37)},
		{"by skip, sorted", base.OrderBy("DocumentDate", true).OrderBy("DocumentNo", false).Top(37)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := erpnet.All[erpnet.SalesOrder](ctx, c, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != want {
				t.Errorf("rows = %d, want the count %d", len(rows), want)
			}
			seen := map[string]bool{}
			for _, o := range rows {
				if seen[o.ID] {
					t.Fatalf("order %s read twice", o.DocumentNo)
				}
				seen[o.ID] = true
			}
		})
	}
	_, p, err := erpnet.Page[erpnet.SalesOrder](ctx, c, base.Top(10).Count())
	if err != nil || !p.Counted || p.Count != want || p.Next == "" {
		t.Errorf("counted page = %+v, %v; want count %d and a next link", p, err, want)
	}
}

func TestSimWrites(t *testing.T) {
	c, _ := startSim(t, erpnetsim.Options{}, nil)
	ctx := context.Background()
	cust := mainCustomer(t, ctx, c)
	types, err := erpnet.All[erpnet.DocumentType](ctx, c, erpnet.Query{}.Where(erpnet.Eq("Code", erpnet.Str(erpnetsim.SalesOrderTypeCode))))
	if err != nil || len(types) != 1 {
		t.Fatalf("document type: %v, %d rows", err, len(types))
	}
	products, err := erpnet.All[erpnet.Product](ctx, c, erpnet.Query{}.Where(erpnet.Eq("Active", erpnet.Bool(true))).Top(2))
	if err != nil || len(products) == 0 {
		t.Fatalf("products: %v", err)
	}

	ext := erpnet.NewID()
	line := map[string]any{"Product": products[0].AsRef(), "Quantity": erpnet.Quantity{Value: 2, Unit: "pcs"}}
	body := struct {
		erpnet.Merge
		DocumentType      erpnet.Ref `json:"DocumentType"`
		EnterpriseCompany erpnet.Ref `json:"EnterpriseCompany"`
		Customer          erpnet.Ref `json:"Customer"`
		DocumentNotes     string     `json:"DocumentNotes"`
	}{erpnet.MergeBy(ext, "ClientCenter"), types[0].AsRef(), cust.EnterpriseCompany.Ref, cust.AsRef(), "from the client test"}
	var first, second erpnet.SalesOrder
	if err := c.Create(ctx, erpnet.SetSalesOrders, body, &first); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if err := c.Create(ctx, erpnet.SetSalesOrders, body, &second); err != nil {
		t.Fatalf("Create again with the same ExternalId: %v", err)
	}
	id := first.ID
	if id == "" || second.ID != id || first.DocumentNo == "" || second.DocumentNo != first.DocumentNo {
		t.Errorf("created %s (%s) then %s (%s), want the same order twice", first.ID, first.DocumentNo, second.ID, second.DocumentNo)
	}
	// Lines are added by PATCH; outside a front-end transaction they are not priced.
	if err := c.Patch(ctx, erpnet.SetSalesOrders, id, map[string]any{"Lines": []any{line}}); err != nil {
		t.Fatalf("Patch with lines: %v", err)
	}
	again, err := erpnet.One[erpnet.SalesOrder](ctx, c, id, erpnet.Query{}.Select("default", "Id", "AmountToPay").Expand("Lines"))
	if err != nil || len(again.Lines) != 1 || again.Lines[0].UnitPrice.Value != 0 || again.AmountToPay.Value != 0 {
		t.Errorf("order after adding a line outside a transaction = %+v, %v; want one line priced 0", again, err)
	}

	withVersion, err := erpnet.One[erpnet.SalesOrder](ctx, c, id, erpnet.Query{}.Select("default", "Id", "ObjectVersion"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Patch(ctx, erpnet.SetSalesOrders, id, map[string]any{"DocumentNotes": "changed", "ObjectVersion": withVersion.ObjectVersion}); err != nil {
		t.Fatalf("Patch: %v", err)
	}
	err = c.Patch(ctx, erpnet.SetSalesOrders, id, map[string]any{"DocumentNotes": "stale", "ObjectVersion": withVersion.ObjectVersion})
	if err == nil {
		t.Error("a Patch with a stale ObjectVersion succeeded")
	}

	pdf, err := c.GetPrintout(ctx, erpnet.SetSalesOrders, id)
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("GetPrintout = %d bytes, %v; want a PDF", len(pdf), err)
	}
	if err := c.MakeVoid(ctx, erpnet.SetSalesOrders, id, "ordered by mistake"); err != nil {
		t.Fatalf("MakeVoid: %v", err)
	}
	voided, err := erpnet.One[erpnet.SalesOrder](ctx, c, id, erpnet.Query{})
	if err != nil || !voided.Void || voided.VoidReason != "ordered by mistake" || voided.DocumentNotes != "changed" {
		t.Errorf("after MakeVoid: %+v, %v", voided.Document, err)
	}
	var e *erpnet.Error
	if err := c.MakeVoid(ctx, erpnet.SetSalesOrders, id, "again"); !errors.As(err, &e) || e.Message == "" {
		t.Errorf("voiding twice: %v, want Erp.Net's business error", err)
	}
	if _, err := erpnet.One[erpnet.SalesOrder](ctx, c, erpnet.NewID(), erpnet.Query{}); !erpnet.IsNotFound(err) {
		t.Errorf("reading a missing order: %v, want not found", err)
	}
	if v, err := c.GetVersion(ctx); err != nil || v == "" {
		t.Errorf("GetVersion = %q, %v", v, err)
	}
}

func TestSimConcurrencyLimitIsRespected(t *testing.T) {
	// Erp.Net runs one request of a session at a time and queues five more; a seventh is
	// refused with 429. No retries, so a refusal would fail the call; latency makes the callers
	// overlap. The default client sends one at a time; one sending six still fits the queue.
	tests := []struct {
		name          string
		maxConcurrent int
	}{
		{"default", 0},
		{"one running and five queued", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sim := startSim(t, erpnetsim.Options{Faults: erpnetsim.Faults{Latency: 10 * time.Millisecond}},
				func(cfg *erpnet.Config) { cfg.MaxRetries, cfg.MaxConcurrent = -1, tt.maxConcurrent })
			ctx := context.Background()
			if _, err := c.GetVersion(ctx); err != nil { // token and discovery first
				t.Fatal(err)
			}
			sim.ResetCalls()
			const calls = 20
			var wg sync.WaitGroup
			for range calls {
				wg.Go(func() {
					if _, err := c.GetVersion(ctx); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if got := sim.TotalAPICalls(); got != calls {
				t.Errorf("requests at Erp.Net = %d, want %d (none refused)", got, calls)
			}
			if got, want := sim.PeakConcurrent(), int64(1); got != want {
				t.Errorf("peak requests running = %d, want %d", got, want)
			}
		})
	}
}

func TestSimExpiredTokenIsRenewed(t *testing.T) {
	clock := clockpkg.NewFake(time.Now())
	c, _ := startSim(t, erpnetsim.Options{Now: clock.Now, TokenLifetime: time.Hour}, nil)
	ctx := context.Background()
	if _, err := erpnet.CountOf[erpnet.Product](ctx, c, erpnet.Query{}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour) // the instance now refuses the token the client still holds
	if _, err := erpnet.CountOf[erpnet.Product](ctx, c, erpnet.Query{}); err != nil {
		t.Errorf("after the token expired at the instance: %v, want a renewed token and success", err)
	}
}

func TestSimOutageIsUnavailable(t *testing.T) {
	c, sim := startSim(t, erpnetsim.Options{}, func(cfg *erpnet.Config) { cfg.MaxRetries = -1 })
	sim.SetFaults(erpnetsim.Faults{Outage: true})
	_, err := erpnet.CountOf[erpnet.Product](context.Background(), c, erpnet.Query{})
	if !erpnet.IsUnavailable(err) {
		t.Errorf("during an outage: %v, want unavailable", err)
	}
}
