package erpnet_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestSimErrorsDecodeInBothShapes(t *testing.T) {
	for _, shape := range []string{erpnetsim.ErrorsWrapped, erpnetsim.ErrorsTopLevel} {
		t.Run(shape, func(t *testing.T) {
			c, sim := startSim(t, erpnetsim.Options{}, nil)
			ctx := context.Background()
			if _, err := c.GetVersion(ctx); err != nil {
				t.Fatal(err)
			}
			sim.SetFaults(erpnetsim.Faults{ErrorRate: 1, ErrorShape: shape})
			_, err := c.GetVersion(ctx)
			var e *erpnet.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *erpnet.Error", err)
			}
			if got, want := e.Code, 2029; got != want {
				t.Errorf("code = %d, want %d", got, want)
			}
			if got, want := e.Message, "Simulated server error."; got != want {
				t.Errorf("message = %q, want %q", got, want)
			}
			if !strings.HasSuffix(e.Type, "EnterpriseOneServerException") || e.Info == "" {
				t.Errorf("type %q info %q, want Erp.Net's exception and diagnostics", e.Type, e.Info)
			}
		})
	}
}

func TestSimSeesTheViewersCulture(t *testing.T) {
	c, sim := startSim(t, erpnetsim.Options{}, nil)
	ctx := erpnet.WithCulture(context.Background(), "bg")
	if _, err := c.GetVersion(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := sim.CultureCalls("bg"), int64(1); got != want {
		t.Errorf("requests in culture bg = %d, want %d", got, want)
	}
}

// orderBody is a new sales order of the main customer with one line, found by queries.
func orderBody(t *testing.T, ctx context.Context, c *erpnet.Client, id string) map[string]any {
	t.Helper()
	ref := func(set string, where erpnet.Term) map[string]string {
		var rows []map[string]any
		if _, err := c.List(ctx, erpnet.From(set).Where(where).Select("Id").Top(1), &rows); err != nil || len(rows) == 0 {
			t.Fatalf("%s: %v, %d rows", set, err, len(rows))
		}
		return map[string]string{"@odata.id": set + "(" + rows[0]["Id"].(string) + ")"}
	}
	return map[string]any{
		"@erpnet.action":    "merge",
		"ExternalId":        id,
		"DocumentType":      ref("Systems_Documents_DocumentTypes", erpnet.Eq("Code", erpnet.Str("SO"))),
		"EnterpriseCompany": ref("General_EnterpriseCompanies", erpnet.Contains("Company/PartyName", erpnetsim.EnterpriseCompanyName)),
		"Customer":          ref("Crm_Sales_Customers", erpnet.Eq("Number", erpnet.Str(erpnetsim.MainCustomerNumber))),
		"Lines": []map[string]any{{
			"Product":  ref("General_Products_Products", erpnet.Eq("PartNumber", erpnet.Str("COF-001"))),
			"Quantity": map[string]any{"Value": 2, "Unit": "kg"}}},
	}
}

func TestSimTransactionCommitsOrDiscards(t *testing.T) {
	tests := []struct {
		name        string
		commit      bool
		wantVisible bool
	}{
		{"commit", true, true},
		{"rollback", false, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := startSim(t, erpnetsim.Options{}, nil)
			ctx := context.Background()
			id := []string{"7b1e0000-0000-4000-8000-000000000001", "7b1e0000-0000-4000-8000-000000000002"}[i]
			body := orderBody(t, ctx, c, id)
			tx, err := c.BeginTransaction(ctx)
			if err != nil {
				t.Fatal(err)
			}
			txCtx := erpnet.InTransaction(ctx, tx)
			var created erpnet.SalesOrder
			if err := c.Create(txCtx, erpnet.SetSalesOrders, body, &created); err != nil {
				t.Fatalf("create inside: %v", err)
			}
			id = created.ID // the server chooses the Id
			var got map[string]any
			if err := c.Get(txCtx, erpnet.SetSalesOrders, id, erpnet.Query{}, &got); err != nil {
				t.Errorf("read inside: %v, want the transaction's own write", err)
			}
			if err := c.Get(ctx, erpnet.SetSalesOrders, id, erpnet.Query{}, &got); !erpnet.IsNotFound(err) {
				t.Errorf("read outside before the end: %v, want not found", err)
			}
			end := tx.Rollback
			if tt.commit {
				end = tx.Commit
			}
			if err := end(ctx); err != nil {
				t.Fatal(err)
			}
			err = c.Get(ctx, erpnet.SetSalesOrders, id, erpnet.Query{}, &got)
			if visible := err == nil; visible != tt.wantVisible {
				t.Errorf("read after the end: %v, want visible %v", err, tt.wantVisible)
			}
			if err := tx.Commit(ctx); !errors.Is(err, erpnet.ErrTransactionEnded) {
				t.Errorf("second end: %v, want ErrTransactionEnded", err)
			}
		})
	}
}

func TestBeginTransactionWaitsForTheOpenOne(t *testing.T) {
	c, sim := startSim(t, erpnetsim.Options{}, nil)
	ctx := context.Background()
	first, err := c.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// While one is open, a caller that cannot wait gives up without asking Erp.Net.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.BeginTransaction(gone); !errors.Is(err, context.Canceled) {
		t.Errorf("BeginTransaction with an ended context: %v, want context.Canceled", err)
	}
	// A caller that waits gets its transaction once the first ends; had it not waited, Erp.Net
	// would have refused it ("You already have an open InMemoryTransaction in this session").
	type result struct {
		tx  *erpnet.Transaction
		err error
	}
	second := make(chan result, 1)
	go func() {
		tx, err := c.BeginTransaction(ctx)
		second <- result{tx, err}
	}()
	if err := first.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-second
	if r.err != nil {
		t.Fatalf("second BeginTransaction: %v", r.err)
	}
	if r.tx.ID() == first.ID() {
		t.Errorf("second transaction has the first one's id %s", r.tx.ID())
	}
	if got, want := sim.OpenTransactions(), 1; got != want {
		t.Errorf("open transactions at Erp.Net = %d, want %d", got, want)
	}
	if err := r.tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}
