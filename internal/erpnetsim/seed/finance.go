package seed

import (
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/odata"
)

// Bank accounts of the enterprise company, one per currency it is paid in. The IBANs are of the
// right form and check digits, made up for the demo.
const (
	BankIBANEUR = "BG80BNBG96611020345678"
	BankIBANBGN = "BG18RZBB91550123456789"
	BankBICEUR  = "BNBGBGSD"
	BankBICBGN  = "RZBBBGSF"
)

// bankAccounts gives the enterprise company's party a bank account per currency
// (General_Contacts_PartyBankAccounts) and the payment accounts that name them with their
// currency (Finance_Payments_PaymentAccounts), beside a cash desk, which has no bank account.
func (sd *seeder) bankAccounts() {
	party := sd.ref(odata.SetParties, "company:"+EnterpriseCompanyCode)
	ec := sd.ref(odata.SetEnterpriseCompanies, "ec")
	eur := sd.add(odata.SetPartyBankAccounts, "bank:EUR", odata.Entity{"Party": party, "BankAccountCode": BankIBANEUR, "BankCode": BankBICEUR,
		"BankName": ml("Bulgarian National Bank", "Българска народна банка"), "IsDefault": true})
	bgn := sd.add(odata.SetPartyBankAccounts, "bank:BGN", odata.Entity{"Party": party, "BankAccountCode": BankIBANBGN, "BankCode": BankBICBGN,
		"BankName": ml("Raiffeisenbank Bulgaria", "Райфайзенбанк България"), "IsDefault": false})
	for _, pa := range []struct {
		code, en, bg, currency string
		bank                   odata.Ref
	}{
		{"BANK-EUR", "Current account EUR", "Разплащателна сметка EUR", "EUR", eur},
		{"BANK-BGN", "Current account BGN", "Разплащателна сметка BGN", "BGN", bgn},
		{"CASH", "Cash desk", "Каса", "BGN", odata.Ref{}},
	} {
		e := odata.Entity{"Code": pa.code, "Name": ml(pa.en, pa.bg), "IsActive": true, "UseBaseCurrency": false,
			"Currency": sd.ref(odata.SetCurrencies, pa.currency), "EnterpriseCompany": ec}
		if pa.bank.ID != "" {
			e["BankAccount"] = pa.bank
		}
		sd.add(odata.SetPaymentAccounts, "", e)
	}
}

// creditNoteAndAdvance gives the main customer's history the two movements a statement of
// account must get right besides invoices and payments: a credit note, offset against the
// invoice it corrects by a payment of zero (two lines, +X on the invoice and −X on the credit
// note), and an advance paid on an order not yet invoiced. Each payment order has its balance
// row, as Erp.Net's PaymentBalances view would show it.
func (sd *seeder) creditNoteAndAdvance() {
	cust := sd.ref(odata.SetCustomers, "cust:"+MainCustomerNumber)
	party := sd.ref(odata.SetParties, "party:"+MainCustomerNumber)
	ec, loc, bgn := sd.ref(odata.SetEnterpriseCompanies, "ec"), sd.ref(odata.SetCompanyLocations, "loc"), sd.ref(odata.SetCurrencies, "BGN")
	// The invoice: the newest unpaid one in BGN, at least 10 days old.
	var bal odata.Entity
	sd.st.Scan(odata.SetPaymentBalances, "", func(b odata.Entity) bool {
		d, _ := b["RefDocumentDate"].(time.Time)
		if refOf(b, "Party").ID == party.ID && b["PaymentStatus"] == "Unpaid" && refOf(b, "Currency").ID == bgn.ID &&
			!d.After(sd.today.AddDate(0, 0, -10)) && (bal == nil || d.After(bal["RefDocumentDate"].(time.Time))) {
			bal = b
		}
		return true
	})
	if bal == nil {
		return
	}
	inv := sd.st.Deref(refOf(bal, "RefInvoiceDocument"))
	invPO := sd.st.Deref(refOf(bal, "PaymentOrder"))
	total := inv["AmountToPay"].(odata.Amount).Value
	credit := round2(total / 10)
	date := sd.today.AddDate(0, 0, -5)
	cnNo := sd.st.NextNumber("CN")
	cn := sd.add(odata.SetInvoices, "", odata.Entity{"DocumentNo": cnNo, "DocumentDate": date, "ApplyDate": date, "State": "Released", "Void": false,
		"DocumentType": sd.ref(odata.SetDocumentTypes, "dt:CN"), "EnterpriseCompany": ec, "EnterpriseCompanyLocation": loc, "DocumentCurrency": bgn,
		"Customer": cust, "CreditNoteOriginalInvoice": odata.Ref{Set: odata.SetInvoices, ID: str(inv["Id"])}, "CreditNoteDescription": "Price correction",
		"AmountToPay": odata.Amount{Value: -credit, Currency: "BGN"}, "TotalLineAmount": odata.Amount{Value: -round2(credit / 1.2), Currency: "BGN"},
		"PaymentDueDate": date, "CreationTime": date.Add(10 * time.Hour), "CreationUser": "cc-demo-system", "ReleaseTime": date.Add(10 * time.Hour),
		"DocumentNotes": "Price correction of " + str(inv["DocumentNo"])})
	sd.add(odata.SetInvoiceLines, "", odata.Entity{"LineNo": int64(10), "Quantity": odata.Quantity{Value: 1, Unit: "pcs"},
		"UnitPrice": odata.Amount{Value: -round2(credit / 1.2), Currency: "BGN"}, "LineAmount": odata.Amount{Value: -round2(credit / 1.2), Currency: "BGN"},
		"ProductDescription": ml("Price correction", "Корекция на цена"), "Invoice": cn, "QuantityUnit": sd.ref(odata.SetUnits, "pcs")})
	cnPO := sd.add(odata.SetPaymentOrders, "", odata.Entity{"DocumentNo": sd.st.NextNumber("PO"), "DocumentDate": date, "State": "Released", "Void": false,
		"DocumentType": sd.ref(odata.SetDocumentTypes, "dt:PO"), "EnterpriseCompany": ec, "EnterpriseCompanyLocation": loc, "TotalAmountCurrency": bgn,
		"Direction": "Incoming", "DueDate": date, "TotalAmount": odata.Amount{Value: -credit, Currency: "BGN"}, "Party": party, "RefDocumentNo": cnNo, "RefDocumentDate": date,
		"RefInvoiceDocumentNo": cnNo, "RefInvoiceDocument": cn, "RefInvoiceDocumentDate": date, "RefInvoiceDocumentType": sd.ref(odata.SetDocumentTypes, "dt:CN")})
	sd.add(odata.SetPaymentBalances, "", odata.Entity{"Direction": "Incoming", "DueDate": date, "DueStartDate": date, "DueStatus": "NotApplicable",
		"PaymentStatus": "Paid", "IsInvoiced": true, "OrderAmount": odata.Amount{Value: -credit, Currency: "BGN"}, "PaidAmount": odata.Amount{Value: -credit, Currency: "BGN"},
		"RemainingAmount": odata.Amount{Value: 0, Currency: "BGN"}, "RefDocumentNo": cnNo, "RefDocumentDate": date, "RefInvoiceDocumentNo": cnNo,
		"RefInvoiceDocumentDate": date, "Party": party, "PaymentOrder": cnPO, "Currency": bgn, "RefInvoiceDocument": cn, "EnterpriseCompany": ec,
		"RefDocumentType": sd.ref(odata.SetDocumentTypes, "dt:CN")})
	// The offset: the credit note pays part of the invoice.
	offset := sd.add(odata.SetPaymentTransactions, "", odata.Entity{"DocumentNo": sd.st.NextNumber("PT"), "DocumentDate": date, "State": "Completed",
		"Void": false, "DocumentType": sd.ref(odata.SetDocumentTypes, "dt:PT"), "EnterpriseCompany": ec, "EnterpriseCompanyLocation": loc,
		"TotalAmountCurrency": bgn, "TotalAmount": odata.Amount{Value: 0, Currency: "BGN"}, "Party": party, "Direction": "Incoming",
		"DocumentNotes": "Offset of " + cnNo + " against " + str(inv["DocumentNo"])})
	for _, l := range []struct {
		po     odata.Ref
		amount float64
	}{{odata.Ref{Set: odata.SetPaymentOrders, ID: str(invPO["Id"])}, credit}, {cnPO, -credit}} {
		sd.add(odata.SetPaymentTxLines, "", odata.Entity{"Amount": odata.Amount{Value: l.amount, Currency: "BGN"}, "CoveredOrderAmount": odata.Amount{Value: l.amount, Currency: "BGN"},
			"PaymentOrder": l.po, "PaymentTransaction": offset})
	}
	bal["PaidAmount"] = odata.Amount{Value: credit, Currency: "BGN"}
	bal["RemainingAmount"] = odata.Amount{Value: round2(total - credit), Currency: "BGN"}
	bal["PaymentStatus"] = "PartiallyPaid"

	// The advance: 30% of the newest firm-planned order, paid three days ago.
	var order odata.Entity
	sd.st.Scan(odata.SetSalesOrders, "", func(o odata.Entity) bool {
		d, _ := o["DocumentDate"].(time.Time)
		if refOf(o, "Customer").ID == cust.ID && o["State"] == "FirmPlanned" && o["Void"] == false && refOf(o, "DocumentCurrency").ID == bgn.ID &&
			(order == nil || d.After(order["DocumentDate"].(time.Time))) {
			order = o
		}
		return true
	})
	if order == nil {
		return
	}
	adv := round2(order["AmountToPay"].(odata.Amount).Value * 0.3)
	orderDate := order["DocumentDate"].(time.Time)
	paid := sd.today.AddDate(0, 0, -1)
	advPO := sd.add(odata.SetPaymentOrders, "", odata.Entity{"DocumentNo": sd.st.NextNumber("PO"), "DocumentDate": orderDate, "State": "Released", "Void": false,
		"DocumentType": sd.ref(odata.SetDocumentTypes, "dt:PO"), "EnterpriseCompany": ec, "EnterpriseCompanyLocation": loc, "TotalAmountCurrency": bgn,
		"Direction": "Incoming", "DueDate": orderDate.AddDate(0, 0, 3), "TotalAmount": odata.Amount{Value: adv, Currency: "BGN"}, "Party": party,
		"RefDocumentNo": order["DocumentNo"], "RefDocumentDate": orderDate, "RefDocument": odata.Ref{Set: odata.SetSalesOrders, ID: str(order["Id"])},
		"RefDocumentType": refOf(order, "DocumentType")})
	sd.add(odata.SetPaymentBalances, "", odata.Entity{"Direction": "Incoming", "DueDate": orderDate.AddDate(0, 0, 3), "DueStartDate": orderDate,
		"DueStatus": "NotApplicable", "PaymentStatus": "Paid", "IsInvoiced": false, "OrderAmount": odata.Amount{Value: adv, Currency: "BGN"},
		"PaidAmount": odata.Amount{Value: adv, Currency: "BGN"}, "RemainingAmount": odata.Amount{Value: 0, Currency: "BGN"},
		"RefDocumentNo": order["DocumentNo"], "RefDocumentDate": orderDate, "Party": party, "PaymentOrder": advPO, "Currency": bgn,
		"RefDocument": odata.Ref{Set: odata.SetSalesOrders, ID: str(order["Id"])}, "RefDocumentType": refOf(order, "DocumentType"), "EnterpriseCompany": ec})
	tx := sd.add(odata.SetPaymentTransactions, "", odata.Entity{"DocumentNo": sd.st.NextNumber("PT"), "DocumentDate": paid, "State": "Completed",
		"Void": false, "DocumentType": sd.ref(odata.SetDocumentTypes, "dt:PT"), "EnterpriseCompany": ec, "EnterpriseCompanyLocation": loc,
		"TotalAmountCurrency": bgn, "TotalAmount": odata.Amount{Value: adv, Currency: "BGN"}, "Party": party, "Direction": "Incoming",
		"DocumentNotes": "Advance for " + str(order["DocumentNo"])})
	sd.add(odata.SetPaymentTxLines, "", odata.Entity{"Amount": odata.Amount{Value: adv, Currency: "BGN"}, "CoveredOrderAmount": odata.Amount{Value: adv, Currency: "BGN"},
		"PaymentOrder": advPO, "PaymentTransaction": tx})
	sd.overpayment(party, bgn)
}

// overpayment makes one paid invoice of the main customer, 60 to 200 days old, overpaid by
// 10 levs: its payment was 10 more than it asked, and its balance row is open in the customer's
// favour (RemainingAmount −10, PaymentStatus Overpaid), which Due Payments does not list.
func (sd *seeder) overpayment(party, bgn odata.Ref) {
	const extra = 10.0
	var bal odata.Entity
	sd.st.Scan(odata.SetPaymentBalances, "", func(b odata.Entity) bool {
		d, _ := b["RefDocumentDate"].(time.Time)
		age := int(sd.today.Sub(d).Hours() / 24)
		if refOf(b, "Party").ID == party.ID && b["PaymentStatus"] == "Paid" && b["IsInvoiced"] == true && refOf(b, "Currency").ID == bgn.ID && age >= 60 && age <= 200 {
			bal = b
			return false
		}
		return true
	})
	if bal == nil {
		return
	}
	po := refOf(bal, "PaymentOrder")
	sd.st.Scan(odata.SetPaymentTxLines, "", func(l odata.Entity) bool {
		if refOf(l, "PaymentOrder").ID != po.ID {
			return true
		}
		a := l["Amount"].(odata.Amount)
		l["Amount"], l["CoveredOrderAmount"] = odata.Amount{Value: round2(a.Value + extra), Currency: a.Currency}, odata.Amount{Value: round2(a.Value + extra), Currency: a.Currency}
		tx := sd.st.Deref(refOf(l, "PaymentTransaction"))
		t := tx["TotalAmount"].(odata.Amount)
		tx["TotalAmount"] = odata.Amount{Value: round2(t.Value + extra), Currency: t.Currency}
		return false
	})
	paid := bal["PaidAmount"].(odata.Amount)
	bal["PaidAmount"] = odata.Amount{Value: round2(paid.Value + extra), Currency: paid.Currency}
	bal["RemainingAmount"] = odata.Amount{Value: -extra, Currency: paid.Currency}
	bal["PaymentStatus"] = "Overpaid"
}

// StaffLogin is the tenant's employee who answers the customers' messages in Erp.Net.
const StaffLogin = "elena.staff@orbis-trading.example"

// messages seeds conversations (the portal's own messages named as the portal names them:
// ExternalSystem ClientCenter, ExternalId "cc-msg:<o|i>:<document id>:<hash>") on the main customer's newest invoiced order and its invoice
// (Communities_Social_Comments on their extensible data objects): a question written through the
// portal, the staff's answer to it, and the staff's own comments, which are internal and which
// the customer must never see. The documents are assigned to the staff member, whom the portal
// notifies of new messages.
func (sd *seeder) messages() {
	person := sd.add(odata.SetPersons, "person:staff", odata.Entity{"PartyCode": "PER-STAFF", "PartyName": ml("Elena Petrova", "Елена Петрова"), "PartyType": "Person",
		"FirstName": ml("Elena", "Елена"), "LastName": ml("Petrova", "Петрова"), "IsActive": true})
	staff := sd.add(odata.SetUsers, "user:staff", odata.Entity{"Login": StaffLogin, "Name": ml("Elena Petrova", "Елена Петрова"), "Email": StaffLogin,
		"Active": true, "IsAdmin": false, "UserType": "InternalUser", "Person": person})
	at := func(daysAgo, h, m int) time.Time {
		return sd.today.AddDate(0, 0, -daysAgo).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	for i, doc := range []struct {
		ref                  odata.Ref
		kind, author         string
		question, answer     string
		internal, internalRe string
	}{
		{sd.invoiced.order, "o", "orders@orbis.example", "Can you deliver before 10:00? Our site opens at 8.", "Yes, the driver will be with you by 9:30.",
			"Early delivery asked: check the route before promising.", "Route checked, 9:30 is fine."},
		{sd.invoiced.invoice, "i", "billing@orbis.example", "Is the discount on line 1 right? We agreed 10%.", "It is: 10% on the list price, shown in the unit price.",
			"Customer questions the discount; see the agreement.", ""},
	} {
		e := sd.st.Deref(doc.ref)
		e["AssignedToUser"] = staff
		var obj odata.Ref
		sd.st.Scan(odata.SetDataObjects, "", func(o odata.Entity) bool {
			if str(o["EntityItemId"]) == doc.ref.ID {
				obj = odata.Ref{Set: odata.SetDataObjects, ID: str(o["Id"])}
				return false
			}
			return true
		})
		author := sd.ref(odata.SetUsers, "user:"+doc.author)
		q := sd.add(odata.SetComments, "", odata.Entity{"DataObject": obj, "User": author, "CommentText": doc.question,
			"CreationTimeUtc": at(2+i, 7, 14), "ExternalSystem": "ClientCenter", "ExternalId": "cc-msg:" + doc.kind + ":" + doc.ref.ID + ":seed"})
		sd.add(odata.SetComments, "", odata.Entity{"DataObject": obj, "User": staff, "CommentText": doc.answer, "CreationTimeUtc": at(2+i, 9, 2), "ReplyToComment": q})
		internal := sd.add(odata.SetComments, "", odata.Entity{"DataObject": obj, "User": staff, "CommentText": doc.internal, "CreationTimeUtc": at(2+i, 8, 40)})
		if doc.internalRe != "" {
			sd.add(odata.SetComments, "", odata.Entity{"DataObject": obj, "User": staff, "CommentText": doc.internalRe, "CreationTimeUtc": at(2+i, 8, 55), "ReplyToComment": internal})
		}
	}
}

// availability lays out what the main store can promise of each active product
// (Logistics_Inventory_DemandManagement_AvailableToPromise, a view of periods): a quantity valid
// from a month ago, and a larger one from a delivery in two weeks. The Varna store has none.
func (sd *seeder) availability() {
	store, ec := sd.ref(odata.SetStores, "store:MAIN"), sd.ref(odata.SetEnterpriseCompanies, "ec")
	var products []odata.Entity
	sd.st.Scan(odata.SetProducts, "", func(e odata.Entity) bool {
		if e["Active"] == true {
			products = append(products, e)
		}
		return true
	})
	for i, p := range products {
		unit := str(sd.st.Deref(refOf(p, "MeasurementUnit"))["Code"])
		now := float64([]int{0, 3, 12, 40, 150, 8}[i%6])
		for _, period := range []struct {
			from time.Time
			atp  float64
		}{{sd.today.AddDate(0, -1, 0), now}, {sd.today.AddDate(0, 0, 14), now + 100}} {
			q := odata.Quantity{Value: period.atp, Unit: unit}
			sd.add(odata.SetAvailableToPromise, "", odata.Entity{"Store": store, "EnterpriseCompany": ec,
				"Product": odata.Ref{Set: odata.SetProducts, ID: str(p["Id"])}, "FromDate": period.from,
				"ATPBase": q, "CurrentAvailabilityBase": odata.Quantity{Value: now, Unit: unit}, "MovementsBase": odata.Quantity{Value: 0, Unit: unit},
				"MovementsToDateBase": odata.Quantity{Value: 0, Unit: unit}, "ProjectedAvailabilityBase": q})
		}
	}
}
