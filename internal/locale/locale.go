// Package locale writes numbers and amounts as a person's language does, by CLDR: the digits,
// the grouping and the decimal mark come from golang.org/x/text; what it lacks is here, per
// language and small: CLDR's minimum grouping digits (Bulgarian groups only from five digits:
// 1234,50 but 24 736,31) and where the currency goes and how it is written (after the amount in
// Bulgarian: 24 736,31 лв.; before it in English: BGN 24,736.31).
package locale

import (
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// rules are what a language writes around x/text's digits, from its CLDR data (numbers.json:
// minimumGroupingDigits, currencyFormats-numberSystem-latn "standard", currencySpacing;
// currencies.json: symbol).
type rules struct {
	tag language.Tag
	// minGrouping is CLDR's minimumGroupingDigits: a number is grouped only when its integer part
	// has at least this many digits more than a group (3).
	minGrouping int
	// symbolAfter: the currency pattern puts ¤ after the number ("#,##0.00 ¤").
	symbolAfter bool
	// symbols are the currencies' symbols in the language; a currency not listed is written by
	// its ISO code.
	symbols map[string]string
	// group and decimal are the language's grouping separator and decimal mark, from x/text.
	group, decimal string
}

var byLang = map[string]rules{
	// en: minimumGroupingDigits 1; standard currency "¤#,##0.00"; symbols BGN "BGN", EUR "€",
	// USD "$", GBP "£".
	"en": {tag: language.English, minGrouping: 1, symbols: map[string]string{"EUR": "€", "USD": "$", "GBP": "£"}},
	// bg: minimumGroupingDigits 2; standard currency "#,##0.00 ¤"; symbols BGN "лв.", EUR "€",
	// USD "щ.д.", GBP "GBP".
	"bg": {tag: language.Bulgarian, minGrouping: 2, symbolAfter: true, symbols: map[string]string{"BGN": "лв.", "EUR": "€", "USD": "щ.д."}},
}

// nbsp joins an amount and its currency, as CLDR's currencySpacing and the Bulgarian pattern do,
// so the two never break apart at the end of a line.
const nbsp = "\u00a0"

func init() {
	for lang, r := range byLang {
		// The language's marks are x/text's (CLDR's): read once from a number it writes, so that
		// writing a number is a loop over its digits, not a formatting engine per table cell.
		probe := message.NewPrinter(r.tag).Sprint(number.Decimal(1234567.5, number.Scale(2)))
		i1, i2 := strings.Index(probe, "1")+1, strings.Index(probe, "234")
		j1, j2 := strings.Index(probe, "567")+3, strings.LastIndex(probe, "50")
		if i1 <= 0 || i2 < i1 || j1 < 3 || j2 < j1 {
			panic("locale: cannot read the number marks of " + lang + " from " + probe)
		}
		r.group, r.decimal = probe[i1:i2], probe[j1:j2]
		byLang[lang] = r
	}
}

func rulesOf(lang string) rules {
	if r, ok := byLang[lang]; ok {
		return r
	}
	return byLang["en"]
}

// Number is v with scale decimals, as lang writes it: its decimal mark, and its grouping
// separator between groups of three once the integer part is long enough.
func Number(lang string, v float64, scale int) string {
	r := rulesOf(lang)
	var buf [48]byte
	if math.Abs(v) < 0.5*math.Pow10(-scale) {
		v = 0 // a sum of floats a hair below zero is zero, never "-0.00"
	}
	plain := strconv.AppendFloat(buf[:0], v, 'f', scale, 64)
	neg := len(plain) > 0 && plain[0] == '-'
	if neg {
		plain = plain[1:]
	}
	intLen := len(plain)
	if scale > 0 {
		intLen = len(plain) - scale - 1
	}
	var b strings.Builder
	b.Grow(len(plain) + 2*len(r.group)*(intLen/3) + len(r.decimal) + 1)
	if neg {
		b.WriteByte('-')
	}
	grouped := intLen >= 3+r.minGrouping
	for i := 0; i < intLen; i++ {
		if grouped && i > 0 && (intLen-i)%3 == 0 {
			b.WriteString(r.group)
		}
		b.WriteByte(plain[i])
	}
	if scale > 0 {
		b.WriteString(r.decimal)
		b.Write(plain[intLen+1:])
	}
	return b.String()
}

// Quantity is a quantity as lang writes it, with as many decimals as it has, up to six (2,5;
// 1 250; 12).
func Quantity(lang string, v float64) string {
	scale := 0
	for scale < 6 && math.Abs(v*math.Pow10(scale)-math.Round(v*math.Pow10(scale))) > 1e-9 {
		scale++
	}
	return Number(lang, v, scale)
}

// Money is an amount in a currency (its ISO code), with two decimals, as lang writes it.
func Money(lang string, v float64, currency string) string {
	r := rulesOf(lang)
	digits := Number(lang, v, 2)
	symbol := r.symbols[currency]
	if symbol == "" {
		symbol = currency
	}
	if symbol == "" {
		return digits
	}
	if r.symbolAfter {
		return digits + nbsp + symbol
	}
	// CLDR's currencySpacing puts a space between a symbol that ends in a letter and the digits.
	sep := ""
	if last := symbol[len(symbol)-1]; last >= 'A' && last <= 'Z' || last >= 'a' && last <= 'z' {
		sep = nbsp
	}
	if v < 0 && strings.HasPrefix(digits, "-") {
		return "-" + symbol + sep + digits[1:]
	}
	return symbol + sep + digits
}

// Plain is v with scale decimals as a spreadsheet in lang reads a number: the language's
// decimal mark, no grouping (1234,50 in Bulgarian, 1234.50 in English).
func Plain(lang string, v float64, scale int) string {
	if math.Abs(v) < 0.5*math.Pow10(-scale) {
		v = 0
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', scale, 64), ".", rulesOf(lang).decimal, 1)
}

// ListSeparator is the field separator of a CSV file for lang: a semicolon where the decimal
// mark is a comma, as spreadsheets set to that language expect.
func ListSeparator(lang string) rune {
	if rulesOf(lang).decimal == "," {
		return ';'
	}
	return ','
}
