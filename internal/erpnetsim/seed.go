package erpnetsim

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
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
func (s *Sim) DemoUsers() []DemoUser {
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
	st    *store
	rng   *rand.Rand
	today time.Time
	ids   map[string]string // symbolic name → Id
}

// seed fills the store. Scale multiplies the main customer's documents (about 400 per unit).
func seed(st *store, now time.Time, scale int) {
	sd := &seeder{st: st, rng: rand.New(rand.NewPCG(20261123, 1)), today: day(now), ids: map[string]string{}}
	st.mu.Lock()
	defer st.mu.Unlock()
	sd.referenceData()
	sd.parties()
	sd.documents(MainCustomerNumber, 400*scale, 3*365)
	sd.documents(SecondCustomerNumber, 60, 2*365)
	sd.documents(HostileCustomerNumber, 12, 365)
	sd.files()
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
func (sd *seeder) add(set, name string, e entity) refVal {
	id := sd.newID()
	e["Id"] = id
	if err := sd.st.insert(set, e); err != nil {
		panic(err) // seed data is fixed: a failure is a programming error
	}
	if name != "" {
		sd.ids[name] = id
	}
	return refVal{Set: sd.st.sets[set].Storage, ID: id}
}

func (sd *seeder) ref(set, name string) refVal {
	return refVal{Set: set, ID: sd.ids[name]}
}

func ml(en, bg string) mlString {
	if bg == "" {
		return mlString{"EN": en}
	}
	return mlString{"EN": en, "BG": bg}
}

func (sd *seeder) referenceData() {
	// Currencies are named by CurrencySign; their Name is a plain string.
	sd.add(setCurrencies, "BGN", entity{"CurrencySign": "BGN", "Name": "Bulgarian lev", "IsActive": true})
	sd.add(setCurrencies, "EUR", entity{"CurrencySign": "EUR", "Name": "Euro", "IsActive": true})
	sd.add(setCountries, "country:BG", entity{"Code": "BG", "Name": ml("Bulgaria", "България")})
	sd.add(setCountries, "country:DE", entity{"Code": "DE", "Name": ml("Germany", "Германия")})
	for _, u := range [][3]string{{"pcs", "Pieces", "Бройки"}, {"kg", "Kilograms", "Килограми"}, {"box", "Boxes", "Кутии"}, {"l", "Litres", "Литри"}} {
		sd.add(setUnits, u[0], entity{"Code": u[0], "Name": ml(u[1], u[2]), "Multiplier": 1.0, "Divisor": 1.0})
	}
	company := sd.add(setCompanies, "company:"+EnterpriseCompanyCode, entity{"PartyCode": EnterpriseCompanyCode, "PartyName": ml(EnterpriseCompanyName, "Орбис Трейдинг"),
		"Name": ml(EnterpriseCompanyName, "Орбис Трейдинг"), "PartyType": "Company", "PartyUniqueNumber": "204512345", "RegistrationNumber": "204512345",
		"RegistrationVATNumber": "BG204512345", "IsVATRegistered": true, "IsActive": true, "City": ml("Sofia", "София"),
		"RegistrationPrimaryAddress": ml("1 Vitosha Blvd, 1000 Sofia", "бул. Витоша 1, 1000 София"), "Country": sd.ref(setCountries, "country:BG")})
	// An enterprise company has no code of its own: it is named by its company (Company.PartyName).
	ec := sd.add(setEnterpriseCompanies, "ec", entity{"Company": refVal{Set: setCompanies, ID: company.ID}, "BaseCurrency": sd.ref(setCurrencies, "BGN"), "IsActive": true})
	sd.add(setCompanyLocations, "loc", entity{"PartyCode": "SOF", "PartyName": ml("Sofia head office", "Централен офис София"),
		"LocationName": ml("Sofia head office", "Централен офис София"), "PartyType": "CompanyLocation", "IsActive": true, "Company": refVal{Set: setCompanies, ID: company.ID}})
	for _, dc := range [][3]string{{"CC", "Client Center", "Клиентски център"}, {"WEB", "Web shop", "Уеб магазин"}, {"DIRECT", "Direct sales", "Директни продажби"}} {
		sd.add(setDistribution, "dc:"+dc[0], entity{"Code": dc[0], "Name": ml(dc[1], dc[2]), "IsActive": true})
	}
	sd.add(setStores, "store:MAIN", entity{"Code": "MAIN", "PartyCode": "ST-MAIN", "PartyName": ml("Main warehouse", "Основен склад"), "Name": ml("Main warehouse", "Основен склад"), "PartyType": "Store", "IsActive": true})
	sd.add(setStores, "store:VAR", entity{"Code": "VAR", "PartyCode": "ST-VAR", "PartyName": ml("Varna warehouse", "Склад Варна"), "Name": ml("Varna warehouse", "Склад Варна"), "PartyType": "Store", "IsActive": true})
	for _, dt := range [][4]string{
		{"SO", "Sales Order", "Поръчка за продажба", "SalesOrders"}, {"SOX", "Export Sales Order", "Експортна поръчка", "SalesOrders"},
		{"INV", "Invoice", "Фактура", "Invoices"}, {"CN", "Credit Note", "Кредитно известие", "Invoices"},
		{"PO", "Payment Order", "Платежно нареждане", "PaymentOrders"}, {"PT", "Payment", "Плащане", "PaymentTransactions"},
	} {
		sd.add(setDocumentTypes, "dt:"+dt[0], entity{"Code": dt[0], "TypeName": ml(dt[1], dt[2]), "EntityName": dt[3]})
	}
	sd.add(setPriceLists, "pl", entity{"Name": "Standard prices", "IsActive": true, "EnterpriseCompany": ec})
	groups := [][3]string{{"COF", "Coffee & tea", "Кафе и чай"}, {"HW", "Hardware", "Железария"}, {"CLN", "Cleaning", "Почистване"}}
	for _, g := range groups {
		sd.add(setProductGroups, "pg:"+g[0], entity{"Code": g[0], "Name": ml(g[1], g[2]), "FullPath": g[0], "Active": true})
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
	for _, pr := range products {
		sd.add(setProducts, "prod:"+pr.part, entity{"PartNumber": pr.part, "Name": ml(pr.en, pr.bg), "ShortName": ml(pr.part, ""),
			"Description": ml(pr.en, pr.bg), "Active": true, "StandardPricePerLot": amount{pr.price, "BGN"}, "StandardLotSizeBase": quantity{1, pr.unit},
			"MeasurementUnit": sd.ref(setUnits, pr.unit), "ProductGroup": sd.ref(setProductGroups, "pg:"+pr.group)})
	}
	// An inactive product: it must not be offered for new orders.
	sd.add(setProducts, "prod:OLD-001", entity{"PartNumber": "OLD-001", "Name": ml("Discontinued kettle", "Спрян от продажба чайник"),
		"Active": false, "StandardPricePerLot": amount{45, "BGN"}, "StandardLotSizeBase": quantity{1, "pcs"}, "MeasurementUnit": sd.ref(setUnits, "pcs"), "ProductGroup": sd.ref(setProductGroups, "pg:COF")})
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
		party := sd.add(setCompanies, "party:"+c.number, entity{"PartyCode": code, "PartyName": ml(c.en, c.bg), "Name": ml(c.en, c.bg), "PartyType": "Company",
			"PartyUniqueNumber": c.uin, "RegistrationNumber": c.uin, "RegistrationVATNumber": "BG" + c.uin, "IsVATRegistered": i != 2, "IsActive": true,
			"City": ml(c.city, ""), "RegistrationPrimaryAddress": ml(fmt.Sprintf("%d Industrial Zone, %d %s", 10+i, 4000+i*1000, c.city), ""),
			"Country": sd.ref(setCountries, country)})
		party.Set = setParties // a customer's Party is a reference to Parties
		for _, cm := range [][2]string{{"Telephone", fmt.Sprintf("+359 2 555 01%02d", i)}, {"Mail", fmt.Sprintf("office%d@customer.example", i+1)}} {
			mech := sd.add(setContactMechanisms, "", entity{"ContactMechanismType": cm[0], "Name": cm[1]})
			sd.add(setPartyContacts, "", entity{"Party": party, "ContactMechanism": mech, "ContactMechanismType": cm[0], "Name": cm[1], "IsActive": true})
		}
		sd.add(setCustomers, "cust:"+c.number, entity{"Number": c.number, "Active": true, "FromDate": sd.today.AddDate(-5, 0, 0),
			"CreditLimit": amount{50000, c.currency}, "DefaultPaymentTermDays": int64(30), "GracePeriodDays": int64(5),
			"Party": party, "EnterpriseCompany": sd.ref(setEnterpriseCompanies, "ec"),
			"ServicedByEnterpriseCompanyLocation": sd.ref(setCompanyLocations, "loc"), "DefaultCurrency": sd.ref(setCurrencies, c.currency),
			"DefaultDistributionChannel": sd.ref(setDistribution, "dc:DIRECT"), "DefaultPriceList": sd.ref(setPriceLists, "pl")})
	}
	// The trusted application's system user: an internal user, never a portal user.
	sd.add(setUsers, "user:system", entity{"Login": "cc-demo-system", "Name": ml("Client Center system user", ""), "Active": true, "IsAdmin": false, "UserType": "InternalUser"})
	for _, u := range demoUsers {
		parent := sd.ref(setParties, "party:"+MainCustomerNumber)
		if len(u.roles) > 0 {
			parent = sd.ref(setParties, "party:"+u.roles[0].customer)
		}
		name := u.first + " " + u.last
		person := sd.add(setPersons, "person:"+u.login, entity{"PartyCode": fmt.Sprintf("PER-%03d", len(sd.ids)), "PartyName": ml(name, ""), "PartyType": "Person",
			"FirstName": ml(u.first, ""), "LastName": ml(u.last, ""), "ParentParty": parent, "IsActive": true})
		user := sd.add(setUsers, "user:"+u.login, entity{"Login": u.login, "Name": ml(name, ""), "Email": u.login, "Active": true,
			"IsAdmin": false, "UserType": "ExternalCommunityUser", "Person": person})
		for _, r := range u.roles {
			var daysBack any // unlimited, except for the billing user, who shows the horizon at work
			if u.login == "billing@orbis.example" {
				daysBack = int64(365)
			}
			sd.add(setExternalAccess, "", entity{"Customer": sd.ref(setCustomers, "cust:"+r.customer), "User": user,
				"Role": r.role, "DaysBackAccess": daysBack, "Notes": "Demo access"})
		}
	}
}

// documents lays out count sales orders over the last days days for a customer, with invoices for
// most released ones, payment orders (and so due payments) for invoices, and payments for the paid.
func (sd *seeder) documents(number string, count, days int) {
	cust := sd.ref(setCustomers, "cust:"+number)
	custE := sd.st.rows[setCustomers][cust.ID]
	party := refOf(custE, "Party")
	currency := refOf(custE, "DefaultCurrency")
	curCode := str(sd.st.rows[setCurrencies][currency.ID]["CurrencySign"])
	var products []entity
	sd.st.scan(setProducts, "", func(e entity) bool {
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
		orderNo := sd.st.nextNumber(dtype)
		orderCur, orderCurCode := currency, curCode
		if number == MainCustomerNumber && i%11 == 5 {
			orderCur, orderCurCode = sd.ref(setCurrencies, "EUR"), "EUR"
		}
		order := entity{"DocumentNo": orderNo, "DocumentDate": date, "State": state, "Void": void,
			"DocumentNotes": []string{"", "Deliver to gate 2", "Urgent — please call before delivery", "", "Палет до склад 3"}[i%5],
			"CreationTime":  date.Add(9 * time.Hour), "CreationUser": "cc-demo-system", "DocumentType": sd.ref(setDocumentTypes, "dt:"+dtype),
			"EnterpriseCompany": sd.ref(setEnterpriseCompanies, "ec"), "EnterpriseCompanyLocation": sd.ref(setCompanyLocations, "loc"),
			"DocumentCurrency": orderCur, "Customer": cust, "PaymentDueDate": date.AddDate(0, 0, 30),
			"RequiredDeliveryDate": date.AddDate(0, 0, 7), "CustomerPurchaseOrderNo": fmt.Sprintf("PO-%s-%04d", number[2:], i+1), "ExternalId": "", "ExternalSystem": "",
			"DistributionChannel": sd.ref(setDistribution, "dc:DIRECT"), "Store": sd.ref(setStores, "store:MAIN"), "PriceList": sd.ref(setPriceLists, "pl")}
		if void {
			order["VoidReason"] = "Cancelled by the customer"
		}
		if state == "Released" || state == "Completed" {
			order["ReleaseTime"] = date.Add(10 * time.Hour)
		}
		oref := sd.add(setSalesOrders, "", order)
		nlines := 1 + sd.rng.IntN(4)
		total := 0.0
		type line struct {
			prod    entity
			qty, up float64
			amt     float64
		}
		var lines []line
		for l := range nlines {
			prod := products[sd.rng.IntN(len(products))]
			qty := float64(1 + sd.rng.IntN(20))
			up := prod["StandardPricePerLot"].(amount).Value
			if orderCurCode == "EUR" {
				up = round2(up / 1.95583)
			}
			disc := []float64{0, 0, 5, 10}[sd.rng.IntN(4)]
			amt := round2(qty * up * (1 - disc/100))
			total += amt
			lines = append(lines, line{prod, qty, up, amt})
			unit := refOf(prod, "MeasurementUnit")
			sd.add(setSalesOrderLines, "", entity{"LineNo": int64(10 * (l + 1)), "Quantity": quantity{qty, str(sd.st.rows[setUnits][unit.ID]["Code"])},
				"QuantityBase": quantity{qty, str(sd.st.rows[setUnits][unit.ID]["Code"])}, "UnitPrice": amount{up, orderCurCode},
				"LineAmount": amount{amt, orderCurCode}, "LineStandardDiscountPercent": disc, "ProductDescription": prod["Name"],
				"Notes": []string{"", "", "Gift wrap"}[l%3], "RequiredDeliveryDate": date.AddDate(0, 0, 7), "SalesOrder": oref,
				"Product": refVal{setProducts, prod["Id"].(string)}, "QuantityUnit": unit})
		}
		total = round2(total)
		order["TotalLineAmount"] = amount{total, orderCurCode}
		order["AmountToPay"] = amount{round2(total * 1.2), orderCurCode} // calculated by the server: not in the default $select
		if void || (state != "Released" && state != "Completed") || i%5 == 3 {
			continue
		}
		// Invoice the order a day after its release.
		invDate := date.AddDate(0, 0, 1)
		if invDate.After(sd.today) {
			invDate = sd.today
		}
		invType := "INV"
		invNo := sd.st.nextNumber(invType)
		due := invDate.AddDate(0, 0, 30)
		inv := entity{"DocumentNo": invNo, "DocumentDate": invDate, "ApplyDate": invDate, "State": "Released", "Void": false,
			"DocumentType": sd.ref(setDocumentTypes, "dt:"+invType), "EnterpriseCompany": sd.ref(setEnterpriseCompanies, "ec"),
			"EnterpriseCompanyLocation": sd.ref(setCompanyLocations, "loc"), "DocumentCurrency": orderCur, "Customer": cust,
			"AmountToPay": order["AmountToPay"], "TotalLineAmount": order["TotalLineAmount"], "PaymentDueDate": due, "CreationTime": invDate.Add(11 * time.Hour),
			"CreationUser": "cc-demo-system", "ReleaseTime": invDate.Add(11 * time.Hour), "DocumentNotes": ""}
		iref := sd.add(setInvoices, "", inv)
		for l, ln := range lines {
			sd.add(setInvoiceLines, "", entity{"LineNo": int64(10 * (l + 1)), "Quantity": quantity{ln.qty, str(sd.st.rows[setUnits][refOf(ln.prod, "MeasurementUnit").ID]["Code"])},
				"UnitPrice": amount{ln.up, orderCurCode}, "LineAmount": amount{ln.amt, orderCurCode}, "ProductDescription": ln.prod["Name"],
				"Invoice": iref, "Product": refVal{setProducts, ln.prod["Id"].(string)}, "SalesOrder": oref})
		}
		sd.paymentOrder(inv, iref, party, orderCur, orderCurCode, due)
	}
}

// paymentOrder adds the receivable for an invoice, its balance row (the due payment) and, for older
// invoices, the payment that settled it (in full or in part).
func (sd *seeder) paymentOrder(inv entity, iref, party, cur refVal, curCode string, due time.Time) {
	total := inv["AmountToPay"].(amount).Value
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
	poNo := sd.st.nextNumber("PO")
	po := sd.add(setPaymentOrders, "", entity{"DocumentNo": poNo, "DocumentDate": invDate, "State": "Released", "Void": false,
		"DocumentType": sd.ref(setDocumentTypes, "dt:PO"), "EnterpriseCompany": sd.ref(setEnterpriseCompanies, "ec"),
		"EnterpriseCompanyLocation": sd.ref(setCompanyLocations, "loc"), "TotalAmountCurrency": cur, "Direction": "Incoming", "DueDate": due,
		"TotalAmount": amount{total, curCode}, "Party": party, "RefDocumentNo": inv["DocumentNo"], "RefInvoiceDocumentNo": inv["DocumentNo"]})
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
	sd.add(setPaymentBalances, "", entity{"Direction": "Incoming", "DueDate": due, "DueStartDate": dueStart, "DueStatus": dueStatus,
		"PaymentStatus": paymentStatus, "IsInvoiced": true, "OrderAmount": amount{total, curCode}, "PaidAmount": amount{paid, curCode},
		"RemainingAmount": amount{remaining, curCode}, "RefDocumentNo": inv["DocumentNo"], "RefDocumentDate": invDate,
		"RefInvoiceDocumentNo": inv["DocumentNo"], "RefInvoiceDocumentDate": invDate, "Party": party, "PaymentOrder": po,
		"Currency": cur, "RefInvoiceDocument": iref, "EnterpriseCompany": sd.ref(setEnterpriseCompanies, "ec")})
	if paid <= 0 {
		return
	}
	payDate := due.AddDate(0, 0, -sd.rng.IntN(20))
	if payDate.After(sd.today) {
		payDate = sd.today
	}
	tx := sd.add(setPaymentTransactions, "", entity{"DocumentNo": sd.st.nextNumber("PT"), "DocumentDate": payDate, "State": "Completed",
		"Void": false, "DocumentType": sd.ref(setDocumentTypes, "dt:PT"), "EnterpriseCompany": sd.ref(setEnterpriseCompanies, "ec"),
		"EnterpriseCompanyLocation": sd.ref(setCompanyLocations, "loc"), "TotalAmountCurrency": cur, "TotalAmount": amount{paid, curCode}, "Party": party,
		"Direction": "Incoming"})
	sd.add(setPaymentTxLines, "", entity{"Amount": amount{paid, curCode}, "CoveredOrderAmount": amount{paid, curCode}, "PaymentOrder": po, "PaymentTransaction": tx})
}

// files attaches documents to the main customer: one shared with the customer, one internal only.
func (sd *seeder) files() {
	cust := sd.ref(setCustomers, "cust:"+MainCustomerNumber)
	// Files hang on the customer's extensible data object, whose EntityItemId is the customer's Id.
	obj := sd.add(setDataObjects, "", entity{"EntityType": "Crm.Sales.Customers", "EntityItemId": cust.ID, "DisplayName": MainCustomerNumber})
	shared := renderPDF("Price list "+sd.today.Format("2006"), []string{"Standard prices for Acme Build & Co.", "Valid from " + sd.today.Format("2006-01-02")})
	sd.add(setObjectFiles, "", entity{"FileName": "Price list " + sd.today.Format("2006") + ".pdf", "EmbeddedFileContents": base64.StdEncoding.EncodeToString(shared),
		"FileSizeBytes": int64(len(shared)), "MediaType": "application/pdf", "AccessPermission": "External", "ContentLocation": "Embedded", "Object": obj, "Notes": "Shared with the customer"})
	internal := []byte("Internal credit review: do not share.\n")
	sd.add(setObjectFiles, "", entity{"FileName": "Credit review (internal).txt", "EmbeddedFileContents": base64.StdEncoding.EncodeToString(internal),
		"FileSizeBytes": int64(len(internal)), "MediaType": "text/plain", "AccessPermission": "Internal", "ContentLocation": "Embedded", "Object": obj, "Notes": "Internal"})
	terms := []byte("General terms of delivery.\nPayment within 30 days.\n")
	sd.add(setObjectFiles, "", entity{"FileName": "Terms & conditions.txt", "EmbeddedFileContents": base64.StdEncoding.EncodeToString(terms),
		"FileSizeBytes": int64(len(terms)), "MediaType": "text/plain", "AccessPermission": "External", "ContentLocation": "Embedded", "Object": obj, "Notes": ""})
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
