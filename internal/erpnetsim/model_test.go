package erpnetsim

import (
	"reflect"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

// TestSimulatorServesOnlyTheModel fails when the simulator serves a set, property, reference or
// enum value that the generated model does not have, or seeds a value the model does not allow.
func TestSimulatorServesOnlyTheModel(t *testing.T) {
	m, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := newStore()
	seed(st, time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), 1) // conforms() refuses any value off the model
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
	for _, set := range []string{setEnterpriseCompanies, setCompanyLocations, setCurrencies, setUnits, setCountries, setParties,
		setCompanies, setPersons, setContactMechanisms, setPartyContacts, setUsers, setCustomers, setExternalAccess,
		setCustomerProducts, setDocumentTypes, setDistribution, setStores, setProductGroups, setProducts, setPriceLists,
		setSalesOrders, setSalesOrderLines, setInvoices, setInvoiceLines, setPaymentOrders, setPaymentBalances,
		setPaymentTransactions, setPaymentTxLines, setObjectFiles, setDataObjects} {
		if st.sets[set] == nil {
			t.Errorf("the simulator names set %s, which the model lacks", set)
		}
	}
}
