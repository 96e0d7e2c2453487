package server_test

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// simPayment is a payment read straight from the simulator, with what it covered.
type simPayment struct {
	DocumentNo   string    `json:"DocumentNo"`
	DocumentDate time.Time `json:"DocumentDate"`
	TotalAmount  simAmount `json:"TotalAmount"`
	Lines        []struct {
		PaymentOrder struct {
			RefDocumentNo string    `json:"RefDocumentNo"`
			DocumentDate  time.Time `json:"DocumentDate"`
		} `json:"PaymentOrder"`
	} `json:"Lines"`
}

// paymentsSince are the customer's payments according to the simulator, dated on or after since.
func paymentsSince(t *testing.T, env *testenv.Env, number string, since time.Time) []simPayment {
	t.Helper()
	filter := "Party eq 'General_Contacts_Parties(" + partyOf(t, env, number) + ")' and Void eq false and DocumentDate ge " + since.Format("2006-01-02") + "Z"
	var out struct{ Value []simPayment }
	env.API(t, "Finance_Payments_PaymentTransactions?$select=DocumentNo,DocumentDate,TotalAmount&$expand=Lines($expand=PaymentOrder)&$filter="+url.QueryEscape(filter), &out)
	return out.Value
}

// setDaysBack changes a person's days-back access in the simulator.
func setDaysBack(t *testing.T, env *testenv.Env, login string, days int) {
	t.Helper()
	var acc struct {
		Value []struct {
			ID string `json:"Id"`
		} `json:"value"`
	}
	env.API(t, "Crm_Sales_CustomerExternalAccess?$select=Id&$filter="+url.QueryEscape("User/Login eq '"+login+"'"), &acc)
	if len(acc.Value) != 1 {
		t.Fatalf("access records of %s: %d", login, len(acc.Value))
	}
	if status, body := env.APIDo(t, http.MethodPatch, "Crm_Sales_CustomerExternalAccess("+acc.Value[0].ID+")", map[string]any{"DaysBackAccess": days}); status != http.StatusNoContent {
		t.Fatalf("PATCH days back: %d %s", status, body)
	}
}

func TestPaymentsWindowAndHorizon(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(financeDay)
	env := testenv.New(t, testenv.Options{Now: clk.Now, Quiet: true})
	today := financeToday()
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	tests := []struct {
		name     string
		b        *testenv.Browser
		daysBack int // 0: leave as seeded
		since    time.Time
	}{
		{"owner, no horizon: 12 months", owner, 0, today.AddDate(-1, 0, 0)},
		{"billing, 365 days", billing, 0, today.AddDate(0, 0, -365)},
		{"billing, 90 days", billing, 90, today.AddDate(0, 0, -90)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.daysBack > 0 {
				setDaysBack(t, env, "billing@orbis.example", tt.daysBack)
				clk.Advance(env.Config.Cache.TTL.Access + time.Second)
			}
			want := paymentsSince(t, env, erpnetsim.MainCustomerNumber, tt.since)
			if older := paymentsSince(t, env, erpnetsim.MainCustomerNumber, tt.since.AddDate(0, 0, -60)); len(older) == len(want) {
				t.Fatalf("no payment in the 60 days before %s; the test would prove nothing", tt.since.Format("2006-01-02"))
			}
			// Asking for older dates, or the oldest first, does not reach past the window.
			for _, q := range []string{"?sort=date&dir=asc", "?from=2020-01-01&sort=date&dir=asc"} {
				page := tt.b.Get("/cc/payments" + q)
				if page.Status != 200 {
					t.Fatalf("payments%s: %s", q, page)
				}
				if got := page.Doc.Find("[data-since]").AttrOr("data-since", ""); got != tt.since.Format("2006-01-02") {
					t.Errorf("page says since %s, want %s", got, tt.since.Format("2006-01-02"))
				}
				if got := page.Doc.Find("[data-total]").AttrOr("data-total", ""); got != strconv.Itoa(len(want)) {
					t.Errorf("payments%s total = %s, want %d", q, got, len(want))
				}
				rows := screenRows(page, "payments")
				if len(rows) == 0 || rows[0][0] < tt.since.Format("2006-01-02") {
					t.Errorf("payments%s: oldest row %v, window from %s", q, rows[0], tt.since.Format("2006-01-02"))
				}
				header, recs := csvRecords(t, tt.b.Get("/cc/payments.csv"+q))
				date := column(t, header, "Date")
				if len(recs) != len(want) {
					t.Errorf("CSV%s rows = %d, want %d", q, len(recs), len(want))
				}
				for _, r := range recs {
					if r[date] < tt.since.Format("2006-01-02") {
						t.Fatalf("CSV%s carries a payment of %s, before %s", q, r[date], tt.since.Format("2006-01-02"))
					}
				}
			}
			if page := tt.b.Get("/cc/payments?from=2020-01-01"); !strings.Contains(page.Text(".notice.bad"), "From:") {
				t.Errorf("a From date before the window is not explained: %q", page.Text(".notice.bad"))
			}
		})
	}
}

func TestPaymentsOnlyOfTheChosenCustomer(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	since := financeToday().AddDate(-1, 0, 0)
	b, _ := env.SignIn(t, "cc", "two@orbis.example")
	seen := map[string]string{}
	for _, number := range []string{erpnetsim.MainCustomerNumber, erpnetsim.SecondCustomerNumber} {
		actFor(t, b, number)
		want := map[string]string{} // payment number → what it covered
		for _, p := range paymentsSince(t, env, number, since) {
			var covers []string
			for _, l := range p.Lines {
				covers = append(covers, l.PaymentOrder.RefDocumentNo)
			}
			want[p.DocumentNo] = strings.Join(covers, ", ")
		}
		if len(want) == 0 {
			t.Fatalf("%s has no payments in the simulator", number)
		}
		header, rows := csvRecords(t, b.Get("/cc/payments.csv"))
		num, covers := column(t, header, "Number"), column(t, header, "Paid for")
		if len(rows) != len(want) {
			t.Errorf("%s: CSV has %d payments, the simulator %d", number, len(rows), len(want))
		}
		for _, r := range rows {
			if w, ok := want[r[num]]; !ok || r[covers] != w {
				t.Errorf("%s: payment %s covers %q, want %q (known: %v)", number, r[num], r[covers], w, ok)
			}
			if other, ok := seen[r[num]]; ok && other != number {
				t.Errorf("payment %s shows for %s and for %s", r[num], other, number)
			}
			seen[r[num]] = number
		}
		page := b.Get("/cc/payments")
		if got := page.Doc.Find("[data-total]").AttrOr("data-total", ""); got != strconv.Itoa(len(want)) {
			t.Errorf("%s: screen total %s, want %d", number, got, len(want))
		}
	}
}

func TestPaymentsCSVMatchesScreen(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	b.Post("/cc/payments/columns", url.Values{"col": {"date", "number", "amount", "covers", "currency"}})
	tests := []string{"?sort=amount&dir=desc&size=25", "?sort=number&dir=asc&from=2026-03-01&to=2026-09-30", "?q=INV"}
	for _, q := range tests {
		t.Run(q, func(t *testing.T) {
			page := b.Get("/cc/payments" + q)
			screen := screenRows(page, "payments")
			header, rows := csvRecords(t, b.Get("/cc/payments.csv"+q))
			if got := strings.Join(header, ","); got != "Date,Number,Amount,Paid for,Currency" {
				t.Errorf("CSV header = %q", got)
			}
			checkCSVMatchesScreen(t, page, screen, rows)
			// The footer adds up every matching payment, per currency.
			sums := map[string]int64{}
			for _, r := range rows {
				v, _ := strconv.ParseFloat(strings.Fields(r[2])[0], 64)
				sums[r[4]] += cents(v)
			}
			var want []string
			for _, cur := range slices.Sorted(maps.Keys(sums)) {
				want = append(want, fmtCents(sums[cur], cur))
			}
			if got := page.Text("[data-totals]"); got != "Total: "+strings.Join(want, " · ") {
				t.Errorf("totals = %q, want %q", got, "Total: "+strings.Join(want, " · "))
			}
		})
	}
}

func TestPaymentsSearchAndSort(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	all := paymentsSince(t, env, erpnetsim.MainCustomerNumber, financeToday().AddDate(-1, 0, 0))
	target := all[len(all)/2]
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	tests := []struct {
		name, query string
		check       func(rows [][]string) bool
	}{
		{"by payment number", "?q=" + url.QueryEscape(target.DocumentNo),
			func(rows [][]string) bool { return len(rows) == 1 && rows[0][1] == target.DocumentNo }},
		{"by the invoice it paid", "?q=" + url.QueryEscape(target.Lines[0].PaymentOrder.RefDocumentNo),
			func(rows [][]string) bool { return len(rows) >= 1 && rows[0][1] == target.DocumentNo }},
		{"a quote is just a character", "?q=" + url.QueryEscape("PT' or '1"),
			func(rows [][]string) bool { return len(rows) == 0 }},
		{"newest first by default", "",
			func(rows [][]string) bool {
				return len(rows) == 25 && slices.IsSortedFunc(rows, func(a, b []string) int { return strings.Compare(b[0], a[0]) })
			}},
		{"number ascending", "?sort=number&dir=asc",
			func(rows [][]string) bool {
				return len(rows) == 25 && slices.IsSortedFunc(rows, func(a, b []string) int { return strings.Compare(a[1], b[1]) })
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := b.Get("/cc/payments" + tt.query)
			if rows := screenRows(page, "payments"); page.Status != 200 || !tt.check(rows) {
				t.Errorf("payments%s: %s, rows %v", tt.query, page, rows)
			}
		})
	}
}

func TestPaymentsCappedAtOneThousand(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds more than 1000 payments")
	}
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true, Scale: 12})
	all := paymentsSince(t, env, erpnetsim.MainCustomerNumber, financeToday().AddDate(-1, 0, 0))
	if len(all) <= 1000 {
		t.Fatalf("the seed has %d payments in 12 months; the test needs more than 1000", len(all))
	}
	dates := make([]string, len(all))
	for i, p := range all {
		dates[i] = p.DocumentDate.Format("2006-01-02")
	}
	slices.Sort(dates)
	cutoff := dates[len(dates)-1000] // the date of the 1000th newest payment
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	page := b.Get("/cc/payments?sort=date&dir=asc")
	if page.Doc.Find("[data-capped]").Length() != 1 || page.Doc.Find("[data-total]").AttrOr("data-total", "") != "1000" {
		t.Errorf("capped list: notice %d, total %s", page.Doc.Find("[data-capped]").Length(), page.Doc.Find("[data-total]").AttrOr("data-total", ""))
	}
	if rows := screenRows(page, "payments"); len(rows) == 0 || rows[0][0] < cutoff {
		t.Errorf("oldest shown %v, but the 1000 newest start at %s", rows, cutoff)
	}
	if _, rows := csvRecords(t, b.Get("/cc/payments.csv")); len(rows) != 1000 {
		t.Errorf("capped CSV rows = %d, want 1000", len(rows))
	}
	// A shorter range under the cap shows all of it, without the notice.
	from := financeToday().AddDate(0, -4, 0)
	want := paymentsSince(t, env, erpnetsim.MainCustomerNumber, from)
	page = b.Get("/cc/payments?from=" + from.Format("2006-01-02"))
	if page.Doc.Find("[data-capped]").Length() != 0 || page.Doc.Find("[data-total]").AttrOr("data-total", "") != strconv.Itoa(len(want)) {
		t.Errorf("4 months: notice %d, total %s, want %d", page.Doc.Find("[data-capped]").Length(), page.Doc.Find("[data-total]").AttrOr("data-total", ""), len(want))
	}
}

// Payment History follows the one rule for totals: with a horizon inside its 12 months, it says
// how many of the window's payments lie before the horizon (never their amounts), and its
// totals are of what is shown.
func TestPaymentsCountWhatTheHorizonHides(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	today := financeToday()
	setDaysBack(t, env, "billing@orbis.example", 90)
	horizon := today.AddDate(0, 0, -90)
	want := 0
	for _, p := range paymentsSince(t, env, erpnetsim.MainCustomerNumber, today.AddDate(0, -12, 0)) {
		if p.DocumentDate.Before(horizon) {
			want++
		}
	}
	if want == 0 {
		t.Fatal("no payment of the 12 months before the horizon; the test would prove nothing")
	}
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	note := billing.Get("/cc/payments").Doc.Find("[data-hidden-items]")
	if got := note.AttrOr("data-hidden-items", ""); got != strconv.Itoa(want) || !strings.Contains(note.Text(), "totals are of what you can see") {
		t.Errorf("90 days back: %q hidden payments said (%q), want %d", got, note.Text(), want)
	}
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	if n := owner.Get("/cc/payments").Doc.Find("[data-hidden-items]").Length(); n != 0 {
		t.Errorf("the owner is told of hidden payments")
	}
}

// A payment's page says what it paid, line by line, from Erp.Net's payment lines: the invoice
// (linked, since the viewer may open it), its date and type, the amount covered and the orders
// the invoice invoiced. Another customer's payment is not found; with a horizon, what the
// payment paid before it is counted, not named.
func TestPaymentPageSaysWhatItPaid(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	list := owner.Get("/cc/payments")
	href := list.Doc.Find("table[data-list=payments] tbody tr a.row-link").First().AttrOr("href", "")
	if !strings.HasPrefix(href, "/cc/payments/") {
		t.Fatalf("a payment's number does not open its page: %q", href)
	}
	page := owner.Get(href)
	invoice := page.Doc.Find("[data-payment-lines] a[data-invoice]").First()
	if page.Status != 200 || invoice.Length() == 0 {
		t.Fatalf("%s: %s, no invoice linked", href, page)
	}
	inv := owner.Get(invoice.AttrOr("href", ""))
	if inv.Status != 200 || !strings.Contains(inv.Text("h1"), strings.TrimSpace(invoice.Text())) {
		t.Errorf("the invoice link opens %s %q", inv, inv.Text("h1"))
	}
	// The orders named are those the invoice's lines name.
	orders := strings.TrimSpace(page.Doc.Find("[data-payment-lines] tbody tr").First().Find("[data-orders]").Text())
	var invOrders []string
	inv.Doc.Find("table[data-lines] a[data-order]").Each(func(_ int, a *goquery.Selection) {
		if !slices.Contains(invOrders, a.Text()) {
			invOrders = append(invOrders, a.Text())
		}
	})
	if orders == "" || orders != strings.Join(invOrders, ", ") {
		t.Errorf("orders %q, the invoice's lines name %q", orders, invOrders)
	}
	covered := 0.0
	page.Doc.Find("[data-covered]").Each(func(_ int, s *goquery.Selection) {
		v, _, _ := parseMoney(strings.TrimSpace(s.Text()))
		covered += v
	})
	total, _, _ := parseMoney(page.Text("[data-amount]"))
	if covered <= 0 || covered > total+0.005 {
		t.Errorf("covered %.2f of a payment of %.2f", covered, total)
	}
	other, _ := env.SignIn(t, "cc", "mueller@orbis.example") // the Owner of another customer
	if p := other.Get(href); p.Status != http.StatusNotFound {
		t.Errorf("another customer opens the payment: %s", p)
	}
	if p := owner.Get("/cc/payments/00000000-0000-4000-8000-000000000000"); p.Status != http.StatusNotFound {
		t.Errorf("a payment that does not exist: %s", p)
	}
}

// A payment's page follows the person's horizon: a payment before it is not found, and one that
// paid documents before it counts them without naming them.
func TestPaymentPageFollowsTheHorizon(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	horizon := financeToday().AddDate(0, 0, -90)
	setDaysBack(t, env, "billing@orbis.example", 90)
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	var before, paysOld string
	var oldNumbers []string
	for _, p := range paymentsSince(t, env, erpnetsim.MainCustomerNumber, financeToday().AddDate(0, -12, 0)) {
		var id struct {
			Value []struct {
				ID string `json:"Id"`
			} `json:"value"`
		}
		env.API(t, "Finance_Payments_PaymentTransactions?$select=Id&$filter="+url.QueryEscape("DocumentNo eq '"+p.DocumentNo+"'"), &id)
		switch {
		case p.DocumentDate.Before(horizon) && before == "":
			before = id.Value[0].ID
		case !p.DocumentDate.Before(horizon) && paysOld == "":
			for _, l := range p.Lines {
				if l.PaymentOrder.DocumentDate.Before(horizon) {
					paysOld = id.Value[0].ID
					oldNumbers = append(oldNumbers, l.PaymentOrder.RefDocumentNo)
				}
			}
		}
	}
	if before == "" || paysOld == "" {
		t.Fatalf("the seed has no payment before the horizon (%q) or none after it paying older documents (%q)", before, paysOld)
	}
	if p := billing.Get("/cc/payments/" + before); p.Status != http.StatusNotFound {
		t.Errorf("a payment before the horizon: %s", p)
	}
	if p := owner.Get("/cc/payments/" + before); p.Status != 200 {
		t.Errorf("the owner cannot open it: %s", p)
	}
	page := billing.Get("/cc/payments/" + paysOld)
	if page.Status != 200 || page.Doc.Find("[data-hidden-items]").Length() != 1 {
		t.Fatalf("a payment paying older documents: %s, hidden notice %d", page, page.Doc.Find("[data-hidden-items]").Length())
	}
	for _, no := range oldNumbers {
		if strings.Contains(page.Body, no) {
			t.Errorf("the page names %s, before the horizon", no)
		}
	}
}
