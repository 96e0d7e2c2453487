package server_test

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// financeDay is the fixed clock of the finance page tests: seed dates and aging depend on it.
var financeDay = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func financeToday() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }

// simAmount is an Amount as the simulator sends it.
type simAmount struct {
	Value    float64 `json:"Value"`
	Currency string  `json:"Currency"`
}

// simBalance is a due-payment row read straight from the simulator.
type simBalance struct {
	ID                   string    `json:"Id"`
	DueDate              time.Time `json:"DueDate"`
	RefDocumentDate      time.Time `json:"RefDocumentDate"`
	RefInvoiceDocumentNo string    `json:"RefInvoiceDocumentNo"`
	RemainingAmount      simAmount `json:"RemainingAmount"`
	RefInvoiceDocument   struct {
		ODataID string `json:"@odata.id"`
	} `json:"RefInvoiceDocument"`
}

// partyOf is the party id of a seeded customer.
func partyOf(t *testing.T, env *testenv.Env, number string) string {
	t.Helper()
	var out struct {
		Value []struct {
			Party struct {
				ODataID string `json:"@odata.id"`
			} `json:"Party"`
		} `json:"value"`
	}
	env.API(t, "Crm_Sales_Customers?$select=Party&$filter="+url.QueryEscape("Number eq '"+number+"'"), &out)
	if len(out.Value) != 1 {
		t.Fatalf("customer %s: %d rows", number, len(out.Value))
	}
	id := out.Value[0].Party.ODataID
	return id[strings.IndexByte(id, '(')+1 : len(id)-1]
}

// openItems are what the customer owes according to the simulator, dated on or after since.
func openItems(t *testing.T, env *testenv.Env, number string, since time.Time) []simBalance {
	t.Helper()
	filter := "Party eq 'General_Contacts_Parties(" + partyOf(t, env, number) + ")' and Direction eq 'Incoming' and RemainingAmountValue ge 0.01"
	if !since.IsZero() {
		filter += " and RefDocumentDate ge " + since.Format("2006-01-02") + "Z"
	}
	var out struct{ Value []simBalance }
	env.API(t, "Finance_Payments_PaymentBalances?$select=DueDate,RefDocumentDate,RefInvoiceDocumentNo,RemainingAmount,RefInvoiceDocument&$filter="+url.QueryEscape(filter), &out)
	return out.Value
}

func column(t *testing.T, header []string, label string) int {
	t.Helper()
	for i, h := range header {
		if h == label {
			return i
		}
	}
	t.Fatalf("CSV header %v has no %q", header, label)
	return -1
}

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// fmtCents is an amount in cents as an English page writes it.
func fmtCents(c int64, cur string) string { return locale.Money("en", float64(c)/100, cur) }

func TestFinancePagesByRole(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	paths := []string{"/cc/due-payments", "/cc/due-payments.csv", "/cc/payments", "/cc/payments.csv"}
	tests := []struct {
		login string
		want  int
	}{
		{"basic@orbis.example", 403},
		{"orders@orbis.example", 403},
		{"prices@orbis.example", 403},
		{"billing@orbis.example", 200},
		{"admin@orbis.example", 200},
		{"owner@orbis.example", 200},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			b, _ := env.SignIn(t, "cc", tt.login)
			for _, path := range paths {
				p := b.Get(path)
				if p.Status != tt.want {
					t.Errorf("%s: %s, want %d", path, p, tt.want)
				}
				if tt.want == 403 && (strings.Contains(p.Body, "BGN") || strings.Contains(p.Body, "INV")) {
					t.Errorf("%s: a refused page carries amounts or documents", path)
				}
			}
			for _, list := range []string{"due-payments", "payments"} {
				p := b.Post("/cc/"+list+"/columns", url.Values{"col": {"date"}})
				if tt.want == 403 && p.Status != 403 {
					t.Errorf("POST %s columns: %s, want 403", list, p)
				}
			}
		})
	}
}

func TestDuePaymentsAgingMatchesSimulator(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	today := financeToday()
	tests := []struct {
		login string
		since time.Time
	}{
		{"owner@orbis.example", time.Time{}},
		{"billing@orbis.example", today.AddDate(0, 0, -365)},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			items := openItems(t, env, erpnetsim.MainCustomerNumber, tt.since)
			type sums struct {
				total   int64
				buckets map[string]int64
			}
			want := map[string]*sums{}
			for _, it := range items {
				cur := it.RemainingAmount.Currency
				if want[cur] == nil {
					want[cur] = &sums{buckets: map[string]int64{}}
				}
				days := int(today.Sub(it.DueDate).Hours() / 24)
				key := "over-90"
				switch {
				case days <= 0:
					key = "current"
				case days <= 30:
					key = "1-30"
				case days <= 60:
					key = "31-60"
				case days <= 90:
					key = "61-90"
				}
				want[cur].total += cents(it.RemainingAmount.Value)
				want[cur].buckets[key] += cents(it.RemainingAmount.Value)
			}
			if len(want["BGN"].buckets) < 3 {
				t.Fatalf("seed has open items in only %d buckets; the test needs more", len(want["BGN"].buckets))
			}
			b, _ := env.SignIn(t, "cc", tt.login)
			page := b.Get("/cc/due-payments")
			if page.Status != 200 {
				t.Fatalf("due payments: %s", page)
			}
			if got := page.Doc.Find("[data-aging]").Length(); got != len(want) {
				t.Errorf("summary cards = %d, want %d (one per currency)", got, len(want))
			}
			for cur, w := range want {
				card := page.Doc.Find("[data-aging=" + cur + "]")
				if got := strings.TrimSpace(card.Find("[data-remaining]").Text()); got != fmtCents(w.total, cur) {
					t.Errorf("%s remaining = %q, want %q", cur, got, fmtCents(w.total, cur))
				}
				for _, key := range []string{"current", "1-30", "31-60", "61-90", "over-90"} {
					got := strings.TrimSpace(card.Find(`[data-bucket="` + key + `"] dd`).Text())
					if want := fmtCents(w.buckets[key], cur); got != want {
						t.Errorf("%s bucket %s = %q, want %q", cur, key, got, want)
					}
				}
			}
			if got, want := page.Doc.Find("[data-total]").AttrOr("data-total", ""), strconv.Itoa(len(items)); got != want {
				t.Errorf("list total = %s, want %s open items", got, want)
			}
		})
	}
}

func TestDuePaymentsHorizon(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	horizon := financeToday().AddDate(0, 0, -365)
	hidden := len(openItems(t, env, erpnetsim.MainCustomerNumber, time.Time{})) - len(openItems(t, env, erpnetsim.MainCustomerNumber, horizon))
	if hidden == 0 {
		t.Fatal("no open item older than the horizon in the seed; the test would prove nothing")
	}
	cols := url.Values{"col": {"remaining", "invoice", "docdate"}}
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	owner.Post("/cc/due-payments/columns", cols)
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	billing.Post("/cc/due-payments/columns", cols)
	// The chosen columns show in the order chosen: Remaining, Invoice, Document date.
	older := func(rows [][]string) int {
		n := 0
		for _, r := range rows {
			if d, err := time.Parse("2006-01-02", r[2]); err != nil || d.Before(horizon) {
				n++
			}
		}
		return n
	}
	// Everyone sees the same debt, or is told why not: how many items lie beyond the horizon,
	// never their amounts; the owner, who sees everything, is told nothing.
	for path, sel := range map[string]string{"/cc/due-payments": "[data-hidden-items]", "/cc/": "[data-hidden-items]"} {
		if got := billing.Get(path).Doc.Find(sel).AttrOr("data-hidden-items", ""); got != strconv.Itoa(hidden) {
			t.Errorf("billing %s: %q older items named, want %d", path, got, hidden)
		}
		if n := owner.Get(path).Doc.Find(sel).Length(); n != 0 {
			t.Errorf("owner %s: told of hidden items", path)
		}
	}
	if label := billing.Get("/cc/due-payments").Text("[data-aging=BGN] .label"); label != "Total remaining within your access" {
		t.Errorf("billing's total is labelled %q, want it said to be of what they may see", label)
	}
	_, ownerRows := csvRecords(t, owner.Get("/cc/due-payments.csv"))
	if older(ownerRows) == 0 {
		t.Fatalf("owner (no horizon) sees no item older than 365 days")
	}
	_, rows := csvRecords(t, billing.Get("/cc/due-payments.csv"))
	if n := older(rows); n != 0 || len(rows) != len(openItems(t, env, erpnetsim.MainCustomerNumber, horizon)) {
		t.Errorf("billing CSV: %d rows, %d older than the horizon", len(rows), n)
	}
	// Asking for old due dates or sorting the oldest first does not reach past it either.
	for _, q := range []string{"?sort=docdate&dir=asc", "?from=2020-01-01&to=" + horizon.Format("2006-01-02"), "?q=INV"} {
		page := billing.Get("/cc/due-payments" + q)
		if n := older(screenRows(page, "due-payments")); page.Status != 200 || n != 0 {
			t.Errorf("billing %s: %s, %d rows older than the horizon", q, page, n)
		}
		_, rows := csvRecords(t, billing.Get("/cc/due-payments.csv"+q))
		if n := older(rows); n != 0 {
			t.Errorf("billing CSV %s: %d rows older than the horizon", q, n)
		}
	}
}

// actFor makes the browser of a person with several customers act for the one numbered number.
func actFor(t *testing.T, b *testenv.Browser, number string) {
	t.Helper()
	page := b.Get("/cc/")
	var id string
	page.Doc.Find("button[name=customer], .switcher option").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), number) {
			id = s.AttrOr("value", "")
		}
	})
	if id == "" {
		t.Fatalf("no customer %s to choose on %s", number, page)
	}
	if p := b.Post("/cc/customer", url.Values{"customer": {id}}); p.Status != 200 {
		t.Fatalf("choosing %s: %s", number, p)
	}
}

func TestDuePaymentsOnlyOfTheChosenCustomer(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	b, _ := env.SignIn(t, "cc", "two@orbis.example")
	b.Post("/cc/due-payments/columns", url.Values{"col": {"invoice", "remaining"}})
	seen := map[string]string{} // invoice number → customer whose list showed it
	for _, number := range []string{erpnetsim.MainCustomerNumber, erpnetsim.SecondCustomerNumber} {
		actFor(t, b, number)
		want := map[string]string{}
		for _, it := range openItems(t, env, number, time.Time{}) {
			ref := it.RefInvoiceDocument.ODataID
			want[it.RefInvoiceDocumentNo] = "/cc/invoices/" + ref[strings.IndexByte(ref, '(')+1:len(ref)-1]
		}
		page := b.Get("/cc/due-payments?size=250")
		links := map[string]string{}
		page.Doc.Find("table[data-list=due-payments] tbody td a").Each(func(_ int, a *goquery.Selection) {
			links[a.Text()] = a.AttrOr("href", "")
		})
		if len(links) != len(want) || len(want) == 0 {
			t.Errorf("%s: screen shows %d invoices, the simulator has %d open", number, len(links), len(want))
		}
		for no, href := range links {
			if want[no] != href {
				t.Errorf("%s: invoice %s links to %q, want %q", number, no, href, want[no])
			}
			if other, ok := seen[no]; ok && other != number {
				t.Errorf("invoice %s shows for %s and for %s", no, other, number)
			}
			seen[no] = number
		}
		header, rows := csvRecords(t, b.Get("/cc/due-payments.csv"))
		inv := column(t, header, "Invoice")
		for _, r := range rows {
			if _, ok := want[r[inv]]; !ok {
				t.Errorf("%s CSV carries invoice %s, which is not the customer's", number, r[inv])
			}
		}
		if len(rows) != len(want) {
			t.Errorf("%s CSV rows = %d, want %d", number, len(rows), len(want))
		}
	}
}

func TestDuePaymentsCSVMatchesScreen(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	b.Post("/cc/due-payments/columns", url.Values{"col": {"due", "status", "remaining", "invoice", "overdue", "paystatus", "currency"}})
	tests := []string{
		"?sort=remaining&dir=desc&size=25",
		"?status=Overdue&sort=invoice&dir=asc",
		"?from=2026-01-01&to=2026-12-31&sort=due&dir=desc",
	}
	for _, q := range tests {
		t.Run(q, func(t *testing.T) {
			page := b.Get("/cc/due-payments" + q)
			screen := screenRows(page, "due-payments")
			header, rows := csvRecords(t, b.Get("/cc/due-payments.csv"+q))
			if got := strings.Join(header, ","); got != "Due date,Status,Remaining,Invoice,Days overdue,Payment status,Currency" {
				t.Errorf("CSV header = %q", got)
			}
			checkCSVMatchesScreen(t, page, screen, rows)
			if strings.Contains(q, "Overdue") {
				for _, r := range rows {
					if r[1] != "Overdue" {
						t.Fatalf("status filter Overdue lets through %v", r)
					}
				}
			}
		})
	}
}

func TestDuePaymentsSearchByNumber(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	items := openItems(t, env, erpnetsim.MainCustomerNumber, time.Time{})
	target := items[len(items)/2].RefInvoiceDocumentNo
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	page := b.Get("/cc/due-payments?q=" + url.QueryEscape(target))
	rows := page.Doc.Find("table[data-list=due-payments] tbody td a")
	if rows.Length() == 0 || rows.First().Text() != target {
		t.Errorf("search %s: first invoice %q of %d", target, rows.First().Text(), rows.Length())
	}
	rows.Each(func(_ int, a *goquery.Selection) {
		if !strings.Contains(a.Text(), target) {
			t.Errorf("search %s shows %s", target, a.Text())
		}
	})
	// A quote in the search is a character to look for, not a way into the filter.
	if p := b.Get("/cc/due-payments?q=" + url.QueryEscape("x' or 1 eq 1")); p.Status != 200 || p.Doc.Find("[data-empty]").Length() != 1 {
		t.Errorf("search with a quote: %s, empty %d", p, p.Doc.Find("[data-empty]").Length())
	}
}

// The one rule for every total: where the horizon hides documents, Orders and Invoices say how
// many (counted in Erp.Net, never summed), and say the totals are of what is shown; a person
// without a horizon is told nothing.
func TestListsCountWhatTheHorizonHides(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Now: func() time.Time { return financeDay }, Quiet: true})
	before := financeToday().AddDate(0, 0, -366).Format(time.DateOnly)
	count := func(set string) int {
		var n int
		env.API(t, set+"/$count?$filter="+url.QueryEscape("Customer/Number eq '"+erpnetsim.MainCustomerNumber+"' and DocumentDate le "+before), &n)
		return n
	}
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example")
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	for list, set := range map[string]string{"orders": "Crm_Sales_SalesOrders", "invoices": "Crm_Invoicing_Invoices"} {
		want := count(set)
		if want == 0 {
			t.Fatalf("%s: nothing older than the horizon in the seed; the test would prove nothing", list)
		}
		page := billing.Get("/cc/" + list)
		note := page.Doc.Find("[data-hidden-items]")
		if got := note.AttrOr("data-hidden-items", ""); got != strconv.Itoa(want) || !strings.Contains(note.Text(), "totals are of what you can see") {
			t.Errorf("%s, 365 days back: %q hidden said (%q), want %d", list, got, note.Text(), want)
		}
		if n := owner.Get("/cc/" + list).Doc.Find("[data-hidden-items]").Length(); n != 0 {
			t.Errorf("%s: the owner, who sees everything, is told of hidden documents", list)
		}
	}
}
