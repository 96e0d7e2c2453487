package server_test

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// A person reading in Bulgarian sees amounts as Bulgarian writes them (CLDR, see the locale
// package's tests), the same amounts the English page shows.
func TestAmountsInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	en := b.Get("/cc/due-payments")
	card := `[data-aging=BGN] [data-remaining]`
	v, _, ok := parseMoney(en.Text(card))
	if !ok || v < 10000 {
		t.Fatalf("English remaining %q: want an amount of five digits or more", en.Text(card))
	}
	if want := locale.Money("en", v, "BGN"); en.Text(card) != want {
		t.Errorf("English remaining %q, want %q", en.Text(card), want)
	}
	b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}})
	bg := b.Get("/cc/due-payments")
	if got, want := bg.Text(card), locale.Money("bg", v, "BGN"); got != want || !strings.HasSuffix(got, "\u00a0лв.") || !strings.Contains(got, ",") {
		t.Errorf("Bulgarian remaining %q, want %q (decimal comma, лв. after the amount)", got, want)
	}
	cells := bg.Doc.Find(`table[data-list=due-payments] td.num`)
	if cells.Length() == 0 {
		t.Fatal("no amounts in the Bulgarian list")
	}
	for i := range min(cells.Length(), 12) {
		text := strings.TrimSpace(cells.Eq(i).Text())
		if text != "" && !strings.HasSuffix(text, "лв.") && !strings.HasSuffix(text, "€") && !regexp.MustCompile(`^\d+$`).MatchString(text) {
			t.Errorf("Bulgarian list cell %q is not an amount as Bulgarian writes it", text)
		}
	}
}

// A CSV in Bulgarian is what a spreadsheet set to Bulgarian reads: fields split by semicolons,
// amounts as numbers with a decimal comma and no grouping, their currency in its own column.
func TestCSVInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}})
	p := b.Get("/cc/due-payments.csv")
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("the Bulgarian CSV does not read with semicolons: %v, %d records", err, len(recs))
	}
	header := recs[0]
	amount, currency := -1, -1
	for i, h := range header {
		switch h {
		case "Остатък":
			amount = i
		case "Валута":
			currency = i
		}
	}
	if amount < 0 || currency < 0 {
		t.Fatalf("header %q: want the remaining amount and the currency, in Bulgarian", header)
	}
	plain := regexp.MustCompile(`^-?\d+,\d\d$`)
	for _, rec := range recs[1:] {
		if !plain.MatchString(rec[amount]) || (rec[currency] != "BGN" && rec[currency] != "EUR") {
			t.Fatalf("row %q: want a plain number with a decimal comma and its currency code", rec)
		}
	}
}

// A CSV is named by the tenant's day: at 22:30 UTC on 30 November it is 1 December in Sofia.
func TestCSVNamedByTheTenantsDay(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 22, 30, 0, 0, time.UTC)
	env := testenv.New(t, testenv.Options{Quiet: true, Now: func() time.Time { return now }})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	if got := b.Get("/cc/orders.csv").Header.Get("Content-Disposition"); !strings.Contains(got, "orders-2026-12-01.csv") {
		t.Errorf("Content-Disposition %q, want the file named by Sofia's day, 2026-12-01", got)
	}
}

// Days read as the person's language writes them, on the list, on the document and in the date
// fields, which take what the page shows (and ISO days, for links made in another language);
// a day typed another way is refused naming the field and the way to type it. The CSV keeps
// ISO days, which every spreadsheet reads as dates.
func TestDatesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	en := b.Get("/cc/orders")
	iso := strings.TrimSpace(en.Doc.Find(`table[data-list=orders] tbody tr td`).First().Text())
	day, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		t.Fatalf("the English list's first cell %q is not an ISO day", iso)
	}
	b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}})
	bg := b.Get("/cc/orders")
	if got, want := strings.TrimSpace(bg.Doc.Find(`table[data-list=orders] tbody tr td`).First().Text()), locale.Date("bg", day); got != want || !strings.HasSuffix(got, " г.") {
		t.Errorf("the Bulgarian list's first day %q, want %q", got, want)
	}
	if ph := bg.Doc.Find(`input[name=from]`).AttrOr("placeholder", ""); ph != "ДД.ММ.ГГГГ" || bg.Doc.Find(`input[type=date]`).Length() != 0 {
		t.Errorf("the date field: placeholder %q, %d browser date inputs (which write days the browser's way)", ph, bg.Doc.Find(`input[type=date]`).Length())
	}
	typed := fmt.Sprintf("%d.%02d.%d", day.Day(), int(day.Month()), day.Year())
	filtered := b.Get("/cc/orders?from=" + url.QueryEscape(typed) + "&to=" + url.QueryEscape(typed))
	if filtered.Status != 200 || filtered.Doc.Find(`table[data-list=orders] tbody tr`).Length() == 0 ||
		filtered.Doc.Find(`input[name=from]`).AttrOr("value", "") != locale.Date("bg", day) {
		t.Errorf("a Bulgarian day typed in From/To: %s, %d rows, field %q", filtered, filtered.Doc.Find(`table[data-list=orders] tbody tr`).Length(), filtered.Doc.Find(`input[name=from]`).AttrOr("value", ""))
	}
	wrong := b.Get("/cc/orders?from=" + url.QueryEscape("11/01/2026"))
	if msg := wrong.Body; !strings.Contains(msg, "ДД.ММ.ГГГГ") || wrong.Doc.Find(`input[name=from]`).AttrOr("value", "") != "11/01/2026" {
		t.Errorf("a day typed the American way: %s, field %q; want the way to type it, and what was typed kept", wrong, wrong.Doc.Find(`input[name=from]`).AttrOr("value", ""))
	}
	csvDays := b.Get("/cc/orders.csv")
	if !strings.Contains(csvDays.Body, iso) {
		t.Errorf("the Bulgarian CSV does not hold the ISO day %s", iso)
	}
}

// A document's lines read in the person's language: the unit's name as Erp.Net has it in that
// language, the quantity with the language's decimal mark; on a phone each line is a card whose
// values carry their labels.
func TestLinesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}})
	for _, list := range []string{"orders", "invoices"} {
		first := b.Get("/cc/"+list).Doc.Find(`table[data-list=`+list+`] tbody tr a`).First().AttrOr("href", "")
		doc := b.Get(first)
		units := doc.Doc.Find(`table[data-lines].cards tbody td[data-label="Мярка"]`)
		if units.Length() == 0 {
			t.Fatalf("%s: no lines as cards with Bulgarian labels (%s)", first, doc)
		}
		units.Each(func(_ int, u *goquery.Selection) {
			if name := strings.TrimSpace(u.Text()); !slices.Contains([]string{"Бройки", "Килограми", "Кутии", "Литри"}, name) {
				t.Errorf("%s: unit %q, want its Bulgarian name", first, name)
			}
		})
	}
}
