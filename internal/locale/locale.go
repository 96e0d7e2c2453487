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
	group   string // the grouping separator x/text writes, to undo for short numbers
	decimal string // the decimal mark
	printer *message.Printer
}

var byLang = map[string]rules{
	// en: minimumGroupingDigits 1; standard currency "¤#,##0.00"; symbols BGN "BGN", EUR "€",
	// USD "$", GBP "£".
	"en": {tag: language.English, minGrouping: 1, symbols: map[string]string{"EUR": "€", "USD": "$", "GBP": "£"}, group: ",", decimal: "."},
	// bg: minimumGroupingDigits 2; standard currency "#,##0.00 ¤"; symbols BGN "лв.", EUR "€",
	// USD "щ.д.", GBP "GBP".
	"bg": {tag: language.Bulgarian, minGrouping: 2, symbolAfter: true, symbols: map[string]string{"BGN": "лв.", "EUR": "€", "USD": "щ.д."}, group: "\u00a0", decimal: ","},
}

// nbsp joins an amount and its currency, as CLDR's currencySpacing and the Bulgarian pattern do,
// so the two never break apart at the end of a line.
const nbsp = "\u00a0"

func init() {
	for lang, r := range byLang {
		// A Printer only reads its own state: one per language serves every goroutine.
		r.printer = message.NewPrinter(r.tag)
		byLang[lang] = r
	}
}

func rulesOf(lang string) rules {
	if r, ok := byLang[lang]; ok {
		return r
	}
	return byLang["en"]
}

// Number is v with scale decimals, as lang writes it.
func Number(lang string, v float64, scale int) string {
	r := rulesOf(lang)
	s := r.printer.Sprint(number.Decimal(v, number.Scale(scale)))
	if r.minGrouping > 1 && integerDigits(v) < 3+r.minGrouping {
		s = strings.ReplaceAll(s, r.group, "")
	}
	return s
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

// integerDigits is how many digits the integer part of v has, rounded to cents.
func integerDigits(v float64) int {
	n := math.Floor(math.Abs(math.Round(v*100) / 100))
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}
