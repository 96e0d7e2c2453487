package odata

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

// kind is the EDM shape of a property, as Erp.Net's Domain API exposes it.
type kind int

const (
	kString   kind = iota
	kML            // multi-language string: {"EN":"...","BG":"..."}
	kInt           // Edm.Int32/Int64
	kDecimal       // Edm.Decimal
	kBool          // Edm.Boolean
	kDate          // a date, sent as midnight UTC date-time
	kDateTime      // Edm.DateTimeOffset
	kEnum          // enum, sent and compared as its Domain API member name
	kAmount        // {"Value":20.0,"Currency":"BGN"}
	kQuantity      // {"Value":1,"Unit":"pcs"}
	kGUID          // Id
	kRef           // reference to an entity of Target
	kChildren      // child collection: entities of Target whose Back refers to this one
)

// Filter operators as the model names them on each attribute ("Supported Filters").
const (
	fEquals   = "Equals"
	fIn       = "EqualsIn"
	fRange    = "GreaterThanOrLessThan"
	fLike     = "Like"
	noFilters = ""
)

// prop describes one property of an entity type, with the facts the published model states.
type prop struct {
	Name string
	// Since is the version the model says the property came in ("": always there); Hidden marks
	// one newer than the instance (see limitTo).
	Since  string
	Hidden bool
	Kind   kind
	Target string // entity set of a kRef or kChildren; "" when the simulator does not serve it
	// TargetSet is the entity set a reference names in its @odata.id even when it is not served.
	TargetSet string
	Back      string // for kChildren: the child's reference to its parent
	// Default marks properties in the default $select set. Id, ObjectVersion, calculated and
	// delay-loaded attributes and child collections are never in it, as on the real server.
	Default bool
	// ReadOnly properties cannot be set through POST/PATCH (State moves only by ChangeState).
	ReadOnly bool
	// Filters are the operators the attribute supports; empty means NotFilterable.
	Filters []string
	// OrderBy is "Supports Order By".
	OrderBy bool
	// FilterableRef marks a reference that a filter path may go through ("Filterable Reference").
	FilterableRef bool
	// MaxLength bounds a string (0: unbounded).
	MaxLength int
	// Enum lists the Domain API values of an enum.
	Enum     []string
	Required bool
	Owner    bool // the reference to the aggregate parent
}

func (pr *prop) allows(filter string) bool { return slices.Contains(pr.Filters, filter) }

// entitySet describes one entity set of the Domain API.
type entitySet struct {
	Name string
	// Repository is the model's name ("Crm.Sales.SalesOrders").
	Repository string
	// Storage is where the entities live: a set that inherits another (Companies and Persons are
	// Parties) keeps its rows with its base, TypeFilter selecting its PartyType.
	Storage    string
	TypeFilter string
	Props      []*prop
	byName     map[string]*prop // what the instance's version has (see limitTo)
	all        map[string]*prop // every property of the model, for data at rest (conforms)
	// Document sets have State/Void and the document rules for writes.
	Document bool
	// ReadOnlySet sets refuse POST/PATCH/DELETE (views such as PaymentBalances).
	ReadOnlySet bool
	// Root is the entity set of the aggregate root (itself for a root): ObjectVersion is its.
	Root string
	// Type is the Domain API entity type name ("Crm_Sales_SalesOrder").
	Type string
}

func (es *entitySet) prop(name string) *prop { return es.byName[name] }

// limitTo hides the properties the model says came after version: the Domain API of an instance
// of that version does not know them (a $select, $filter, $orderby, $expand or write naming one
// is refused as an unknown property, and no answer has them). Data seeded before stays at rest.
func (st *Store) limitTo(version string) {
	for _, es := range st.sets {
		for _, pr := range es.Props {
			if pr.Since != "" && versionLess(version, pr.Since) {
				pr.Hidden = true
				delete(es.byName, pr.Name)
			}
		}
	}
}

// versionLess compares dotted version numbers ("26.1.3.97" < "26.3.100.4").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// typeName is the EDM type name, in namespace Erp.
func (es *entitySet) typeName() string { return "Erp." + es.Type }

// Entity set names used across the simulator. Each must be in the generated model (a test checks).
const (
	SetEnterpriseCompanies = "General_EnterpriseCompanies"
	SetCompanyLocations    = "General_Contacts_CompanyLocations"
	SetCurrencies          = "General_Currencies_Currencies"
	SetUnits               = "General_Products_MeasurementUnits"
	SetCountries           = "General_Geography_Countries"
	SetParties             = "General_Contacts_Parties"
	SetCompanies           = "General_Contacts_Companies"
	SetPersons             = "General_Contacts_Persons"
	SetContactMechanisms   = "General_Contacts_ContactMechanisms"
	SetPartyContacts       = "General_Contacts_PartyContactMechanisms"
	SetUsers               = "Systems_Security_Users"
	SetCustomers           = "Crm_Sales_Customers"
	SetExternalAccess      = "Crm_Sales_CustomerExternalAccess"
	SetCustomerProducts    = "Crm_Sales_CustomerProducts"
	SetDocumentTypes       = "Systems_Documents_DocumentTypes"
	SetDistribution        = "Crm_Marketing_DistributionChannels"
	SetStores              = "Logistics_Inventory_Stores"
	SetProductGroups       = "General_Products_ProductGroups"
	SetProducts            = "General_Products_Products"
	SetPriceLists          = "Crm_Pricing_PriceLists"
	SetSalesOrders         = "Crm_Sales_SalesOrders"
	SetSalesOrderLines     = "Crm_Sales_SalesOrderLines"
	SetInvoices            = "Crm_Invoicing_Invoices"
	SetInvoiceLines        = "Crm_Invoicing_InvoiceLines"
	SetPaymentOrders       = "Finance_Payments_PaymentOrders"
	SetPaymentBalances     = "Finance_Payments_PaymentBalances"
	SetPaymentTransactions = "Finance_Payments_PaymentTransactions"
	SetPaymentTxLines      = "Finance_Payments_PaymentTransactionLines"
	SetObjectFiles         = "Systems_Core_ObjectFiles"
	SetDataObjects         = "Systems_Core_ExtensibleDataObjects"
	SetPaymentAccounts     = "Finance_Payments_PaymentAccounts"
	SetPartyBankAccounts   = "General_Contacts_PartyBankAccounts"
	SetComments            = "Communities_Social_Comments"
	SetAvailableToPromise  = "Logistics_Inventory_DemandManagement_AvailableToPromise"
)

// kinds maps the model's normalised types to the simulator's value shapes.
var kinds = map[string]kind{
	"string": kString, "multilanguage": kML, "int16": kInt, "int32": kInt, "int64": kInt, "byte": kInt,
	"decimal": kDecimal, "double": kDecimal, "boolean": kBool, "date": kDate, "datetime": kDateTime,
	"time": kString, "guid": kGUID, "binary": kString, "dataaccessfilter": kString, "enum": kEnum,
	"amount": kAmount, "quantity": kQuantity,
}

// setName is the Domain API entity set of a repository: dots become underscores.
func setName(repository string) string { return strings.ReplaceAll(repository, ".", "_") }

// schema builds the entity sets the simulator serves from the generated model: every set, name,
// type, enum value and filter or order-by rule comes from Erp.Net's published model.
func schema() map[string]*entitySet {
	m, err := model.Load()
	if err != nil {
		panic(err) // the model is embedded: a failure is a build problem
	}
	out, err := schemaFrom(m)
	if err != nil {
		panic(err)
	}
	return out
}

// partyType is the PartyType value of the rows of an inherited repository: the singular of its
// last name part ("General.Contacts.Companies" → "Company"), as the PartyType enum names them.
func partyType(repository string) string {
	name := repository[strings.LastIndexByte(repository, '.')+1:]
	if s, ok := strings.CutSuffix(name, "ies"); ok {
		return s + "y"
	}
	return strings.TrimSuffix(name, "s")
}

func schemaFrom(m *model.Model) (map[string]*entitySet, error) {
	served := map[string]string{} // repository → entity set
	for _, en := range m.Entities {
		served[en.Repository] = en.EntitySet
	}
	out := make(map[string]*entitySet, len(m.Entities))
	for _, en := range m.Entities {
		es := &entitySet{Name: en.EntitySet, Repository: en.Repository, Type: en.EntityType, ReadOnlySet: en.View || en.APIAccess == "ReadOnly",
			Root: served[en.AggregateRoot]}
		if es.Root == "" {
			es.Root = es.Name
		}
		if base := served[en.InheritedFrom]; base != "" {
			es.Storage = base
			es.TypeFilter = partyType(en.Repository) // rows of the base table, told apart by PartyType
		}
		for _, a := range en.Attributes {
			k, ok := kinds[a.Type]
			if !ok {
				return nil, fmt.Errorf("%s.%s: type %q has no simulator kind", en.EntitySet, a.Name, a.Type)
			}
			// System attributes are the server's, except the ones a client sets to sync with it.
			clientSet := a.Name == "ExternalId" || a.Name == "ExternalSystem" || a.Name == "AdditionalDataJson"
			pr := &prop{Name: a.Name, Kind: k, ReadOnly: a.ReadOnly || a.System && !clientSet, Filters: a.Filters, OrderBy: a.OrderBy,
				MaxLength: a.MaxLength, Required: a.Required, Since: a.IntroducedIn,
				Default: !a.Calculated && !a.DelayLoaded && !a.System}
			for _, v := range a.Enum {
				pr.Enum = append(pr.Enum, v.API)
			}
			if a.Name == "Id" {
				// The model states no filters for Id; the Domain API docs filter by "Id in (...)"
				// and page by Id ($skiptoken), so equality, lists and order are allowed.
				pr.Kind, pr.Filters, pr.OrderBy, pr.ReadOnly = kGUID, []string{fEquals, fIn}, true, false
			}
			es.Props = append(es.Props, pr)
		}
		for _, r := range en.References {
			es.Props = append(es.Props, &prop{Name: r.Name, Kind: kRef, Target: served[r.Target], TargetSet: setName(r.Target),
				Default: true, ReadOnly: r.ReadOnly, Filters: r.Filters, FilterableRef: r.FilterableReference,
				Required: r.Required, Owner: r.Owner, Since: r.IntroducedIn})
		}
		for _, c := range en.Children {
			if served[c.Target] == "" || c.Back == "" {
				continue // a child collection of a set the simulator does not serve
			}
			es.Props = append(es.Props, &prop{Name: c.Name, Kind: kChildren, Target: served[c.Target], Back: c.Back})
		}
		if es.Storage == "" {
			es.Storage = es.Name
		}
		es.byName = make(map[string]*prop, len(es.Props))
		es.all = make(map[string]*prop, len(es.Props))
		for _, pr := range es.Props {
			es.byName[pr.Name], es.all[pr.Name] = pr, pr
		}
		st, void := es.byName["State"], es.byName["Void"]
		es.Document = st != nil && st.Kind == kEnum && slices.Contains(st.Enum, "Released") && void != nil
		out[es.Name] = es
	}
	return out, nil
}
