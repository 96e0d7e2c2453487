package erpnet

import "encoding/json"

// Entity sets of the Domain API that the portal reads or writes.
const (
	SetCustomers               = "Crm_Sales_Customers"
	SetExternalAccess          = "Crm_Sales_CustomerExternalAccess"
	SetParties                 = "General_Contacts_Parties"
	SetCompanies               = "General_Contacts_Companies"
	SetPersons                 = "General_Contacts_Persons"
	SetUsers                   = "Systems_Security_Users"
	SetSalesOrders             = "Crm_Sales_SalesOrders"
	SetSalesOrderLines         = "Crm_Sales_SalesOrderLines"
	SetInvoices                = "Crm_Invoicing_Invoices"
	SetInvoiceLines            = "Crm_Invoicing_InvoiceLines"
	SetPaymentBalances         = "Finance_Payments_PaymentBalances"
	SetPaymentTransactions     = "Finance_Payments_PaymentTransactions"
	SetPaymentTransactionLines = "Finance_Payments_PaymentTransactionLines"
	SetProducts                = "General_Products_Products"
	SetDocumentTypes           = "Systems_Documents_DocumentTypes"
	SetObjectFiles             = "Systems_Core_ObjectFiles"
	SetEnterpriseCompanies     = "General_EnterpriseCompanies"
	SetCurrencies              = "General_Currencies_Currencies"
	SetMeasurementUnits        = "General_Products_MeasurementUnits"
	SetDistributionChannels    = "Crm_Marketing_DistributionChannels"
	SetDataObjects             = "Systems_Core_ExtensibleDataObjects"
	SetProductPictures         = "General_Products_ProductPictures"
	SetCustomerProducts        = "Crm_Sales_CustomerProducts"
	SetProductChannels         = "Crm_Marketing_ProductDistributionChannels"
	SetPartyContactMechanisms  = "General_Contacts_PartyContactMechanisms"
	SetCountries               = "General_Geography_Countries"
	SetPaymentAccounts         = "Finance_Payments_PaymentAccounts"
	SetPaymentOrders           = "Finance_Payments_PaymentOrders"
	SetComments                = "Communities_Social_Comments"
	SetAvailableToPromise      = "Logistics_Inventory_DemandManagement_AvailableToPromise"
)

// Entity is implemented by every typed entity: it names the set the type is read from, which
// lets the generic readers (All, Page, One) fill in the query's set.
type Entity interface {
	EntitySet() string
}

// Base holds what every entity carries. ID is filled from Id when it was selected, otherwise from
// the entity's @odata.id, which Erp.Net always sends; ObjectVersion and DisplayText are only
// there when selected.
type Base struct {
	ID            string `json:"Id"`
	ObjectVersion int    `json:"ObjectVersion"`
	DisplayText   string `json:"DisplayText"`
	ODataID       string `json:"@odata.id"`
}

// AsRef is a reference to the entity, for filters and request bodies, made from the @odata.id
// Erp.Net sent with it (an entity not read from Erp.Net has none, and an empty Ref is refused as
// a filter literal).
func (b Base) AsRef() Ref {
	r, err := ParseRef(b.ODataID)
	if err != nil {
		return Ref{}
	}
	return r
}

func (b *Base) fillID() {
	if b.ID != "" || b.ODataID == "" {
		return
	}
	if r, err := ParseRef(b.ODataID); err == nil {
		b.ID = r.ID
	}
}

// decodeEntity decodes b into v (an alias of an entity type, without its UnmarshalJSON method,
// so the call does not recurse) and completes the entity's Base.
func decodeEntity[T any](b []byte, v *T, base *Base) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	base.fillID()
	return nil
}

// Party is a company or a person, as General_Contacts_Parties serves it.
type Party struct {
	Base
	PartyCode         string   `json:"PartyCode"`
	PartyName         MLString `json:"PartyName"`
	PartyType         string   `json:"PartyType"`
	PartyUniqueNumber string   `json:"PartyUniqueNumber"`
}

// EntitySet is General_Contacts_Parties.
func (Party) EntitySet() string { return SetParties }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Party) UnmarshalJSON(b []byte) error {
	type raw Party
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// Company is a party of type Company: the customer's own company in the Customer Profile. The
// model has no address lines or contacts on it: the address is RegistrationPrimaryAddress, the
// country a reference and the contacts the party's contact mechanisms.
type Company struct {
	Base
	PartyCode                  string         `json:"PartyCode"`
	PartyName                  MLString       `json:"PartyName"`
	PartyType                  string         `json:"PartyType"` // Company, Person, ... (Domain API values)
	PartyUniqueNumber          string         `json:"PartyUniqueNumber"`
	RegistrationNumber         string         `json:"RegistrationNumber"` // the UIN
	RegistrationVATNumber      string         `json:"RegistrationVATNumber"`
	IsVATRegistered            bool           `json:"IsVATRegistered"`
	City                       MLString       `json:"City"`
	RegistrationPrimaryAddress MLString       `json:"RegistrationPrimaryAddress"`
	Country                    Link[Country]  `json:"Country"`
	ContactMechanisms          []PartyContact `json:"ContactMechanisms"`
}

// Country is a country, named in every language.
type Country struct {
	Base
	Code string   `json:"Code"`
	Name MLString `json:"Name"`
}

// EntitySet is General_Geography_Countries.
func (Country) EntitySet() string { return SetCountries }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Country) UnmarshalJSON(b []byte) error {
	type raw Country
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// PartyContact is one of a party's contact mechanisms: a telephone, an e-mail address, a site.
type PartyContact struct {
	Base
	ContactMechanismType string `json:"ContactMechanismType"` // Telephone, Mail, WebSite, ...
	Name                 string `json:"Name"`
	IsActive             bool   `json:"IsActive"`
}

// EntitySet is General_Contacts_PartyContactMechanisms.
func (PartyContact) EntitySet() string { return SetPartyContactMechanisms }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *PartyContact) UnmarshalJSON(b []byte) error {
	type raw PartyContact
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// EntitySet is General_Contacts_Companies.
func (Company) EntitySet() string { return SetCompanies }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Company) UnmarshalJSON(b []byte) error {
	type raw Company
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// Person is a party of type "P"; ParentParty is the company the person works for.
type Person struct {
	Base
	PartyCode   string      `json:"PartyCode"`
	PartyName   MLString    `json:"PartyName"`
	FirstName   MLString    `json:"FirstName"`
	LastName    MLString    `json:"LastName"`
	ParentParty Link[Party] `json:"ParentParty"`
}

// EntitySet is General_Contacts_Persons.
func (Person) EntitySet() string { return SetPersons }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Person) UnmarshalJSON(b []byte) error {
	type raw Person
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// User is an Erp.Net user account (Systems_Security_Users).
type User struct {
	Base
	Login    string       `json:"Login"`
	Name     MLString     `json:"Name"`
	Email    string       `json:"Email"`
	Active   bool         `json:"Active"`
	IsAdmin  bool         `json:"IsAdmin"`
	UserType string       `json:"UserType"` // InternalUser, ExternalCommunityUser, ... (Domain API values)
	Person   Link[Person] `json:"Person"`
}

// EntitySet is Systems_Security_Users.
func (User) EntitySet() string { return SetUsers }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *User) UnmarshalJSON(b []byte) error {
	type raw User
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// Display is how Erp.Net shows a user: "{Name} <{Login}> [{UserType:DB}]", the type by its
// database code (EXT for an external community user), as the vendor's Client Center writes it.
func (e User) Display() string {
	return e.Name.String() + " <" + e.Login + "> [" + e.TypeCode() + "]"
}

// TypeCode is the user type by its database code (EXT), as Display writes it.
func (e User) TypeCode() string { return userTypeDB[e.UserType] }

// Customer is a customer agreement between a party and an enterprise company.
type Customer struct {
	Base
	Number                              string                  `json:"Number"`
	Active                              bool                    `json:"Active"`
	FromDate                            Time                    `json:"FromDate"`
	ThruDate                            Time                    `json:"ThruDate"`
	CreditLimit                         Amount                  `json:"CreditLimit"`
	DefaultPaymentTermDays              int                     `json:"DefaultPaymentTermDays"`
	GracePeriodDays                     int                     `json:"GracePeriodDays"`
	Party                               Link[Party]             `json:"Party"`
	EnterpriseCompany                   Link[EnterpriseCompany] `json:"EnterpriseCompany"`
	ServicedByEnterpriseCompanyLocation Ref                     `json:"ServicedByEnterpriseCompanyLocation"`
	DefaultCurrency                     Link[Currency]          `json:"DefaultCurrency"`
	DefaultDistributionChannel          Ref                     `json:"DefaultDistributionChannel"`
	DefaultPriceList                    Ref                     `json:"DefaultPriceList"`
	ExternalAccess                      []ExternalAccess        `json:"ExternalAccess"`
}

// EntitySet is Crm_Sales_Customers.
func (Customer) EntitySet() string { return SetCustomers }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Customer) UnmarshalJSON(b []byte) error {
	type raw Customer
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// ExternalAccess grants one user access to one customer's Client Center with a role.
type ExternalAccess struct {
	Base
	Customer Link[Customer] `json:"Customer"`
	User     Link[User]     `json:"User"`
	// Role as Erp.Net names it (Basic, Orders, OrdersWithPrices, Billing, Admin, Owner).
	Role string `json:"Role"`
	// DaysBackAccess limits how old a document the user may see; nil means unlimited.
	DaysBackAccess *int   `json:"DaysBackAccess"`
	Notes          string `json:"Notes"`
}

// EntitySet is Crm_Sales_CustomerExternalAccess.
func (ExternalAccess) EntitySet() string { return SetExternalAccess }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *ExternalAccess) UnmarshalJSON(b []byte) error {
	type raw ExternalAccess
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// EnterpriseCompany is the tenant's own company a Client Center serves. It has no code: it is
// named by its company (Company.PartyName).
type EnterpriseCompany struct {
	Base
	Company      Link[Company]  `json:"Company"`
	BaseCurrency Link[Currency] `json:"BaseCurrency"`
}

// EntitySet is General_EnterpriseCompanies.
func (EnterpriseCompany) EntitySet() string { return SetEnterpriseCompanies }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *EnterpriseCompany) UnmarshalJSON(b []byte) error {
	type raw EnterpriseCompany
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// Currency is a currency such as BGN or EUR, coded by its CurrencySign; its Name is plain text.
type Currency struct {
	Base
	CurrencySign string `json:"CurrencySign"`
	Name         string `json:"Name"`
}

// EntitySet is General_Currencies_Currencies.
func (Currency) EntitySet() string { return SetCurrencies }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Currency) UnmarshalJSON(b []byte) error {
	type raw Currency
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// MeasurementUnit is a unit such as pcs or kg.
type MeasurementUnit struct {
	Base
	Code string   `json:"Code"`
	Name MLString `json:"Name"`
}

// EntitySet is General_Products_MeasurementUnits.
func (MeasurementUnit) EntitySet() string { return SetMeasurementUnits }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *MeasurementUnit) UnmarshalJSON(b []byte) error {
	type raw MeasurementUnit
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// DocumentType is a kind of document; EntityName says which documents it types ("SalesOrders").
type DocumentType struct {
	Base
	Code       string   `json:"Code"`
	TypeName   MLString `json:"TypeName"`
	EntityName string   `json:"EntityName"`
}

// EntitySet is Systems_Documents_DocumentTypes.
func (DocumentType) EntitySet() string { return SetDocumentTypes }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *DocumentType) UnmarshalJSON(b []byte) error {
	type raw DocumentType
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// Product is a product a customer can order.
type Product struct {
	Base
	PartNumber          string                `json:"PartNumber"`
	Name                MLString              `json:"Name"`
	ShortName           MLString              `json:"ShortName"`
	Description         MLString              `json:"Description"`
	Active              bool                  `json:"Active"`
	StandardPricePerLot Amount                `json:"StandardPricePerLot"` // the price of StandardLotSizeBase
	StandardLotSizeBase Quantity              `json:"StandardLotSizeBase"`
	MeasurementUnit     Link[MeasurementUnit] `json:"MeasurementUnit"`
	ProductGroup        Ref                   `json:"ProductGroup"`
}

// EntitySet is General_Products_Products.
func (Product) EntitySet() string { return SetProducts }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Product) UnmarshalJSON(b []byte) error {
	type raw Product
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// ObjectFile is a file attached to an entity. Only files whose AccessPermission is External may
// reach a customer.
type ObjectFile struct {
	Base
	FileName string `json:"FileName"`
	// EmbeddedFileContents is the file itself, sent as Base64 and decoded here; it is only there
	// when selected, so lists can leave it out.
	EmbeddedFileContents []byte `json:"EmbeddedFileContents"`
	FileSizeBytes        int64  `json:"FileSizeBytes"`
	MediaType            string `json:"MediaType"`
	AccessPermission     string `json:"AccessPermission"` // Creator | Internal | External
	ContentLocation      string `json:"ContentLocation"`  // Embedded | InternetUrl | FileSystemLink
	Notes                string `json:"Notes"`
	Object               Ref    `json:"Object"` // a Systems_Core_ExtensibleDataObjects reference
}

// EntitySet is Systems_Core_ObjectFiles.
func (ObjectFile) EntitySet() string { return SetObjectFiles }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *ObjectFile) UnmarshalJSON(b []byte) error {
	type raw ObjectFile
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// DistributionChannel is a sales channel, such as the Client Center's own (SiteChannel).
type DistributionChannel struct {
	Base
	Code string   `json:"Code"`
	Name MLString `json:"Name"`
}

// EntitySet is Crm_Marketing_DistributionChannels.
func (DistributionChannel) EntitySet() string { return SetDistributionChannels }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *DistributionChannel) UnmarshalJSON(b []byte) error {
	type raw DistributionChannel
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// userTypeDB are the database codes of the UserType values, as the vendor shows them.
var userTypeDB = map[string]string{"InternalUser": "INT", "ExternalCommunityUser": "EXT", "VirtualUserNoLogin": "VIR",
	"SystemUserNoLogin": "SYS", "ApplicationUserNoLogin": "APP", "InvitationInternalNoLogin": "INI", "InvitationExternalNoLogin": "INE"}

// DataObject is the extensible data object of an entity: files hang on it, not on the entity.
type DataObject struct {
	Base
	EntityType   string `json:"EntityType"`
	EntityItemID string `json:"EntityItemId"`
}

// EntitySet is Systems_Core_ExtensibleDataObjects.
func (DataObject) EntitySet() string { return SetDataObjects }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *DataObject) UnmarshalJSON(b []byte) error {
	type raw DataObject
	return decodeEntity(b, (*raw)(e), &e.Base)
}
