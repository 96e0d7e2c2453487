package odata

import (
	"reflect"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

// TestSimulatorServesOnlyTheModel fails when the simulator serves a set, property, reference or
// enum value that the generated model does not have. That the seed holds only values the model
// allows is seed's TestSeedHoldsOnlyTheModelsValues.
func TestSimulatorServesOnlyTheModel(t *testing.T) {
	m, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore()
	for name, es := range st.sets {
		en, ok := m.EntitySet(name)
		if !ok {
			t.Errorf("set %s is not in the model", name)
			continue
		}
		for _, pr := range es.Props {
			switch pr.Kind {
			case kRef:
				if _, ok := en.Reference(pr.Name); !ok {
					t.Errorf("%s.%s is not a reference in the model", name, pr.Name)
				}
			case kChildren:
				found := false
				for _, c := range en.Children {
					found = found || c.Name == pr.Name
				}
				if !found {
					t.Errorf("%s.%s is not a child collection in the model", name, pr.Name)
				}
			default:
				a, ok := en.Attribute(pr.Name)
				if !ok {
					t.Errorf("%s.%s is not an attribute in the model", name, pr.Name)
					continue
				}
				var want []string
				for _, v := range a.Enum {
					want = append(want, v.API)
				}
				if !reflect.DeepEqual(pr.Enum, want) {
					t.Errorf("%s.%s enum %v, model %v", name, pr.Name, pr.Enum, want)
				}
			}
		}
	}
	for _, set := range []string{SetEnterpriseCompanies, SetCompanyLocations, SetCurrencies, SetUnits, SetCountries, SetParties,
		SetCompanies, SetPersons, SetContactMechanisms, SetPartyContacts, SetUsers, SetCustomers, SetExternalAccess,
		SetCustomerProducts, SetDocumentTypes, SetDistribution, SetStores, SetProductGroups, SetProducts, SetPriceLists,
		SetSalesOrders, SetSalesOrderLines, SetInvoices, SetInvoiceLines, SetPaymentOrders, SetPaymentBalances,
		SetPaymentTransactions, SetPaymentTxLines, SetObjectFiles, SetDataObjects} {
		if st.sets[set] == nil {
			t.Errorf("the simulator names set %s, which the model lacks", set)
		}
	}
}
