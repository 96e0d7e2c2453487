package erpnet

import (
	"math"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	g1 = "59098bcf-f331-478f-91c2-f5520590f534"
	g2 = "6a1f0c55-3b1e-4f5e-9d3f-0123456789ab"
)

func filterOf(t *testing.T, q Query) string {
	t.Helper()
	v, err := q.Values()
	if err != nil {
		t.Fatalf("Values: %v", err)
	}
	return v.Get("$filter")
}

func TestTerms(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		term Term
		want string
	}{
		{"string", Eq("Number", Str("C-1")), "Number eq 'C-1'"},
		{"quote doubled", Eq("PartyName", Str("O'Neil")), "PartyName eq 'O''Neil'"},
		{"id bare", Eq("Id", GUID(strings.ToUpper(g1))), "Id eq " + g1},
		{"ids in", In("Id", GUID(g1), GUID(g2)), "Id in (" + g1 + "," + g2 + ")"},
		{"reference quoted", Eq("Customer", NewRef(SetCustomers, g1)), "Customer eq 'Crm_Sales_Customers(" + g1 + ")'"},
		{"link is a reference", Eq("Customer", Link[Customer]{Ref: NewRef(SetCustomers, g1)}), "Customer eq 'Crm_Sales_Customers(" + g1 + ")'"},
		{"enums in", In("State", Enum("FirmPlanned"), Enum("Released")), "State in ('FirmPlanned','Released')"},
		{"enum ge", Ge("State", Enum("Released")), "State ge 'Released'"},
		{"date bare", Ge("DocumentDate", Date(day)), "DocumentDate ge 2026-01-01Z"},
		{"local date keeps its day", Le("DocumentDate", Date(time.Date(2026, 1, 1, 23, 30, 0, 0, time.FixedZone("EET", 2*3600)))), "DocumentDate le 2026-01-01Z"},
		{"date-time UTC", Ge("CreationTime", DateTime(day.Add(90*time.Minute))), "CreationTime ge 2026-01-01T01:30:00Z"},
		{"amount value", Ge("AmountToPayValue", Decimal(5.25)), "AmountToPayValue ge 5.25"},
		{"decimal no exponent", Le("AmountToPayValue", Decimal(1e21)), "AmountToPayValue le 1000000000000000000000"},
		{"int", Eq("LineNo", Int(-3)), "LineNo eq -3"},
		{"bool", Eq("Void", Bool(false)), "Void eq false"},
		{"navigation path", Ge("SalesOrder/State", Enum("Released")), "SalesOrder/State ge 'Released'"},
		{"contains", Contains("PartyName", "a'b"), "contains(PartyName,'a''b')"},
		{"startswith", StartsWith("DocumentNo", "SO"), "startswith(DocumentNo,'SO')"},
		{"endswith", EndsWith("DocumentNo", "7"), "endswith(DocumentNo,'7')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := filterOf(t, From(SetSalesOrders).Where(tt.term)); got != tt.want {
				t.Errorf("filter = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBadPartsMakeTheQueryFail(t *testing.T) {
	tests := []struct {
		name string
		q    Query
	}{
		{"path with a space", From(SetSalesOrders).Where(Eq("State or 1", Str("x")))},
		{"path with a quote", From(SetSalesOrders).Where(Contains("Name')", "x"))},
		{"bad id", From(SetSalesOrders).Where(Eq("Id", GUID("1 or 1 eq 1")))},
		{"bad reference id", From(SetSalesOrders).Where(Eq("Customer", NewRef(SetCustomers, "x")))},
		{"bad enum", From(SetSalesOrders).Where(Eq("State", Enum("Released' or '1")))},
		{"empty in", From(SetSalesOrders).Where(In("Id"))},
		{"nil literal", From(SetSalesOrders).Where(Eq("Id", nil))},
		{"not a number", From(SetSalesOrders).Where(Eq("LineNo", Decimal(math.NaN())))},
		{"zero term", From(SetSalesOrders).Where(Term{})},
		{"bad set", From("Sales Orders")},
		{"bad key", From(SetSalesOrders).Key("42")},
		{"bad select", From(SetSalesOrders).Select("Id,Secret")},
		{"bad orderby", From(SetSalesOrders).OrderBy("DocumentDate desc", false)},
		{"bad expand", From(SetSalesOrders).Expand("Lines($select=*)")},
		{"bad sub-query", From(SetSalesOrders).Expand("Lines", Query{}.Select("a b"))},
		{"negative top", From(SetSalesOrders).Top(-1)},
	}
	valid := From(SetSalesOrders).String()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.q.Err() == nil {
				t.Fatal("Err() = nil, want an error")
			}
			if _, err := tt.q.Values(); err == nil {
				t.Error("Values() gave no error")
			}
			if s := tt.q.String(); s == valid || !strings.HasPrefix(s, "invalid query") {
				t.Errorf("String() = %q, want it marked invalid", s)
			}
		})
	}
}

func TestQueryString(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"set only", From(SetProducts), "General_Products_Products"},
		{"key", From(SetSalesOrders).Key(g1).Select("default", "Id"),
			"Crm_Sales_SalesOrders(" + g1 + ")?$select=default%2CId"},
		{"all options in fixed order",
			From(SetSalesOrders).Count().Skip(20).Top(10).OrderBy("DocumentDate", true).OrderBy("DocumentNo", false).
				Expand("Lines", Query{}.Select("LineNo").Expand("Product")).Select("Id").Where(Eq("Void", Bool(false))),
			"Crm_Sales_SalesOrders?$filter=Void%20eq%20false&$select=Id&$expand=Lines%28%24select%3DLineNo%3B%24expand%3DProduct%29" +
				"&$orderby=DocumentDate%20desc%2CDocumentNo&$top=10&$skip=20&$count=true"},
		{"select deduplicated", From(SetUsers).Select("Id", "Login", "Id"), "Systems_Security_Users?$select=Id%2CLogin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.String(); got != tt.want {
				t.Errorf("String() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestNestedExpandDecodes(t *testing.T) {
	q := From(SetSalesOrders).Expand("Lines", Query{}.Expand("Product"))
	v, err := q.Values()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.Get("$expand"), "Lines($expand=Product)"; got != want {
		t.Errorf("$expand = %q, want %q", got, want)
	}
}

func TestQueryIsAValue(t *testing.T) {
	base := From(SetSalesOrders).Where(Eq("Void", Bool(false)))
	a := base.Where(Eq("State", Enum("New")))
	b := base.Where(Eq("State", Enum("Released")))
	if got, want := filterOf(t, base), "Void eq false"; got != want {
		t.Errorf("base changed: %q, want %q", got, want)
	}
	if got, want := filterOf(t, a), "Void eq false and State eq 'New'"; got != want {
		t.Errorf("a = %q, want %q", got, want)
	}
	if got, want := filterOf(t, b), "Void eq false and State eq 'Released'"; got != want {
		t.Errorf("b = %q, want %q", got, want)
	}
	first, second := From(SetSalesOrders).Top(5), From(SetSalesOrders).Top(5)
	if first.String() != second.String() {
		t.Error("equal queries have different strings")
	}
}

// token is one lexeme of a $filter: kind is 'i' (identifier or path), 's' (string literal, text
// unescaped), or the punctuation character itself.
type token struct {
	kind byte
	text string
}

// tokenize splits a filter into tokens, or fails on anything it does not know, such as an
// unterminated string.
func tokenize(t *testing.T, s string) ([]token, bool) {
	t.Helper()
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, token{kind: c})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, false
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			out = append(out, token{kind: 's', text: b.String()})
		case c == '_' || c == '/' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '-':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '/' || s[j] == '-' || ('a' <= s[j] && s[j] <= 'z') ||
				('A' <= s[j] && s[j] <= 'Z') || ('0' <= s[j] && s[j] <= '9')) {
				j++
			}
			out = append(out, token{kind: 'i', text: s[i:j]})
			i = j
		default:
			return nil, false
		}
	}
	return out, true
}

// FuzzStrLiteral checks that any text passed through Str, Contains, StartsWith or EndsWith stays
// exactly one string literal, through the URL encoding too: the server sees the intended shape
// and gets the text back unchanged.
func FuzzStrLiteral(f *testing.F) {
	for _, s := range []string{"", "O'Neil", "'", "''", "x' or 1 eq 1 or 'a", "a) or (b", "%27&$filter=", "line\nbreak", "ünï'cödé", "\x00", "+ &#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cases := []struct {
			term Term
			want []token
		}{
			{Eq("PartyName", Str(s)), []token{{'i', "PartyName"}, {'i', "eq"}, {'s', s}}},
			{Contains("PartyName", s), []token{{'i', "contains"}, {'(', ""}, {'i', "PartyName"}, {',', ""}, {'s', s}, {')', ""}}},
			{StartsWith("DocumentNo", s), []token{{'i', "startswith"}, {'(', ""}, {'i', "DocumentNo"}, {',', ""}, {'s', s}, {')', ""}}},
			{EndsWith("DocumentNo", s), []token{{'i', "endswith"}, {'(', ""}, {'i', "DocumentNo"}, {',', ""}, {'s', s}, {')', ""}}},
		}
		for _, c := range cases {
			// Through the wire form: the query string as sent, parsed back as a server would.
			raw := From(SetCustomers).Where(c.term).String()
			_, rawQuery, _ := strings.Cut(raw, "?")
			vals, err := url.ParseQuery(rawQuery)
			if err != nil {
				t.Fatalf("query %q does not parse: %v", raw, err)
			}
			if len(vals) != 1 {
				t.Fatalf("query %q has %d parameters, want only $filter", raw, len(vals))
			}
			got, ok := tokenize(t, vals.Get("$filter"))
			if !ok {
				t.Fatalf("filter %q does not tokenize", vals.Get("$filter"))
			}
			if len(got) != len(c.want) {
				t.Fatalf("filter %q: tokens %v, want %v", vals.Get("$filter"), got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("filter %q: token %d = %v, want %v", vals.Get("$filter"), i, got[i], c.want[i])
				}
			}
		}
	})
}

func TestPathsAndIdentifiers(t *testing.T) {
	for _, p := range []string{"Id", "_x", "Customer/Party/PartyCode", "Line2", "A_b/C9"} {
		if !isPath(p) {
			t.Errorf("isPath(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"", "/", "a/", "/a", "a//b", "1a", "a/1b", "a b", "a-b", "é", "a/b\x00", "Name')"} {
		if isPath(p) {
			t.Errorf("isPath(%q) = true, want false", p)
		}
	}
	for _, p := range []string{"a/b", "", "9", "a.b"} {
		if isIdent(p) {
			t.Errorf("isIdent(%q) = true, want false", p)
		}
	}
}
