package locale

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// cldr is each language's data as CLDR publishes it (cldr-json, numbers.json and
// currencies.json of the language): the symbols of the latn number system, the minimum grouping
// digits, the standard currency pattern and the currency symbols. The expected text is made from
// it by the pattern's own rules below, not typed by hand.
var cldr = map[string]struct {
	decimal, group string
	minGrouping    int
	pattern        string // currencyFormats-numberSystem-latn, standard
	symbols        map[string]string
}{
	"en": {".", ",", 1, "¤#,##0.00", map[string]string{"BGN": "BGN", "EUR": "€", "USD": "$"}},
	"bg": {",", "\u00a0", 2, "#,##0.00\u00a0¤", map[string]string{"BGN": "лв.", "EUR": "€", "USD": "щ.д."}},
}

// want formats v by CLDR's pattern: grouping by threes when the integer part has at least
// 3+minGrouping digits, the decimal mark, and ¤ where the pattern has it, with currencySpacing's
// no-break space between a letter and a digit.
func want(lang string, v float64, cur string) string {
	d := cldr[lang]
	neg := v < 0
	s := strconv.FormatFloat(abs(v), 'f', 2, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) >= 3+d.minGrouping {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteString(d.group)
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	num := intPart + d.decimal + frac
	if neg {
		num = "-" + num
	}
	sym := d.symbols[cur]
	before, after, _ := strings.Cut(d.pattern, "#,##0.00")
	if strings.Contains(before, "¤") {
		sep := ""
		if r := sym[len(sym)-1]; r >= 'A' && r <= 'Z' {
			sep = "\u00a0"
		}
		if neg {
			return "-" + sym + sep + num[1:]
		}
		return sym + sep + num
	}
	return num + strings.ReplaceAll(after, "¤", sym)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestMoneyFollowsCLDR(t *testing.T) {
	values := []float64{0, 0.5, 7.25, 999.99, 1000, 1234.5, 9999.99, 10000, 24736.31, 123456.78, 1234567.891, -1234.5, -24736.31}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		values = append(values, float64(rng.IntN(1e9))/100)
	}
	for lang := range cldr {
		for _, cur := range []string{"BGN", "EUR", "USD"} {
			for _, v := range values {
				if got, w := Money(lang, v, cur), want(lang, v, cur); got != w {
					t.Errorf("Money(%s, %v, %s) = %q, want %q", lang, v, cur, got, w)
				}
			}
		}
	}
}

func TestUnknownLanguageAndCurrency(t *testing.T) {
	if got, w := Money("de", 1234.5, "BGN"), want("en", 1234.5, "BGN"); got != w {
		t.Errorf("a language without rules: %q, want English %q", got, w)
	}
	if got := Money("bg", 1234.5, "XYZ"); got != "1234,50\u00a0XYZ" {
		t.Errorf("a currency without a symbol: %q, want its code", got)
	}
}

// BenchmarkMoney is the cost of one amount on a page (a list page writes a hundred).
func BenchmarkMoney(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Money("bg", 24736.31, "BGN")
	}
}

func TestSpreadsheetNumbersAndTinyNegatives(t *testing.T) {
	for _, tt := range []struct {
		lang  string
		v     float64
		money string
		plain string
		sep   rune
	}{
		{"en", -0.001, "BGN\u00a00.00", "0.00", ','},
		{"bg", -0.004, "0,00\u00a0лв.", "0,00", ';'},
		{"bg", -1234.5, "-1234,50\u00a0лв.", "-1234,50", ';'},
		{"en", 24736.31, "BGN\u00a024,736.31", "24736.31", ','},
	} {
		if got := Money(tt.lang, tt.v, "BGN"); got != tt.money {
			t.Errorf("Money(%s, %v) = %q, want %q", tt.lang, tt.v, got, tt.money)
		}
		if got := Plain(tt.lang, tt.v, 2); got != tt.plain {
			t.Errorf("Plain(%s, %v) = %q, want %q", tt.lang, tt.v, got, tt.plain)
		}
		if got := ListSeparator(tt.lang); got != tt.sep {
			t.Errorf("ListSeparator(%s) = %q, want %q", tt.lang, got, tt.sep)
		}
	}
}

// A quantity keeps the decimals it has and no more, with the language's marks.
func TestQuantity(t *testing.T) {
	for _, c := range []struct {
		lang string
		v    float64
		want string
	}{{"en", 12, "12"}, {"en", 2.5, "2.5"}, {"bg", 2.5, "2,5"}, {"bg", 0.125, "0,125"}, {"en", 1250, "1,250"}, {"bg", 1250, "1250"}, {"bg", 12500.75, "12\u00a0500,75"}} {
		if got := Quantity(c.lang, c.v); got != c.want {
			t.Errorf("Quantity(%s, %v) = %q, want %q", c.lang, c.v, got, c.want)
		}
	}
}
