package erpnet

// Document states (enum General_DocumentState), in their order: a state "before Released" is
// one whose StateRank is lower than Released's.
const (
	StateNew         = "New"
	StateAdjustment  = "Adjustment"
	StatePlanned     = "Planned"
	StateFirmPlanned = "FirmPlanned"
	StateReleased    = "Released"
	StateCompleted   = "Completed"
	StateClosed      = "Closed"
)

// StateRank is the numeric value of a document state (New=0 ... Closed=50), or -1 for a name
// that is not a state.
func StateRank(state string) int {
	switch state {
	case StateNew:
		return 0
	case StateAdjustment:
		return 5
	case StatePlanned:
		return 10
	case StateFirmPlanned:
		return 20
	case StateReleased:
		return 30
	case StateCompleted:
		return 40
	case StateClosed:
		return 50
	}
	return -1
}

// Document holds the header fields every Erp.Net document shares. It is embedded in the
// document entities.
type Document struct {
	DocumentNo                string                  `json:"DocumentNo"`
	DocumentDate              Time                    `json:"DocumentDate"`
	State                     string                  `json:"State"`
	Void                      bool                    `json:"Void"`
	VoidReason                string                  `json:"VoidReason"`
	DocumentNotes             string                  `json:"DocumentNotes"`
	CreationTime              Time                    `json:"CreationTime"`
	CreationUser              string                  `json:"CreationUser"`
	ReleaseTime               Time                    `json:"ReleaseTime"`
	DocumentType              Link[DocumentType]      `json:"DocumentType"`
	EnterpriseCompany         Link[EnterpriseCompany] `json:"EnterpriseCompany"`
	EnterpriseCompanyLocation Ref                     `json:"EnterpriseCompanyLocation"`
	DocumentCurrency          Link[Currency]          `json:"DocumentCurrency"`
}

// SalesOrder is a customer's order; Lines are there only when expanded.
type SalesOrder struct {
	Base
	Document
	AmountToPay             Amount                    `json:"AmountToPay"`
	TotalLineAmount         Amount                    `json:"TotalLineAmount"`
	PaymentDueDate          Time                      `json:"PaymentDueDate"`
	RequiredDeliveryDate    Time                      `json:"RequiredDeliveryDate"`
	CustomerPurchaseOrderNo string                    `json:"CustomerPurchaseOrderNo"`
	Customer                Link[Customer]            `json:"Customer"`
	ShipToCustomer          Link[Customer]            `json:"ShipToCustomer"`
	DistributionChannel     Link[DistributionChannel] `json:"DistributionChannel"`
	Store                   Ref                       `json:"Store"`
	PriceList               Ref                       `json:"PriceList"`
	Lines                   []SalesOrderLine          `json:"Lines"`
	// PromotionalPackages are the packages the order sells, there only when expanded.
	PromotionalPackages []SalesOrderPackage `json:"PromotionalPackages"`
	// ExternalID and ExternalSystem name what created the order elsewhere (New Order's drafts).
	ExternalID     string `json:"ExternalId"`
	ExternalSystem string `json:"ExternalSystem"`
	// LastUpdate is when the order or any of its lines last changed.
	LastUpdate Time `json:"AggregateLastUpdateTimeUtc"`
}

// EntitySet is Crm_Sales_SalesOrders.
func (SalesOrder) EntitySet() string { return SetSalesOrders }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *SalesOrder) UnmarshalJSON(b []byte) error {
	type raw SalesOrder
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// SalesOrderLine is one line of a sales order.
type SalesOrderLine struct {
	Base
	LineNo                      int                   `json:"LineNo"`
	Quantity                    Quantity              `json:"Quantity"`
	QuantityBase                Quantity              `json:"QuantityBase"`
	UnitPrice                   Amount                `json:"UnitPrice"`
	LineAmount                  Amount                `json:"LineAmount"`
	LineStandardDiscountPercent float64               `json:"LineStandardDiscountPercent"`
	ProductDescription          MLString              `json:"ProductDescription"`
	Notes                       string                `json:"Notes"`
	RequiredDeliveryDate        Time                  `json:"RequiredDeliveryDate"`
	SalesOrder                  Link[SalesOrder]      `json:"SalesOrder"`
	Product                     Link[Product]         `json:"Product"`
	QuantityUnit                Link[MeasurementUnit] `json:"QuantityUnit"`
	// PromotionalPackage is the package the line was added from; empty for a line of its own.
	PromotionalPackage Link[PromotionalPackage] `json:"PromotionalPackage"`
}

// EntitySet is Crm_Sales_SalesOrderLines.
func (SalesOrderLine) EntitySet() string { return SetSalesOrderLines }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *SalesOrderLine) UnmarshalJSON(b []byte) error {
	type raw SalesOrderLine
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// Invoice is an invoice or credit note; Lines are there only when expanded.
type Invoice struct {
	Base
	Document
	ApplyDate                 Time           `json:"ApplyDate"`
	AmountToPay               Amount         `json:"AmountToPay"`
	TotalLineAmount           Amount         `json:"TotalLineAmount"` // the lines' total (calculated: only when selected)
	PaymentDueDate            Time           `json:"PaymentDueDate"`
	CreditNoteOriginalInvoice Ref            `json:"CreditNoteOriginalInvoice"`
	Customer                  Link[Customer] `json:"Customer"`
	Lines                     []InvoiceLine  `json:"Lines"`
}

// EntitySet is Crm_Invoicing_Invoices.
func (Invoice) EntitySet() string { return SetInvoices }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *Invoice) UnmarshalJSON(b []byte) error {
	type raw Invoice
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// InvoiceLine is one line of an invoice.
type InvoiceLine struct {
	Base
	LineNo             int           `json:"LineNo"`
	Quantity           Quantity      `json:"Quantity"`
	UnitPrice          Amount        `json:"UnitPrice"`
	LineAmount         Amount        `json:"LineAmount"`
	ProductDescription MLString      `json:"ProductDescription"`
	Invoice            Link[Invoice] `json:"Invoice"`
	Product            Link[Product] `json:"Product"`
	SalesOrder         Ref           `json:"SalesOrder"`
	// QuantityUnit is the line's unit, whose Name the person reads in their language.
	QuantityUnit Link[MeasurementUnit] `json:"QuantityUnit"`
}

// EntitySet is Crm_Invoicing_InvoiceLines.
func (InvoiceLine) EntitySet() string { return SetInvoiceLines }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *InvoiceLine) UnmarshalJSON(b []byte) error {
	type raw InvoiceLine
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// PaymentBalance is one row of the due-payments view: what is still owed on a payment order.
type PaymentBalance struct {
	Base
	Direction              string         `json:"Direction"` // R incoming, I outgoing
	DueDate                Time           `json:"DueDate"`
	DueStartDate           Time           `json:"DueStartDate"`
	DueStatus              string         `json:"DueStatus"`     // Scheduled | Due | GracePeriod | Overdue | NotApplicable
	PaymentStatus          string         `json:"PaymentStatus"` // Unpaid | PartiallyPaid | Paid | Overpaid | Other
	IsInvoiced             bool           `json:"IsInvoiced"`
	OrderAmount            Amount         `json:"OrderAmount"`
	PaidAmount             Amount         `json:"PaidAmount"`
	RemainingAmount        Amount         `json:"RemainingAmount"`
	RefDocumentNo          string         `json:"RefDocumentNo"`
	RefDocumentDate        Time           `json:"RefDocumentDate"`
	RefInvoiceDocumentNo   string         `json:"RefInvoiceDocumentNo"`
	RefInvoiceDocumentDate Time           `json:"RefInvoiceDocumentDate"`
	Party                  Ref            `json:"Party"`
	PaymentOrder           Ref            `json:"PaymentOrder"`
	Currency               Link[Currency] `json:"Currency"`
	RefInvoiceDocument     Link[Invoice]  `json:"RefInvoiceDocument"`
	EnterpriseCompany      Ref            `json:"EnterpriseCompany"`
}

// EntitySet is Finance_Payments_PaymentBalances.
func (PaymentBalance) EntitySet() string { return SetPaymentBalances }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *PaymentBalance) UnmarshalJSON(b []byte) error {
	type raw PaymentBalance
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// PaymentTransaction is a payment made; Lines are there only when expanded.
type PaymentTransaction struct {
	Base
	Document
	TotalAmount Amount                   `json:"TotalAmount"`
	Party       Ref                      `json:"Party"`
	Lines       []PaymentTransactionLine `json:"Lines"`
}

// EntitySet is Finance_Payments_PaymentTransactions.
func (PaymentTransaction) EntitySet() string { return SetPaymentTransactions }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *PaymentTransaction) UnmarshalJSON(b []byte) error {
	type raw PaymentTransaction
	return decodeEntity(b, (*raw)(e), &e.Base)
}

// PaymentTransactionLine is the part of a payment that covers one payment order.
type PaymentTransactionLine struct {
	Base
	Amount             Amount `json:"Amount"`
	CoveredOrderAmount Amount `json:"CoveredOrderAmount"`
	PaymentOrder       Ref    `json:"PaymentOrder"`
	PaymentTransaction Ref    `json:"PaymentTransaction"`
}

// EntitySet is Finance_Payments_PaymentTransactionLines.
func (PaymentTransactionLine) EntitySet() string { return SetPaymentTransactionLines }

// UnmarshalJSON decodes the entity and fills its ID.
func (e *PaymentTransactionLine) UnmarshalJSON(b []byte) error {
	type raw PaymentTransactionLine
	return decodeEntity(b, (*raw)(e), &e.Base)
}
