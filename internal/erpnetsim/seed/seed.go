// Package seed lays out the simulator's demo data (reference data, the enterprise company,
// customers and their users, years of orders, invoices, payments and files), written through the
// odata store's API, so it holds only what the published model allows.
package seed

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/odata"
)

// DemoUser is one seeded sign-in, for the README, the demo banner and the tests.
type DemoUser struct {
	Login    string // also the e-mail
	Role     string // e.g. "L40 Billing", or "none" for a user without external access
	Customer string // the customer it acts for ("; "-separated when several)
}

// Seeded names, fixed so tests and docs can name them.
const (
	// EnterpriseCompanyCode is the party code of the seeded enterprise company's company (an
	// enterprise company has no code of its own: settings name it by Id or by company name).
	EnterpriseCompanyCode = "ORBIS"
	// EnterpriseCompanyName is its company's name.
	EnterpriseCompanyName = "Orbis Trading"
	// MainCustomerNumber is the customer with years of documents.
	MainCustomerNumber = "C-1001"
	// SecondCustomerNumber is the second customer of the user of two customers.
	SecondCustomerNumber = "C-1002"
	// EmptyCustomerNumber has no documents at all.
	EmptyCustomerNumber = "C-1003"
	// HostileCustomerNumber has a name full of markup and quotes.
	HostileCustomerNumber = "C-1004"
	// SalesOrderTypeCode is the document type demo instances create orders with.
	SalesOrderTypeCode = "SO"
)

var demoUsers = []struct {
	login, first, last string
	roles              []struct{ customer, role string }
}{
	{"basic@orbis.example", "Bob", "Basic", access(MainCustomerNumber, "Basic")},
	{"orders@orbis.example", "Olga", "Орлова", access(MainCustomerNumber, "Orders")},
	{"prices@orbis.example", "Pierre", "Prix", access(MainCustomerNumber, "OrdersWithPrices")},
	{"billing@orbis.example", "Jürgen", "Groß", access(MainCustomerNumber, "Billing")},
	{"admin@orbis.example", "Ana", "O'Neil", access(MainCustomerNumber, "Admin")},
	{"owner@orbis.example", "Иван", "Петров", access(MainCustomerNumber, "Owner")},
	{"two@orbis.example", "Tereza", "Dvořák", append(access(MainCustomerNumber, "Admin"), access(SecondCustomerNumber, "Billing")...)},
	{"norole@orbis.example", "Nora", "Nobody", nil},
	{"hostile@orbis.example", "Eve", "<b>Evil</b> \"Quotes\"", access(HostileCustomerNumber, "Owner")},
	{"mueller@orbis.example", "Max", "Müller", access(SecondCustomerNumber, "Owner")},
	{"empty@orbis.example", "Emil", "Празен", access(EmptyCustomerNumber, "Owner")},
	{"spare@orbis.example", "Sam", "Spare", nil}, // an Erp.Net user to add in User Management
}

func access(customer, role string) []struct{ customer, role string } {
	return []struct{ customer, role string }{{customer, role}}
}

var roleCodes = map[string]string{"Basic": "L10", "Orders": "L20", "OrdersWithPrices": "L30", "Billing": "L40", "Admin": "L80", "Owner": "L90"}

// DemoUsers lists the seeded sign-ins (all with the demo password).
func DemoUsers() []DemoUser {
	out := make([]DemoUser, 0, len(demoUsers))
	for _, u := range demoUsers {
		du := DemoUser{Login: u.login, Role: "none (CC010)"}
		for i, r := range u.roles {
			role := roleCodes[r.role] + " " + r.role
			if i == 0 {
				du.Role, du.Customer = role, r.customer
				continue
			}
			du.Role += "; " + role
			du.Customer += "; " + r.customer
		}
		out = append(out, du)
	}
	return out
}

// seeder lays out deterministic demo data: the same Ids and numbers on every run; dates relative to now.
type seeder struct {
	st    *odata.Store
	rng   *rand.Rand
	today time.Time
	ids   map[string]string // symbolic name → Id
	// invoiced are the main customer's newest invoiced order and its invoice, which files are
	// attached to.
	invoiced struct{ order, invoice odata.Ref }
}

// Fill fills the store, laying out dates relative to now. Scale multiplies the main customer's documents (about 400 per unit).
func Fill(st *odata.Store, now time.Time, scale int) {
	sd := &seeder{st: st, rng: rand.New(rand.NewPCG(20261123, 1)), today: day(now), ids: map[string]string{}}
	st.Lock()
	defer st.Unlock()
	sd.referenceData()
	sd.parties()
	sd.documents(MainCustomerNumber, 400*scale, 3*365)
	sd.documents(SecondCustomerNumber, 60, 2*365)
	sd.documents(HostileCustomerNumber, 12, 365)
	sd.files()
	sd.customerProducts()
	sd.channelProducts()
	sd.promotionalPackages()
	sd.bankAccounts()
	sd.creditNoteAndAdvance()
	sd.messages()
	sd.availability()
}

// newID draws a version-4 GUID from the seeded generator.
func (sd *seeder) newID() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(sd.rng.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// add inserts an entity under a symbolic name and returns its reference.
func (sd *seeder) add(set, name string, e odata.Entity) odata.Ref {
	id := sd.newID()
	e["Id"] = id
	if err := sd.st.Insert(set, e); err != nil {
		panic(err) // seed data is fixed: a failure is a programming error
	}
	if name != "" {
		sd.ids[name] = id
	}
	return odata.Ref{Set: sd.st.Storage(set), ID: id}
}

func (sd *seeder) ref(set, name string) odata.Ref {
	return odata.Ref{Set: set, ID: sd.ids[name]}
}

func ml(en, bg string) odata.MLString {
	if bg == "" {
		return odata.MLString{"EN": en}
	}
	return odata.MLString{"EN": en, "BG": bg}
}

func (sd *seeder) referenceData() {
	// Currencies are named by CurrencySign; their Name is a plain string.
	sd.add(odata.SetCurrencies, "BGN", odata.Entity{"CurrencySign": "BGN", "Name": "Bulgarian lev", "IsActive": true})
	sd.add(odata.SetCurrencies, "EUR", odata.Entity{"CurrencySign": "EUR", "Name": "Euro", "IsActive": true})
	sd.add(odata.SetCountries, "country:BG", odata.Entity{"Code": "BG", "Name": ml("Bulgaria", "България")})
	sd.add(odata.SetCountries, "country:DE", odata.Entity{"Code": "DE", "Name": ml("Germany", "Германия")})
	for _, u := range [][3]string{{"pcs", "Pieces", "Бройки"}, {"kg", "Kilograms", "Килограми"}, {"box", "Boxes", "Кутии"}, {"l", "Litres", "Литри"}} {
		sd.add(odata.SetUnits, u[0], odata.Entity{"Code": u[0], "Name": ml(u[1], u[2]), "Multiplier": 1.0, "Divisor": 1.0})
	}
	company := sd.add(odata.SetCompanies, "company:"+EnterpriseCompanyCode, odata.Entity{"PartyCode": EnterpriseCompanyCode, "PartyName": ml(EnterpriseCompanyName, "Орбис Трейдинг"),
		"Name": ml(EnterpriseCompanyName, "Орбис Трейдинг"), "PartyType": "Company", "PartyUniqueNumber": "204512345", "RegistrationNumber": "204512345",
		"RegistrationVATNumber": "BG204512345", "IsVATRegistered": true, "IsActive": true, "City": ml("Sofia", "София"),
		"RegistrationPrimaryAddress": ml("1 Vitosha Blvd, 1000 Sofia", "бул. Витоша 1, 1000 София"), "Country": sd.ref(odata.SetCountries, "country:BG")})
	// An enterprise company has no code of its own: it is named by its company (Company.PartyName).
	ec := sd.add(odata.SetEnterpriseCompanies, "ec", odata.Entity{"Company": odata.Ref{Set: odata.SetCompanies, ID: company.ID}, "BaseCurrency": sd.ref(odata.SetCurrencies, "BGN"), "IsActive": true})
	sd.add(odata.SetCompanyLocations, "loc", odata.Entity{"PartyCode": "SOF", "PartyName": ml("Sofia head office", "Централен офис София"),
		"LocationName": ml("Sofia head office", "Централен офис София"), "PartyType": "CompanyLocation", "IsActive": true, "Company": odata.Ref{Set: odata.SetCompanies, ID: company.ID}})
	for _, dc := range [][3]string{{"CC", "Client Center", "Клиентски център"}, {"WEB", "Web shop", "Уеб магазин"}, {"DIRECT", "Direct sales", "Директни продажби"}} {
		sd.add(odata.SetDistribution, "dc:"+dc[0], odata.Entity{"Code": dc[0], "Name": ml(dc[1], dc[2]), "IsActive": true})
	}
	sd.add(odata.SetStores, "store:MAIN", odata.Entity{"Code": "MAIN", "PartyCode": "ST-MAIN", "PartyName": ml("Main warehouse", "Основен склад"), "Name": ml("Main warehouse", "Основен склад"), "PartyType": "Store", "IsActive": true})
	sd.add(odata.SetStores, "store:VAR", odata.Entity{"Code": "VAR", "PartyCode": "ST-VAR", "PartyName": ml("Varna warehouse", "Склад Варна"), "Name": ml("Varna warehouse", "Склад Варна"), "PartyType": "Store", "IsActive": true})
	for _, dt := range [][4]string{
		{"SO", "Sales Order", "Поръчка за продажба", "SalesOrders"}, {"SOX", "Export Sales Order", "Експортна поръчка", "SalesOrders"},
		{"INV", "Invoice", "Фактура", "Invoices"}, {"CN", "Credit Note", "Кредитно известие", "Invoices"},
		{"PO", "Payment Order", "Платежно нареждане", "PaymentOrders"}, {"PT", "Payment", "Плащане", "PaymentTransactions"},
	} {
		sd.add(odata.SetDocumentTypes, "dt:"+dt[0], odata.Entity{"Code": dt[0], "TypeName": ml(dt[1], dt[2]), "EntityName": dt[3]})
	}
	sd.add(odata.SetPriceLists, "pl", odata.Entity{"Name": "Standard prices", "IsActive": true, "EnterpriseCompany": ec})
	groups := [][3]string{{"COF", "Coffee & tea", "Кафе и чай"}, {"HW", "Hardware", "Железария"}, {"CLN", "Cleaning", "Почистване"}}
	for _, g := range groups {
		sd.add(odata.SetProductGroups, "pg:"+g[0], odata.Entity{"Code": g[0], "Name": ml(g[1], g[2]), "FullPath": g[0], "Active": true})
	}
	products := []struct {
		part, en, bg, group, unit string
		price                     float64
	}{
		{"COF-001", "Espresso beans 1 kg", "Кафе на зърна еспресо 1 кг", "COF", "kg", 34.90},
		{"COF-002", `Kaffeemühle "Classic"`, `Кафемелачка "Класик"`, "COF", "pcs", 129.00},
		{"COF-003", "Green tea, 100 bags", "Зелен чай, 100 пакетчета", "COF", "box", 12.50},
		{"COF-004", "Café crème capsules ×50", "Капсули кафе крема ×50", "COF", "box", 27.40},
		{"COF-005", "Milk frother", "Уред за разпенване на мляко", "COF", "pcs", 58.00},
		{"HW-001", "Bolts & nuts <M8>, 100 pcs", "Болтове и гайки <M8>, 100 бр.", "HW", "box", 9.80},
		{"HW-002", "Cordless drill 18 V", "Акумулаторна бормашина 18 V", "HW", "pcs", 189.00},
		{"HW-003", "Wall plugs 6 mm", "Дюбели 6 мм", "HW", "box", 4.20},
		{"HW-004", "Steel tape measure 5 m", "Ролетка 5 м", "HW", "pcs", 14.90},
		{"HW-005", "Safety gloves (L)", "Предпазни ръкавици (L)", "HW", "pcs", 6.50},
		{"HW-006", "Spirit level 60 cm", "Нивелир 60 см", "HW", "pcs", 24.00},
		{"CLN-001", "Floor cleaner 5 l", "Препарат за под 5 л", "CLN", "l", 3.10},
		{"CLN-002", "O'Neil's glass cleaner", "Препарат за стъкла O'Neil", "CLN", "pcs", 5.60},
		{"CLN-003", "Microfibre cloths ×10", "Микрофибърни кърпи ×10", "CLN", "box", 11.90},
		{"CLN-004", "Hand soap 500 ml", "Течен сапун 500 мл", "CLN", "pcs", 3.80},
		{"CLN-005", "Mop & bucket set", "Комплект моп и кофа", "CLN", "pcs", 42.00},
	}
	for i, pr := range products {
		prod := sd.add(odata.SetProducts, "prod:"+pr.part, odata.Entity{"PartNumber": pr.part, "Name": ml(pr.en, pr.bg), "ShortName": ml(pr.part, ""),
			"Description": ml(pr.en, pr.bg), "Active": true, "StandardPricePerLot": odata.Amount{Value: pr.price, Currency: "BGN"}, "StandardLotSizeBase": odata.Quantity{Value: 1, Unit: pr.unit},
			"MeasurementUnit": sd.ref(odata.SetUnits, pr.unit), "ProductGroup": sd.ref(odata.SetProductGroups, "pg:"+pr.group)})
		// Every other product has pictures: a default one and a second.
		if i%2 == 0 {
			for n, def := range []bool{true, false} {
				sd.add(setProductPictures, "", odata.Entity{"Product": prod, "IsDefault": def, "PictureNo": int64(n + 1),
					"Picture": base64.StdEncoding.EncodeToString(swatch(i, n)), "Comments": pr.en})
			}
		}
	}
	// An inactive product: it must not be offered for new orders.
	sd.add(odata.SetProducts, "prod:OLD-001", odata.Entity{"PartNumber": "OLD-001", "Name": ml("Discontinued kettle", "Спрян от продажба чайник"),
		"Active": false, "StandardPricePerLot": odata.Amount{Value: 45, Currency: "BGN"}, "StandardLotSizeBase": odata.Quantity{Value: 1, Unit: "pcs"}, "MeasurementUnit": sd.ref(odata.SetUnits, "pcs"), "ProductGroup": sd.ref(odata.SetProductGroups, "pg:COF")})
}

func (sd *seeder) parties() {
	customers := []struct {
		number, en, bg, city, uin, currency string
	}{
		{MainCustomerNumber, "Acme Build & Co.", "Акме Билд & Ко", "Plovdiv", "131234567", "BGN"},
		{SecondCustomerNumber, "Müller & Söhne GmbH", "Мюлер и синове", "München", "DE811234567", "EUR"},
		{EmptyCustomerNumber, "Празна Фирма ЕООД", "Празна Фирма ЕООД", "Варна", "205555555", "BGN"},
		{HostileCustomerNumber, `<script>alert("x")</script> O'Brien & "Partners" Ltd`, "", "Burgas", "206666666", "BGN"},
	}
	for i, c := range customers {
		code := fmt.Sprintf("P-%04d", 100+i)
		country := "country:BG"
		if c.currency == "EUR" {
			country = "country:DE"
		}
		party := sd.add(odata.SetCompanies, "party:"+c.number, odata.Entity{"PartyCode": code, "PartyName": ml(c.en, c.bg), "Name": ml(c.en, c.bg), "PartyType": "Company",
			"PartyUniqueNumber": c.uin, "RegistrationNumber": c.uin, "RegistrationVATNumber": "BG" + c.uin, "IsVATRegistered": i != 2, "IsActive": true,
			"City": ml(c.city, ""), "RegistrationPrimaryAddress": ml(fmt.Sprintf("%d Industrial Zone, %d %s", 10+i, 4000+i*1000, c.city), ""),
			"Country": sd.ref(odata.SetCountries, country)})
		party.Set = odata.SetParties // a customer's Party is a reference to Parties
		for _, cm := range [][2]string{{"Telephone", fmt.Sprintf("+359 2 555 01%02d", i)}, {"Mail", fmt.Sprintf("office%d@customer.example", i+1)}} {
			mech := sd.add(odata.SetContactMechanisms, "", odata.Entity{"ContactMechanismType": cm[0], "Name": cm[1]})
			sd.add(odata.SetPartyContacts, "", odata.Entity{"Party": party, "ContactMechanism": mech, "ContactMechanismType": cm[0], "Name": cm[1], "IsActive": true})
		}
		sd.add(odata.SetCustomers, "cust:"+c.number, odata.Entity{"Number": c.number, "Active": true, "FromDate": sd.today.AddDate(-5, 0, 0),
			"CreditLimit": odata.Amount{Value: 50000, Currency: c.currency}, "DefaultPaymentTermDays": int64(30), "GracePeriodDays": int64(5),
			"Party": party, "EnterpriseCompany": sd.ref(odata.SetEnterpriseCompanies, "ec"),
			"ServicedByEnterpriseCompanyLocation": sd.ref(odata.SetCompanyLocations, "loc"), "DefaultCurrency": sd.ref(odata.SetCurrencies, c.currency),
			"DefaultDistributionChannel": sd.ref(odata.SetDistribution, "dc:DIRECT"), "DefaultPriceList": sd.ref(odata.SetPriceLists, "pl")})
	}
	// The trusted application's system user: an internal user, never a portal user.
	sd.add(odata.SetUsers, "user:system", odata.Entity{"Login": "cc-demo-system", "Name": ml("Client Center system user", ""), "Active": true, "IsAdmin": false, "UserType": "InternalUser"})
	for _, u := range demoUsers {
		parent := sd.ref(odata.SetParties, "party:"+MainCustomerNumber)
		if len(u.roles) > 0 {
			parent = sd.ref(odata.SetParties, "party:"+u.roles[0].customer)
		}
		name := u.first + " " + u.last
		person := sd.add(odata.SetPersons, "person:"+u.login, odata.Entity{"PartyCode": fmt.Sprintf("PER-%03d", len(sd.ids)), "PartyName": ml(name, ""), "PartyType": "Person",
			"FirstName": ml(u.first, ""), "LastName": ml(u.last, ""), "ParentParty": parent, "IsActive": true})
		user := sd.add(odata.SetUsers, "user:"+u.login, odata.Entity{"Login": u.login, "Name": ml(name, ""), "Email": u.login, "Active": true,
			"IsAdmin": false, "UserType": "ExternalCommunityUser", "Person": person})
		for _, r := range u.roles {
			var daysBack any // unlimited, except for the billing user, who shows the horizon at work
			if u.login == "billing@orbis.example" {
				daysBack = int64(365)
			}
			sd.add(odata.SetExternalAccess, "", odata.Entity{"Customer": sd.ref(odata.SetCustomers, "cust:"+r.customer), "User": user,
				"Role": r.role, "DaysBackAccess": daysBack, "Notes": "Demo access"})
		}
	}
}

// documents lays out count sales orders over the last days days for a customer, with invoices for
// most released ones, payment orders (and so due payments) for invoices, and payments for the paid.
func (sd *seeder) documents(number string, count, days int) {
	cust := sd.ref(odata.SetCustomers, "cust:"+number)
	custE := sd.st.Deref(cust)
	party := refOf(custE, "Party")
	currency := refOf(custE, "DefaultCurrency")
	curCode := str(sd.st.Deref(currency)["CurrencySign"])
	var products []odata.Entity
	sd.st.Scan(odata.SetProducts, "", func(e odata.Entity) bool {
		if e["Active"] == true {
			products = append(products, e)
		}
		return true
	})
	for i := range count {
		// Spread dates from days ago to today, newest last; a few orders are in the future-dated pipeline.
		age := days - (i*days)/count
		date := sd.today.AddDate(0, 0, -age)
		state, void := "Completed", false
		switch {
		case age <= 3:
			state = []string{"New", "FirmPlanned", "New"}[i%3]
		case age <= 14:
			state = []string{"FirmPlanned", "Released", "Planned"}[i%3]
		case age <= 60:
			state = "Released"
		}
		if i%23 == 7 {
			void = true
		}
		dtype := "SO"
		if i%9 == 4 {
			dtype = "SOX"
		}
		orderNo := sd.st.NextNumber(dtype)
		orderCur, orderCurCode := currency, curCode
		if number == MainCustomerNumber && i%11 == 5 {
			orderCur, orderCurCode = sd.ref(odata.SetCurrencies, "EUR"), "EUR"
		}
		order := odata.Entity{"DocumentNo": orderNo, "DocumentDate": date, "State": state, "Void": void,
			"DocumentNotes": []string{"", "Deliver to gate 2", "Urgent — please call before delivery", "", "Палет до склад 3"}[i%5],
			"CreationTime":  date.Add(9 * time.Hour), "CreationUser": "cc-demo-system", "DocumentType": sd.ref(odata.SetDocumentTypes, "dt:"+dtype),
			"EnterpriseCompany": sd.ref(odata.SetEnterpriseCompanies, "ec"), "EnterpriseCompanyLocation": sd.ref(odata.SetCompanyLocations, "loc"),
			"DocumentCurrency": orderCur, "Customer": cust, "PaymentDueDate": date.AddDate(0, 0, 30),
			"RequiredDeliveryDate": date.AddDate(0, 0, 7), "CustomerPurchaseOrderNo": fmt.Sprintf("PO-%s-%04d", number[2:], i+1), "ExternalId": "", "ExternalSystem": "",
			"DistributionChannel": sd.ref(odata.SetDistribution, "dc:DIRECT"), "Store": sd.ref(odata.SetStores, "store:MAIN"), "PriceList": sd.ref(odata.SetPriceLists, "pl")}
		if void {
			order["VoidReason"] = "Cancelled by the customer"
		}
		if state == "Released" || state == "Completed" {
			order["ReleaseTime"] = date.Add(10 * time.Hour)
		}
		oref := sd.add(odata.SetSalesOrders, "", order)
		nlines := 1 + sd.rng.IntN(4)
		total := 0.0
		type line struct {
			prod    odata.Entity
			qty, up float64
			amt     float64
		}
		var lines []line
		for l := range nlines {
			prod := products[sd.rng.IntN(len(products))]
			qty := float64(1 + sd.rng.IntN(20))
			up := prod["StandardPricePerLot"].(odata.Amount).Value
			if orderCurCode == "EUR" {
				up = round2(up / 1.95583)
			}
			// LineStandardDiscountPercent is a decimal (7, 6) in the model: a fraction, 0.05 for 5%.
			disc := []float64{0, 0, 0.05, 0.10}[sd.rng.IntN(4)]
			amt := round2(qty * up * (1 - disc))
			total += amt
			lines = append(lines, line{prod, qty, up, amt})
			unit := refOf(prod, "MeasurementUnit")
			sd.add(odata.SetSalesOrderLines, "", odata.Entity{"LineNo": int64(10 * (l + 1)), "Quantity": odata.Quantity{Value: qty, Unit: str(sd.st.Deref(unit)["Code"])},
				"QuantityBase": odata.Quantity{Value: qty, Unit: str(sd.st.Deref(unit)["Code"])}, "UnitPrice": odata.Amount{Value: up, Currency: orderCurCode},
				"LineAmount": odata.Amount{Value: amt, Currency: orderCurCode}, "LineStandardDiscountPercent": disc, "ProductDescription": prod["Name"],
				"Notes": []string{"", "", "Gift wrap"}[l%3], "RequiredDeliveryDate": date.AddDate(0, 0, 7), "SalesOrder": oref,
				"Product": odata.Ref{Set: odata.SetProducts, ID: prod["Id"].(string)}, "QuantityUnit": unit})
		}
		total = round2(total)
		order["TotalLineAmount"] = odata.Amount{Value: total, Currency: orderCurCode}
		order["AmountToPay"] = odata.Amount{Value: round2(total * 1.2), Currency: orderCurCode} // calculated by the server: not in the default $select
		if void || (state != "Released" && state != "Completed") || i%5 == 3 {
			continue
		}
		// Invoice the order a day after its release.
		invDate := date.AddDate(0, 0, 1)
		if invDate.After(sd.today) {
			invDate = sd.today
		}
		invType := "INV"
		invNo := sd.st.NextNumber(invType)
		due := invDate.AddDate(0, 0, 30)
		inv := odata.Entity{"DocumentNo": invNo, "DocumentDate": invDate, "ApplyDate": invDate, "State": "Released", "Void": false,
			"DocumentType": sd.ref(odata.SetDocumentTypes, "dt:"+invType), "EnterpriseCompany": sd.ref(odata.SetEnterpriseCompanies, "ec"),
			"EnterpriseCompanyLocation": sd.ref(odata.SetCompanyLocations, "loc"), "DocumentCurrency": orderCur, "Customer": cust,
			"AmountToPay": order["AmountToPay"], "TotalLineAmount": order["TotalLineAmount"], "PaymentDueDate": due, "CreationTime": invDate.Add(11 * time.Hour),
			"CreationUser": "cc-demo-system", "ReleaseTime": invDate.Add(11 * time.Hour), "DocumentNotes": ""}
		iref := sd.add(odata.SetInvoices, "", inv)
		if number == MainCustomerNumber {
			sd.invoiced.order, sd.invoiced.invoice = oref, iref
		}
		for l, ln := range lines {
			sd.add(odata.SetInvoiceLines, "", odata.Entity{"LineNo": int64(10 * (l + 1)), "Quantity": odata.Quantity{Value: ln.qty, Unit: str(sd.st.Deref(refOf(ln.prod, "MeasurementUnit"))["Code"])},
				"UnitPrice": odata.Amount{Value: ln.up, Currency: orderCurCode}, "LineAmount": odata.Amount{Value: ln.amt, Currency: orderCurCode}, "ProductDescription": ln.prod["Name"],
				"Invoice": iref, "Product": odata.Ref{Set: odata.SetProducts, ID: ln.prod["Id"].(string)}, "SalesOrder": oref,
				"QuantityUnit": refOf(ln.prod, "MeasurementUnit")})
		}
		sd.paymentOrder(inv, iref, party, orderCur, orderCurCode, due)
	}
}

// paymentOrder adds the receivable for an invoice, its balance row (the due payment) and, for older
// invoices, the payment that settled it (in full or in part).
func (sd *seeder) paymentOrder(inv odata.Entity, iref, party, cur odata.Ref, curCode string, due time.Time) {
	total := inv["AmountToPay"].(odata.Amount).Value
	invDate := inv["DocumentDate"].(time.Time)
	age := int(sd.today.Sub(invDate).Hours() / 24)
	paid := 0.0
	switch {
	case age > 150:
		paid = total
		if sd.rng.IntN(12) == 0 {
			paid = round2(total / 2) // an old partial payment: long overdue
		}
	case age > 45:
		paid = []float64{total, total, round2(total / 3), 0}[sd.rng.IntN(4)]
	case age > 20:
		paid = []float64{total, 0, 0}[sd.rng.IntN(3)]
	}
	poNo := sd.st.NextNumber("PO")
	po := sd.add(odata.SetPaymentOrders, "", odata.Entity{"DocumentNo": poNo, "DocumentDate": invDate, "State": "Released", "Void": false,
		"DocumentType": sd.ref(odata.SetDocumentTypes, "dt:PO"), "EnterpriseCompany": sd.ref(odata.SetEnterpriseCompanies, "ec"),
		"EnterpriseCompanyLocation": sd.ref(odata.SetCompanyLocations, "loc"), "TotalAmountCurrency": cur, "Direction": "Incoming", "DueDate": due,
		"TotalAmount": odata.Amount{Value: total, Currency: curCode}, "Party": party, "RefDocumentNo": inv["DocumentNo"], "RefDocumentDate": invDate, "RefInvoiceDocumentNo": inv["DocumentNo"],
		"RefInvoiceDocument": iref, "RefInvoiceDocumentDate": invDate, "RefInvoiceDocumentType": refOf(inv, "DocumentType")})
	remaining := round2(total - paid)
	paymentStatus := "Unpaid"
	switch {
	case remaining <= 0:
		paymentStatus = "Paid"
	case paid > 0:
		paymentStatus = "PartiallyPaid"
	}
	dueStart := invDate
	if age < 20 && invDate.Day()%2 == 1 {
		dueStart = invDate.AddDate(0, 0, 21) // a payment that only falls due after delivery: Scheduled
	}
	grace := due.AddDate(0, 0, 5)
	dueStatus := "Due"
	switch {
	case remaining <= 0:
		dueStatus = "NotApplicable"
	case sd.today.Before(dueStart):
		dueStatus = "Scheduled"
	case !sd.today.After(due):
		dueStatus = "Due"
	case !sd.today.After(grace):
		dueStatus = "GracePeriod"
	default:
		dueStatus = "Overdue"
	}
	sd.add(odata.SetPaymentBalances, "", odata.Entity{"Direction": "Incoming", "DueDate": due, "DueStartDate": dueStart, "DueStatus": dueStatus,
		"PaymentStatus": paymentStatus, "IsInvoiced": true, "OrderAmount": odata.Amount{Value: total, Currency: curCode}, "PaidAmount": odata.Amount{Value: paid, Currency: curCode},
		"RemainingAmount": odata.Amount{Value: remaining, Currency: curCode}, "RefDocumentNo": inv["DocumentNo"], "RefDocumentDate": invDate,
		"RefInvoiceDocumentNo": inv["DocumentNo"], "RefInvoiceDocumentDate": invDate, "Party": party, "PaymentOrder": po,
		"Currency": cur, "RefInvoiceDocument": iref, "EnterpriseCompany": sd.ref(odata.SetEnterpriseCompanies, "ec"),
		"RefDocumentType": refOf(inv, "DocumentType")})
	if paid <= 0 {
		return
	}
	payDate := due.AddDate(0, 0, -sd.rng.IntN(20))
	if payDate.After(sd.today) {
		payDate = sd.today
	}
	tx := sd.add(odata.SetPaymentTransactions, "", odata.Entity{"DocumentNo": sd.st.NextNumber("PT"), "DocumentDate": payDate, "State": "Completed",
		"Void": false, "DocumentType": sd.ref(odata.SetDocumentTypes, "dt:PT"), "EnterpriseCompany": sd.ref(odata.SetEnterpriseCompanies, "ec"),
		"EnterpriseCompanyLocation": sd.ref(odata.SetCompanyLocations, "loc"), "TotalAmountCurrency": cur, "TotalAmount": odata.Amount{Value: paid, Currency: curCode}, "Party": party,
		"Direction": "Incoming"})
	sd.add(odata.SetPaymentTxLines, "", odata.Entity{"Amount": odata.Amount{Value: paid, Currency: curCode}, "CoveredOrderAmount": odata.Amount{Value: paid, Currency: curCode}, "PaymentOrder": po, "PaymentTransaction": tx})
}

// files attaches documents to the main customer: one shared with the customer, one internal only.
func (sd *seeder) files() {
	cust := sd.ref(odata.SetCustomers, "cust:"+MainCustomerNumber)
	// Files hang on the customer's extensible data object, whose EntityItemId is the customer's Id.
	obj := sd.add(odata.SetDataObjects, "", odata.Entity{"EntityType": "Crm.Sales.Customers", "EntityItemId": cust.ID, "DisplayName": MainCustomerNumber})
	shared := odata.RenderPDF("Price list "+sd.today.Format("2006"), []string{"Standard prices for Acme Build & Co.", "Valid from " + sd.today.Format("2006-01-02")})
	sd.add(odata.SetObjectFiles, "", odata.Entity{"FileName": "Price list " + sd.today.Format("2006") + ".pdf", "EmbeddedFileContents": base64.StdEncoding.EncodeToString(shared),
		"FileSizeBytes": int64(len(shared)), "MediaType": "application/pdf", "AccessPermission": "External", "ContentLocation": "Embedded", "Object": obj, "Notes": "Shared with the customer"})
	internal := []byte("Internal credit review: do not share.\n")
	sd.add(odata.SetObjectFiles, "", odata.Entity{"FileName": "Credit review (internal).txt", "EmbeddedFileContents": base64.StdEncoding.EncodeToString(internal),
		"FileSizeBytes": int64(len(internal)), "MediaType": "text/plain", "AccessPermission": "Internal", "ContentLocation": "Embedded", "Object": obj, "Notes": "Internal"})
	terms := []byte("General terms of delivery.\nPayment within 30 days.\n")
	sd.add(odata.SetObjectFiles, "", odata.Entity{"FileName": "Terms & conditions.txt", "EmbeddedFileContents": base64.StdEncoding.EncodeToString(terms),
		"FileSizeBytes": int64(len(terms)), "MediaType": "text/plain", "AccessPermission": "External", "ContentLocation": "Embedded", "Object": obj, "Notes": ""})

	// The newest invoiced order and its invoice carry files too: on each, one shared with external
	// users and one internal, which the customer must never see.
	for _, doc := range []struct {
		ref        odata.Ref
		entityType string
		shared     string
	}{{sd.invoiced.order, "Crm.Sales.SalesOrders", "Delivery note.pdf"}, {sd.invoiced.invoice, "Crm.Invoicing.Invoices", "Proof of delivery.pdf"}} {
		e := sd.st.Deref(doc.ref)
		obj := sd.add(odata.SetDataObjects, "", odata.Entity{"EntityType": doc.entityType, "EntityItemId": doc.ref.ID, "DisplayName": str(e["DocumentNo"])})
		pdf := odata.RenderPDF(strings.TrimSuffix(doc.shared, ".pdf"), []string{"For " + str(e["DocumentNo"])})
		sd.add(odata.SetObjectFiles, "", odata.Entity{"FileName": doc.shared, "EmbeddedFileContents": base64.StdEncoding.EncodeToString(pdf),
			"FileSizeBytes": int64(len(pdf)), "MediaType": "application/pdf", "AccessPermission": "External", "ContentLocation": "Embedded", "Object": obj, "Notes": ""})
		note := []byte("Margin on this document: internal only.\n")
		sd.add(odata.SetObjectFiles, "", odata.Entity{"FileName": "Margin (internal).txt", "EmbeddedFileContents": base64.StdEncoding.EncodeToString(note),
			"FileSizeBytes": int64(len(note)), "MediaType": "text/plain", "AccessPermission": "Internal", "ContentLocation": "Embedded", "Object": obj, "Notes": ""})
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// refOf, str and day are copies of the odata package's unexported helpers.

func refOf(e odata.Entity, name string) odata.Ref {
	r, _ := e[name].(odata.Ref)
	return r
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// day is midnight UTC of t's date.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// setProductPictures is the model's entity set of product pictures.
const setProductPictures = "General_Products_ProductPictures"

// swatch is a small PNG picture of product i (its n-th), a colour of its own, so the demo's
// product pages show something that tells the products apart.
func swatch(i, n int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 96, 96))
	c := color.RGBA{R: uint8(40 + 37*i%200), G: uint8(90 + 53*i%150), B: uint8(160 - 29*i%120), A: 255}
	for y := range 96 {
		for x := range 96 {
			if (x/24+y/24+n)%2 == 0 {
				img.Set(x, y, c)
			} else {
				img.Set(x, y, color.RGBA{R: 245, G: 247, B: 250, A: 255})
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// customerProducts are the main customer's own products (Crm_Sales_CustomerProducts), offered
// under New Order's "My products": four current ones, one no longer active and one whose dates
// have passed, which must not be offered.
func (sd *seeder) customerProducts() {
	cust := sd.ref(odata.SetCustomers, "cust:"+MainCustomerNumber)
	for i, c := range []struct {
		part   string
		active bool
		to     time.Time
		notes  string
	}{
		{"CLN-001", true, time.Time{}, "Monthly"}, {"CLN-004", true, time.Time{}, ""}, {"HW-005", true, sd.today.AddDate(1, 0, 0), "Site crews"},
		{"COF-003", true, time.Time{}, ""}, {"HW-002", false, time.Time{}, "No longer stocked"}, {"COF-005", true, sd.today.AddDate(0, 0, -10), "Expired agreement"},
	} {
		e := odata.Entity{"Customer": cust, "Product": sd.ref(odata.SetProducts, "prod:"+c.part), "IsActive": c.active,
			"FromDate": sd.today.AddDate(-1, 0, -i), "Notes": c.notes}
		if !c.to.IsZero() {
			e["ToDate"] = c.to
		}
		sd.add(setCustomerProducts, "", e)
	}
}

// setCustomerProducts is the model's entity set of a customer's own products.
const setCustomerProducts = "Crm_Sales_CustomerProducts"

// channelProducts list products in distribution channels (Crm_Marketing_ProductDistributionChannels):
// the Client Center's own channel (CC) and the main customer's default channel (DIRECT), each
// with one listing that must not be offered (inactive, or de-listed).
func (sd *seeder) channelProducts() {
	for _, l := range []struct {
		channel, part string
		active        bool
		to            time.Time
	}{
		{"CC", "COF-001", true, time.Time{}}, {"CC", "HW-001", true, time.Time{}}, {"CC", "CLN-002", false, time.Time{}},
		{"DIRECT", "HW-003", true, time.Time{}}, {"DIRECT", "HW-004", true, time.Time{}}, {"DIRECT", "HW-006", true, sd.today.AddDate(0, -1, 0)},
	} {
		e := odata.Entity{"DistributionChannel": sd.ref(odata.SetDistribution, "dc:"+l.channel), "Product": sd.ref(odata.SetProducts, "prod:"+l.part),
			"IsActive": l.active, "FromDate": sd.today.AddDate(-1, 0, 0)}
		if !l.to.IsZero() {
			e["ToDate"] = l.to
		}
		sd.add(setProductChannels, "", e)
	}
}

// setProductChannels is the model's entity set of products listed in distribution channels.
const setProductChannels = "Crm_Marketing_ProductDistributionChannels"

// promotionalPackages are Crm_Pricing_PromotionalPackages with their lines: two the main
// customer may be offered (one open to all, one for the main customer only), and those the
// main customer must never be offered: another customer's, one whose dates have passed, one no
// longer active, and one whose validity is a customer filter expression, which only Erp.Net can
// evaluate.
func (sd *seeder) promotionalPackages() {
	type line struct {
		part    string
		qty     float64
		price   float64 // 0: the package gives a discount only
		how     string  // StandardDiscountAdjustOrReplace
		percent float64 // StandardDiscountPercentAdjust, a fraction (0.15 is 15%)
	}
	main := sd.ref(odata.SetCustomers, "cust:"+MainCustomerNumber)
	for _, pk := range []struct {
		code, name string
		from, to   time.Time
		active     bool
		customer   odata.Ref
		filterXML  string
		currency   string
		lines      []line
	}{
		{"PKG-COFFEE", "Coffee corner starter", sd.today.AddDate(0, 0, -30), sd.today.AddDate(0, 2, 0), true, odata.Ref{}, "", "BGN",
			[]line{{"COF-001", 2, 29.90, "Replace", 0}, {"COF-005", 1, 0, "Replace", 0.15}, {"COF-003", 2, 9.90, "Replace", 0}}},
		{"PKG-CLEAN", "Cleaning kit for Acme", sd.today.AddDate(0, -1, 0), time.Time{}, true, main, "", "BGN",
			[]line{{"CLN-001", 4, 0, "Add", 0.10}, {"CLN-003", 1, 0, "Add", 0.10}, {"CLN-005", 1, 0, "Add", 0.10}}},
		{"PKG-MUELLER", "Werkstatt-Paket Müller", sd.today.AddDate(0, -1, 0), time.Time{}, true, sd.ref(odata.SetCustomers, "cust:"+SecondCustomerNumber), "", "EUR",
			[]line{{"HW-002", 1, 79, "Replace", 0}, {"HW-005", 10, 2.5, "Replace", 0}}},
		{"PKG-SPRING", "Spring clean (ended)", sd.today.AddDate(0, -4, 0), sd.today.AddDate(0, 0, -3), true, odata.Ref{}, "", "BGN",
			[]line{{"CLN-002", 3, 4.5, "Replace", 0}}},
		{"PKG-OLD", "Workshop basics (withdrawn)", sd.today.AddDate(-1, 0, 0), time.Time{}, false, odata.Ref{}, "", "BGN",
			[]line{{"HW-001", 5, 8, "Replace", 0}}},
		{"PKG-VIP", "Key accounts bundle", sd.today.AddDate(0, -1, 0), time.Time{}, true, odata.Ref{},
			`<Filter><Condition Attribute="Number" Operator="Like" Value="C-1%" /></Filter>`, "BGN",
			[]line{{"HW-002", 1, 150, "Replace", 0}}},
	} {
		e := odata.Entity{"Code": pk.code, "Name": pk.name, "Active": pk.active, "ValidFromDate": pk.from}
		if !pk.to.IsZero() {
			e["ValidToDate"] = pk.to
		}
		if pk.customer.ID != "" {
			e["ValidForCustomer"] = pk.customer
		}
		if pk.filterXML != "" {
			e["ValidForCustomerFilterXML"] = pk.filterXML
		}
		pkg := sd.add(setPromotionalPackages, "pkg:"+pk.code, e)
		for i, l := range pk.lines {
			prod := sd.st.Deref(sd.ref(odata.SetProducts, "prod:"+l.part))
			le := odata.Entity{"PromotionalPackage": pkg, "LineNumber": int64(i + 1), "Product": sd.ref(odata.SetProducts, "prod:"+l.part),
				"Quantity":                        odata.Quantity{Value: l.qty, Unit: str(sd.st.Deref(refOf(prod, "MeasurementUnit"))["Code"])},
				"StandardDiscountAdjustOrReplace": l.how, "StandardDiscountPercentAdjust": l.percent}
			if l.price > 0 {
				le["UnitPrice"] = odata.Amount{Value: l.price, Currency: pk.currency}
				le["UnitPriceCurrency"] = sd.ref(odata.SetCurrencies, pk.currency)
			}
			sd.add(setPromotionalPackageLines, "", le)
		}
	}
}

// The model's entity sets of promotional packages and their lines.
const (
	setPromotionalPackages     = "Crm_Pricing_PromotionalPackages"
	setPromotionalPackageLines = "Crm_Pricing_PromotionalPackageLines"
)
