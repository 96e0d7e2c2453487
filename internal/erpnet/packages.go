package erpnet

// Promotional packages: Crm_Pricing_PromotionalPackages, their lines, and the packages a sales
// order sells (Crm_Sales_SalesOrderPromotionalPackages, the order's child collection
// PromotionalPackages).
const (
	SetPromotionalPackages     = "Crm_Pricing_PromotionalPackages"
	SetPromotionalPackageLines = "Crm_Pricing_PromotionalPackageLines"
	SetSalesOrderPackages      = "Crm_Sales_SalesOrderPromotionalPackages"
)

// PromotionalPackage is a package of products sold together on special terms; Lines are there
// only when expanded. Its validity is its dates, Active, and the restrictions: each reference
// empty or the order's, each filter expression empty or matched (see the portal's rule).
type PromotionalPackage struct {
	Base
	Code                         string                   `json:"Code"`
	Name                         string                   `json:"Name"`
	Active                       bool                     `json:"Active"`
	ValidFromDate                Time                     `json:"ValidFromDate"`
	ValidToDate                  Time                     `json:"ValidToDate"`
	CustomerFilterXML            string                   `json:"ValidForCustomerFilterXML"`
	ShipToCustomerFilterXML      string                   `json:"ValidForShipToCustomerFilterXML"`
	DistributionChannelFilterXML string                   `json:"ValidForDistributionChannelFilterXML"`
	Campaign                     Ref                      `json:"Campaign"`
	EnterpriseCompany            Ref                      `json:"EnterpriseCompany"`
	EnterpriseCompanyLocation    Ref                      `json:"EnterpriseCompanyLocation"`
	ValidForCustomer             Ref                      `json:"ValidForCustomer"`
	ValidForShipToCustomer       Ref                      `json:"ValidForShipToCustomer"`
	ValidForDistributionChannel  Ref                      `json:"ValidForDistributionChannel"`
	ValidForPriceList            Ref                      `json:"ValidForPriceList"`
	ValidForTargetGroup          Ref                      `json:"ValidForTargetGroup"`
	Lines                        []PromotionalPackageLine `json:"Lines"`
}

// EntitySet is Crm_Pricing_PromotionalPackages.
func (PromotionalPackage) EntitySet() string { return SetPromotionalPackages }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *PromotionalPackage) UnmarshalJSON(b []byte) error {
	type raw PromotionalPackage
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// PromotionalPackageLine is a product of a package: its quantity per package (in the product's
// base unit), and either a unit price or only a change of the standard discount.
type PromotionalPackageLine struct {
	Base
	LineNumber int      `json:"LineNumber"`
	Quantity   Quantity `json:"Quantity"`
	// UnitPrice is nil when the package changes only the discount.
	UnitPrice *Amount `json:"UnitPrice"`
	// DiscountRule is StandardDiscountAdjustOrReplace: Add, Replace or MarkDown.
	DiscountRule string `json:"StandardDiscountAdjustOrReplace"`
	// DiscountPercent is StandardDiscountPercentAdjust, a fraction (0.15 is 15%).
	DiscountPercent float64       `json:"StandardDiscountPercentAdjust"`
	Product         Link[Product] `json:"Product"`
}

// EntitySet is Crm_Pricing_PromotionalPackageLines.
func (PromotionalPackageLine) EntitySet() string { return SetPromotionalPackageLines }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *PromotionalPackageLine) UnmarshalJSON(b []byte) error {
	type raw PromotionalPackageLine
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// SalesOrderPackage is a promotional package a sales order sells, and how many.
type SalesOrderPackage struct {
	Base
	LineNumber         int                      `json:"LineNumber"`
	NumberOfPackages   int                      `json:"NumberOfPackages"`
	PromotionalPackage Link[PromotionalPackage] `json:"PromotionalPackage"`
}

// EntitySet is Crm_Sales_SalesOrderPromotionalPackages.
func (SalesOrderPackage) EntitySet() string { return SetSalesOrderPackages }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *SalesOrderPackage) UnmarshalJSON(b []byte) error {
	type raw SalesOrderPackage
	return decodeEntity(b, (*raw)(e), &e.Base)
}
