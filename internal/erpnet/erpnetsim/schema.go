package erpnetsim

import "strings"

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
	kEnum          // enum, sent and compared as its member name
	kAmount        // {"Value":20.0,"Currency":"BGN"}
	kQuantity      // {"Value":1,"Unit":"pcs"}
	kGUID          // Id
	kRef           // reference to an entity of Target
	kChildren      // child collection: entities of Target whose Back refers to this one
)

// prop describes one property of an entity type.
type prop struct {
	Name   string
	Kind   kind
	Target string // entity set of a kRef or kChildren
	Back   string // for kChildren: the child's reference to its parent
	// Default marks properties in the default $select set. Id, ObjectVersion, calculated
	// attributes and child collections are never in it, as on the real server.
	Default bool
	// ReadOnly properties cannot be set through POST/PATCH (State moves only by ChangeState).
	ReadOnly bool
}

// entitySet describes one entity set of the Domain API.
type entitySet struct {
	Name string
	// Storage is where the entities live; sets that are views of another (Companies and Persons
	// are Parties) name it, with TypeFilter selecting their PartyType.
	Storage    string
	TypeFilter string
	Props      []*prop
	byName     map[string]*prop
	// Document sets have State/Void and the document rules for writes.
	Document bool
	// ReadOnlySet sets refuse POST/PATCH/DELETE (views such as PaymentBalances).
	ReadOnlySet bool
}

func (es *entitySet) prop(name string) *prop { return es.byName[name] }

// typeName is the EDM type name: the set name made singular, in namespace Erp.
func (es *entitySet) typeName() string {
	name := es.Name
	switch {
	case strings.HasSuffix(name, "ies"):
		name = strings.TrimSuffix(name, "ies") + "y"
	case strings.HasSuffix(name, "sses"), strings.HasSuffix(name, "xes"):
		name = strings.TrimSuffix(name, "es")
	case strings.HasSuffix(name, "s"):
		name = strings.TrimSuffix(name, "s")
	}
	return "Erp." + name
}

// Entity set names used across the simulator.
const (
	setEnterpriseCompanies = "General_EnterpriseCompanies"
	setCompanyLocations    = "General_EnterpriseCompanyLocations"
	setCurrencies          = "General_Currencies"
	setUnits               = "General_MeasurementUnits"
	setParties             = "General_Contacts_Parties"
	setCompanies           = "General_Contacts_Companies"
	setPersons             = "General_Contacts_Persons"
	setUsers               = "Systems_Security_Users"
	setCustomers           = "Crm_Sales_Customers"
	setExternalAccess      = "Crm_Sales_CustomerExternalAccess"
	setDocumentTypes       = "Systems_Documents_DocumentTypes"
	setDistribution        = "Crm_Sales_DistributionChannels"
	setStores              = "Logistics_Inventory_Stores"
	setProductGroups       = "General_Products_ProductGroups"
	setProducts            = "General_Products_Products"
	setPriceLists          = "Crm_PriceLists"
	setSalesOrders         = "Crm_Sales_SalesOrders"
	setSalesOrderLines     = "Crm_Sales_SalesOrderLines"
	setInvoices            = "Crm_Invoicing_Invoices"
	setInvoiceLines        = "Crm_Invoicing_InvoiceLines"
	setPaymentOrders       = "Finance_Payments_PaymentOrders"
	setPaymentBalances     = "Finance_Payments_PaymentBalances"
	setPaymentTransactions = "Finance_Payments_PaymentTransactions"
	setPaymentTxLines      = "Finance_Payments_PaymentTransactionLines"
	setObjectFiles         = "Systems_Core_ObjectFiles"
)

// p builds a default-set property; helpers below tweak it.
func p(name string, k kind) *prop { return &prop{Name: name, Kind: k, Default: true} }
func ref(name, target string) *prop {
	return &prop{Name: name, Kind: kRef, Target: target, Default: true}
}
func children(name, target, back string) *prop {
	return &prop{Name: name, Kind: kChildren, Target: target, Back: back}
}
func readOnly(pr *prop) *prop { pr.ReadOnly = true; return pr }

// documentProps are the header fields every Erp.Net document shares.
func documentProps() []*prop {
	return []*prop{
		p("DocumentNo", kString), p("DocumentDate", kDate), readOnly(p("State", kEnum)),
		readOnly(p("Void", kBool)), readOnly(p("VoidReason", kString)), p("DocumentNotes", kString),
		readOnly(p("CreationTime", kDateTime)), readOnly(p("CreationUser", kString)), readOnly(p("ReleaseTime", kDateTime)),
		ref("DocumentType", setDocumentTypes), ref("EnterpriseCompany", setEnterpriseCompanies),
		ref("EnterpriseCompanyLocation", setCompanyLocations), ref("DocumentCurrency", setCurrencies),
	}
}

func partyProps() []*prop {
	return []*prop{p("PartyCode", kString), p("PartyName", kML), readOnly(p("PartyType", kEnum)), p("PartyUniqueNumber", kString)}
}

// schema lists the entity sets the simulator serves: the faithful subset a Client Center reads.
func schema() map[string]*entitySet {
	sets := []*entitySet{
		{Name: setEnterpriseCompanies, Props: []*prop{p("Code", kString), ref("Company", setCompanies), ref("BaseCurrency", setCurrencies)}},
		{Name: setCompanyLocations, Props: []*prop{p("Code", kString), p("Name", kML), ref("EnterpriseCompany", setEnterpriseCompanies)}},
		{Name: setCurrencies, Props: []*prop{p("Code", kString), p("Name", kML)}},
		{Name: setUnits, Props: []*prop{p("Code", kString), p("Name", kML)}},
		{Name: setParties, Props: partyProps()},
		{Name: setCompanies, Storage: setParties, TypeFilter: "C", Props: append(partyProps(),
			p("RegistrationNumber", kString), p("RegistrationVATNumber", kString), p("IsVATRegistered", kBool),
			p("City", kML), p("AddressLine", kML), p("PostalCode", kString), p("Country", kString),
			p("Phone", kString), p("Email", kString))},
		{Name: setPersons, Storage: setParties, TypeFilter: "P", Props: append(partyProps(),
			p("FirstName", kML), p("LastName", kML), ref("ParentParty", setParties))},
		{Name: setUsers, Props: []*prop{p("Login", kString), p("Name", kML), p("Email", kString), p("Active", kBool),
			p("IsAdmin", kBool), p("UserType", kEnum), ref("Person", setPersons)}},
		{Name: setCustomers, Props: []*prop{p("Number", kString), p("Active", kBool), p("FromDate", kDate), p("ThruDate", kDate),
			p("CreditLimit", kAmount), p("DefaultPaymentTermDays", kInt), p("GracePeriodDays", kInt),
			ref("Party", setParties), ref("EnterpriseCompany", setEnterpriseCompanies),
			ref("ServicedByEnterpriseCompanyLocation", setCompanyLocations), ref("DefaultCurrency", setCurrencies),
			ref("DefaultDistributionChannel", setDistribution), ref("DefaultPriceList", setPriceLists),
			children("ExternalAccess", setExternalAccess, "Customer")}},
		{Name: setExternalAccess, Props: []*prop{ref("Customer", setCustomers), ref("User", setUsers),
			p("Role", kEnum), p("DaysBackAccess", kInt), p("Notes", kString)}},
		{Name: setDocumentTypes, Props: []*prop{p("Code", kString), p("Name", kML), p("EntityName", kString)}},
		{Name: setDistribution, Props: []*prop{p("Code", kString), p("Name", kML)}},
		{Name: setStores, Props: []*prop{p("Code", kString), p("Name", kML)}},
		{Name: setProductGroups, Props: []*prop{p("Code", kString), p("Name", kML)}},
		{Name: setPriceLists, Props: []*prop{p("Code", kString), p("Name", kML), ref("Currency", setCurrencies)}},
		{Name: setProducts, Props: []*prop{p("PartNumber", kString), p("Name", kML), p("ShortName", kML), p("Description", kML),
			p("Active", kBool), p("StandardPricePerLot", kAmount), ref("MeasurementUnit", setUnits), ref("ProductGroup", setProductGroups)}},
		{Name: setSalesOrders, Document: true, Props: append(documentProps(),
			p("AmountToPay", kAmount), p("TotalLineAmount", kAmount), p("PaymentDueDate", kDate), p("RequiredDeliveryDate", kDate),
			p("CustomerPurchaseOrderNo", kString), ref("Customer", setCustomers), ref("ShipToCustomer", setCustomers),
			ref("DistributionChannel", setDistribution), ref("Store", setStores), ref("PriceList", setPriceLists),
			children("Lines", setSalesOrderLines, "SalesOrder"))},
		{Name: setSalesOrderLines, Props: []*prop{p("LineNo", kInt), p("Quantity", kQuantity), p("QuantityBase", kQuantity),
			p("UnitPrice", kAmount), p("LineAmount", kAmount), p("LineStandardDiscountPercent", kDecimal),
			p("ProductDescription", kML), p("Notes", kString), p("RequiredDeliveryDate", kDate),
			ref("SalesOrder", setSalesOrders), ref("Product", setProducts), ref("QuantityUnit", setUnits)}},
		{Name: setInvoices, Document: true, Props: append(documentProps(),
			p("ApplyDate", kDate), p("AmountToPay", kAmount), p("PaymentDueDate", kDate),
			ref("CreditNoteOriginalInvoice", setInvoices), ref("Customer", setCustomers),
			children("Lines", setInvoiceLines, "Invoice"))},
		{Name: setInvoiceLines, Props: []*prop{p("LineNo", kInt), p("Quantity", kQuantity), p("UnitPrice", kAmount),
			p("LineAmount", kAmount), p("ProductDescription", kML), ref("Invoice", setInvoices), ref("Product", setProducts),
			ref("SalesOrder", setSalesOrders)}},
		{Name: setPaymentOrders, Document: true, Props: append(documentProps(),
			p("Direction", kEnum), p("DueDate", kDate), p("TotalAmount", kAmount), ref("Party", setParties),
			p("RefDocumentNo", kString), ref("RefInvoiceDocument", setInvoices))},
		{Name: setPaymentBalances, ReadOnlySet: true, Props: []*prop{p("Direction", kEnum), p("DueDate", kDate), p("DueStartDate", kDate),
			p("DueStatus", kEnum), p("PaymentStatus", kEnum), p("IsInvoiced", kBool), p("OrderAmount", kAmount),
			p("PaidAmount", kAmount), p("RemainingAmount", kAmount), p("RefDocumentNo", kString), p("RefDocumentDate", kDate),
			p("RefInvoiceDocumentNo", kString), p("RefInvoiceDocumentDate", kDate), ref("Party", setParties),
			ref("PaymentOrder", setPaymentOrders), ref("Currency", setCurrencies), ref("RefInvoiceDocument", setInvoices),
			ref("EnterpriseCompany", setEnterpriseCompanies)}},
		{Name: setPaymentTransactions, Document: true, Props: append(documentProps(),
			p("TotalAmount", kAmount), ref("Party", setParties), children("Lines", setPaymentTxLines, "PaymentTransaction"))},
		{Name: setPaymentTxLines, Props: []*prop{p("Amount", kAmount), p("CoveredOrderAmount", kAmount),
			ref("PaymentOrder", setPaymentOrders), ref("PaymentTransaction", setPaymentTransactions)}},
		{Name: setObjectFiles, Props: []*prop{p("FileName", kString), p("EmbeddedFileContents", kString), p("FileSizeBytes", kInt),
			p("MediaType", kString), p("AccessPermission", kEnum), p("Notes", kString), ref("Object", "")}},
	}
	out := make(map[string]*entitySet, len(sets))
	for _, es := range sets {
		if es.Storage == "" {
			es.Storage = es.Name
		}
		// Every entity has these; none is in the default set.
		es.Props = append(es.Props, &prop{Name: "Id", Kind: kGUID}, &prop{Name: "ObjectVersion", Kind: kInt, ReadOnly: true},
			&prop{Name: "DisplayText", Kind: kString, ReadOnly: true})
		es.byName = make(map[string]*prop, len(es.Props))
		for _, pr := range es.Props {
			es.byName[pr.Name] = pr
		}
		out[es.Name] = es
	}
	return out
}
