package model

import (
	"bytes"
	"slices"
	"testing"
)

func TestLoad(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	balances, ok := m.EntitySet("Finance_Payments_PaymentBalances")
	if !ok {
		t.Fatal("no Finance_Payments_PaymentBalances")
	}
	if got, want := balances.View, true; got != want {
		t.Errorf("PaymentBalances view: got %v, want %v", got, want)
	}
	dir, ok := balances.Attribute("Direction")
	if !ok {
		t.Fatal("PaymentBalances has no Direction")
	}
	var api []string
	for _, v := range dir.Enum {
		api = append(api, v.API)
	}
	slices.Sort(api)
	if got, want := api, []string{"Incoming", "Outgoing"}; !slices.Equal(got, want) {
		t.Errorf("Direction values: got %v, want %v", got, want)
	}
	types, ok := m.EntitySet("Systems_Documents_DocumentTypes")
	if !ok {
		t.Fatal("no Systems_Documents_DocumentTypes")
	}
	if _, ok := types.Attribute("TypeName"); !ok {
		t.Errorf("DocumentTypes has no TypeName")
	}
	if _, ok := types.Attribute("Name"); ok {
		t.Errorf("DocumentTypes has a Name, which Erp.Net calls TypeName")
	}
	lines, _ := m.EntitySet("Crm_Sales_SalesOrderLines")
	if got, want := lines.AggregateParent, "Crm.Sales.SalesOrders"; got != want {
		t.Errorf("SalesOrderLines parent: got %q, want %q", got, want)
	}
}

// TestCanonical keeps model.json as the generator writes it, so that its diffs show only
// changes of the docs, not hand edits or reformatting.
func TestCanonical(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, embedded) {
		t.Errorf("model.json is not as Marshal writes it: regenerate it with make model DOCS=...")
	}
}
