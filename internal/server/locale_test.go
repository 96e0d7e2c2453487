package server_test

import (
	"encoding/csv"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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
