package erpnet

import (
	"encoding/json"
	"testing"
	"time"
)

func TestSalesOrderDecodes(t *testing.T) {
	body := `{
	  "@odata.id": "Crm_Sales_SalesOrders(` + g1 + `)",
	  "DocumentNo": "SO-0042", "DocumentDate": "2026-01-02T00:00:00Z", "State": "Released", "Void": false,
	  "CreationTime": "2026-01-02T09:15:00+02:00",
	  "AmountToPay": {"Value": 1234.5, "Currency": "BGN"},
	  "PaymentDueDate": null,
	  "DocumentType": {"@odata.id": "Systems_Documents_DocumentTypes(` + g2 + `)"},
	  "Customer": {"@odata.id": "Crm_Sales_Customers(` + g2 + `)", "Number": "C-7",
	               "Party": {"@odata.id": "General_Contacts_Parties(` + g1 + `)"}},
	  "Lines": [{"@odata.id": "Crm_Sales_SalesOrderLines(` + g2 + `)", "LineNo": 1,
	             "Quantity": {"Value": 2.5, "Unit": "kg"}, "ProductDescription": {"EN": "Bolt", "BG": "Болт"},
	             "Product": {"@odata.id": "General_Products_Products(` + g1 + `)", "PartNumber": "B-1"}}]
	}`
	var o SalesOrder
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"id from @odata.id", o.ID, g1},
		{"number", o.DocumentNo, "SO-0042"},
		{"date", o.DocumentDate.Format(time.DateOnly), "2026-01-02"},
		{"offset kept", o.CreationTime.UTC().Format(time.RFC3339), "2026-01-02T07:15:00Z"},
		{"null date", o.PaymentDueDate.IsZero(), true},
		{"amount", o.AmountToPay.String(), "1234.50 BGN"},
		{"reference not expanded", o.DocumentType.Entity == nil, true},
		{"reference id", o.DocumentType.ID, g2},
		{"reference set", o.DocumentType.Set, SetDocumentTypes},
		{"expanded customer", o.Customer.Entity != nil && o.Customer.Entity.Number == "C-7", true},
		{"expanded customer id", o.Customer.ID, g2},
		{"nested reference", o.Customer.Entity.Party.ID, g1},
		{"lines", len(o.Lines), 1},
		{"line id", o.Lines[0].ID, g2},
		{"quantity", o.Lines[0].Quantity.String(), "2.5 kg"},
		{"ml string", o.Lines[0].ProductDescription.In("bg"), "Болт"},
		{"expanded product", o.Lines[0].Product.Entity.PartNumber, "B-1"},
		{"empty reference", o.ShipToCustomer.IsZero(), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSelectedIDWins(t *testing.T) {
	var u User
	body := `{"@odata.id":"Systems_Security_Users(` + g1 + `)","Id":"` + g2 + `","Login":"ann","Name":{"EN":"Ann"},"UserType":"ExternalCommunityUser"}`
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatal(err)
	}
	if u.ID != g2 {
		t.Errorf("ID = %s, want the selected Id %s", u.ID, g2)
	}
	if got, want := u.Display(), "Ann <ann> [EXT]"; got != want {
		t.Errorf("Display() = %q, want %q", got, want)
	}
}

func TestMLStringIn(t *testing.T) {
	tests := []struct {
		name string
		m    MLString
		lang string
		want string
	}{
		{"asked language", MLString{"EN": "Bolt", "BG": "Болт"}, "bg", "Болт"},
		{"falls back to English", MLString{"EN": "Bolt", "DE": "Schraube"}, "BG", "Bolt"},
		{"then to any, stably", MLString{"RU": "Болт", "DE": "Schraube"}, "BG", "Schraube"},
		{"empty English skipped", MLString{"EN": "", "DE": "Schraube"}, "BG", "Schraube"},
		{"nothing", nil, "EN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.In(tt.lang); got != tt.want {
				t.Errorf("In(%q) = %q, want %q", tt.lang, got, tt.want)
			}
		})
	}
}

func TestMLStringDecodes(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{"en":"Bolt"}`, "Bolt"},
		{`"Bolt"`, "Bolt"},
		{`{"EN":null,"BG":"Болт"}`, "Болт"},
		{`null`, ""},
	}
	for _, tt := range tests {
		var m MLString
		if err := json.Unmarshal([]byte(tt.in), &m); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got := m.In("EN"); got != tt.want {
			t.Errorf("%s: In(EN) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTimeDecodes(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{`"2026-01-02T00:00:00Z"`, "2026-01-02T00:00:00Z", false},
		{`"2026-01-02T10:00:00+02:00"`, "2026-01-02T08:00:00Z", false},
		{`"2026-01-02T10:00:00.123"`, "2026-01-02T10:00:00.123Z", false},
		{`"2026-01-02"`, "2026-01-02T00:00:00Z", false},
		{`null`, "0001-01-01T00:00:00Z", false},
		{`"yesterday"`, "", true},
	}
	for _, tt := range tests {
		var v Time
		err := json.Unmarshal([]byte(tt.in), &v)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got := v.UTC().Format(time.RFC3339Nano); !tt.wantErr && got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0.00"}, {1234.5, "1234.50"}, {0.125, "0.13"}, {1.005, "1.01"}, {-0.125, "-0.13"},
		{-0.001, "0.00"}, {0.1 + 0.2, "0.30"}, {99999999.995, "100000000.00"},
	}
	for _, tt := range tests {
		if got := FormatMoney(tt.v); got != tt.want {
			t.Errorf("FormatMoney(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestRefRoundTrips(t *testing.T) {
	tests := []struct {
		in      string
		want    Ref
		wantErr bool
	}{
		{"Crm_Sales_Customers(" + g1 + ")", NewRef(SetCustomers, g1), false},
		{"https://erp.example/api/domain/odata/Crm_Sales_Customers(" + g1 + ")", NewRef(SetCustomers, g1), false},
		{"Crm_Sales_Customers('" + g1 + "')", NewRef(SetCustomers, g1), false},
		{"Crm_Sales_Customers", Ref{}, true},
		{"Crm_Sales_Customers(42)", Ref{}, true},
	}
	for _, tt := range tests {
		got, err := ParseRef(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRef(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	b, _ := json.Marshal(map[string]any{"Customer": NewRef(SetCustomers, g1), "Empty": Ref{}})
	if got, want := string(b), `{"Customer":{"@odata.id":"Crm_Sales_Customers(`+g1+`)"},"Empty":null}`; got != want {
		t.Errorf("marshalled = %s, want %s", got, want)
	}
}

// A packed text answers In as its map does, in every language and for every fallback.
func TestPackedTextInAsTheMap(t *testing.T) {
	for _, m := range []MLString{
		nil, {}, {"EN": "Bolt", "BG": "Болт"}, {"BG": "Болт", "DE": "Bolzen"}, {"DE": "", "FR": "Boulon", "BG": "Болт"},
		{"": "plain"}, {"EN": "", "BG": ""}, {"EN": "a\x1fb"},
	} {
		p := m.Packed()
		for _, lang := range []string{"en", "EN", "bg", "de", "fr", "", "xx"} {
			if got, want := p.In(lang), m.In(lang); got != want {
				t.Errorf("%q.Packed().In(%q) = %q, want %q", m, lang, got, want)
			}
		}
	}
}
