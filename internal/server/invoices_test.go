package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// invoiceDay is the fixed "now" of the invoice tests; the simulator lays its seed out around it.
var invoiceDay = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)

func newInvoiceEnv(t *testing.T, instances ...config.Instance) *testenv.Env {
	t.Helper()
	return testenv.New(t, testenv.Options{Now: func() time.Time { return invoiceDay }, Quiet: true, Instances: instances})
}

type invoiceRef struct {
	ID           string `json:"Id"`
	DocumentNo   string `json:"DocumentNo"`
	DocumentDate string `json:"DocumentDate"`
}

// findInvoices asks the simulator, as the trusted application, for invoices matching a filter,
// newest first.
func findInvoices(t *testing.T, env *testenv.Env, filter string) []invoiceRef {
	t.Helper()
	var rows struct {
		Value []invoiceRef `json:"value"`
	}
	env.API(t, "Crm_Invoicing_Invoices?$top=50&$select=Id,DocumentNo,DocumentDate&$orderby=DocumentDate%20desc&$filter="+url.QueryEscape(filter), &rows)
	if len(rows.Value) == 0 {
		t.Fatalf("no invoices for %s", filter)
	}
	return rows.Value
}

// invoiceDate is the date offset days from invoiceDay, as the date inputs take it.
func invoiceDate(offset int) string { return invoiceDay.AddDate(0, 0, offset).Format("2006-01-02") }

// listNumbers are the invoice numbers of a list page, in order.
func invoiceNumbers(p *testenv.Page) []string {
	var out []string
	p.Doc.Find("table[data-list=invoices] tbody tr").Each(func(_ int, tr *goquery.Selection) {
		out = append(out, strings.TrimSpace(tr.Find("td a[href*='/invoices/']").First().Text()))
	})
	return out
}

// listStatuses are the Status cells of a list page showing the default columns.
func invoiceStatuses(p *testenv.Page) []string {
	var out []string
	p.Doc.Find("table[data-list=invoices] tbody tr").Each(func(_ int, tr *goquery.Selection) {
		out = append(out, strings.TrimSpace(tr.Find("td .badge").Text()))
	})
	return out
}

// readZip opens a ZIP answer and returns its files by name.
func readInvoiceZip(t *testing.T, p *testenv.Page) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader([]byte(p.Body)), int64(len(p.Body)))
	if err != nil {
		t.Fatalf("ZIP of %s does not open: %v", p, err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func TestInvoicesRoutesByRole(t *testing.T) {
	env := newInvoiceEnv(t)
	inv := findInvoices(t, env, "Customer/Number eq 'C-1001'")[0]
	paths := []string{"/cc/invoices", "/cc/invoices.csv", "/cc/invoices.zip?from=" + invoiceDate(-20) + "&to=" + invoiceDate(0),
		"/cc/invoices/" + inv.ID, "/cc/invoices/" + inv.ID + "/pdf", "/cc/invoices/" + inv.ID + "/pdf?download=1"}
	for _, tc := range []struct {
		login string
		want  int
	}{
		{"basic@orbis.example", 403}, {"orders@orbis.example", 403}, {"prices@orbis.example", 403},
		{"billing@orbis.example", 200}, {"admin@orbis.example", 200}, {"owner@orbis.example", 200},
	} {
		t.Run(tc.login, func(t *testing.T) {
			b, _ := env.SignIn(t, "cc", tc.login)
			for _, path := range paths {
				if got := b.Get(path); got.Status != tc.want {
					t.Errorf("GET %s: %s, want %d", path, got, tc.want)
				}
			}
			if got := b.Post("/cc/invoices/columns", url.Values{"col": {"number"}}); got.Status != tc.want {
				t.Errorf("POST columns: %s, want %d", got, tc.want)
			}
			home := b.Get("/cc/")
			if menu := home.Doc.Find(`nav.menu > ul > li:not(.more-item) > a[href="/cc/invoices"]`).Length(); (menu == 1) != (tc.want == 200) {
				t.Errorf("menu offers Invoices: %v, want %v", menu == 1, tc.want == 200)
			}
		})
	}
}

func TestInvoicesListShowsTheCustomersInvoices(t *testing.T) {
	env := newInvoiceEnv(t)
	newest := findInvoices(t, env, "Customer/Number eq 'C-1001'")[0]
	b, _ := env.SignIn(t, "cc", "admin@orbis.example")
	page := b.Get("/cc/invoices")
	if page.Status != 200 {
		t.Fatalf("list: %s", page)
	}
	var cols []string
	page.Doc.Find("table[data-list=invoices] th").Each(func(_ int, th *goquery.Selection) { cols = append(cols, th.AttrOr("data-col", "")) })
	if got, want := strings.Join(cols, ","), "date,type,number,amount,due,status"; got != want {
		t.Errorf("columns = %s, want %s", got, want)
	}
	numbers := invoiceNumbers(page)
	if len(numbers) != 25 || numbers[0] != newest.DocumentNo {
		t.Errorf("first page: %d rows starting %v, want 25 starting %s", len(numbers), numbers[:min(1, len(numbers))], newest.DocumentNo)
	}
	if page.Text("[data-totals]") == "" {
		t.Errorf("no totals footer")
	}
	for _, choice := range []string{"currency", "apply", "notes", "original"} {
		if page.Doc.Find(`input[name=col][value=`+choice+`]`).Length() != 1 {
			t.Errorf("column %s is not offered", choice)
		}
	}
	// The second customer's invoices are not in the first customer's list.
	foreign := findInvoices(t, env, "Customer/Number eq 'C-1002'")[0]
	if p := b.Get("/cc/invoices?q=" + url.QueryEscape(foreign.DocumentNo)); slices.Contains(invoiceNumbers(p), foreign.DocumentNo) {
		t.Errorf("the list of C-1001 shows %s of C-1002", foreign.DocumentNo)
	}
}

func TestInvoiceHorizon(t *testing.T) {
	env := newInvoiceEnv(t)
	old := findInvoices(t, env, "Customer/Number eq 'C-1001' and DocumentDate le "+invoiceDate(-380)+"Z and DocumentDate ge "+invoiceDate(-395)+"Z")[0]
	recent := findInvoices(t, env, "Customer/Number eq 'C-1001' and DocumentDate ge "+invoiceDate(-300)+"Z")[0]
	zipPath := "/cc/invoices.zip?from=" + invoiceDate(-400) + "&to=" + invoiceDate(-200)
	billing, _ := env.SignIn(t, "cc", "billing@orbis.example") // 365 days back
	for _, path := range []string{"/cc/invoices/" + old.ID, "/cc/invoices/" + old.ID + "/pdf", "/cc/invoices/" + old.ID + "/pdf?download=1"} {
		if p := billing.Get(path); p.Status != 404 {
			t.Errorf("beyond the horizon %s: %s, want 404", path, p)
		}
	}
	if p := billing.Get("/cc/invoices/" + recent.ID); p.Status != 200 {
		t.Errorf("within the horizon: %s, want 200", p)
	}
	csvPage := billing.Get("/cc/invoices.csv")
	if strings.Contains(csvPage.Body, old.DocumentNo) || !strings.Contains(csvPage.Body, recent.DocumentNo) {
		t.Errorf("CSV: has old %s = %v, has recent %s = %v", old.DocumentNo, strings.Contains(csvPage.Body, old.DocumentNo),
			recent.DocumentNo, strings.Contains(csvPage.Body, recent.DocumentNo))
	}
	if p := billing.Get("/cc/invoices?q=" + url.QueryEscape(old.DocumentNo)); len(invoiceNumbers(p)) != 0 {
		t.Errorf("search finds %v beyond the horizon", invoiceNumbers(p))
	}
	files := readInvoiceZip(t, billing.Get(zipPath))
	if _, ok := files["Invoice "+old.DocumentNo+".pdf"]; ok || len(files) == 0 {
		t.Errorf("billing's ZIP: %d files, holds %s: %v", len(files), old.DocumentNo, ok)
	}
	// Without a horizon, the same ZIP holds it: the horizon is what kept it out.
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	if _, ok := readInvoiceZip(t, admin.Get(zipPath))["Invoice "+old.DocumentNo+".pdf"]; !ok {
		t.Errorf("admin's ZIP lacks %s", old.DocumentNo)
	}
}

func TestOtherCustomersInvoicesAre404(t *testing.T) {
	env := newInvoiceEnv(t)
	foreign := findInvoices(t, env, "Customer/Number eq 'C-1002'")[:3]
	own := findInvoices(t, env, "Customer/Number eq 'C-1001'")[0]
	owner, _ := env.SignIn(t, "cc", "owner@orbis.example")
	for _, inv := range foreign {
		for _, path := range []string{"/cc/invoices/" + inv.ID, "/cc/invoices/" + inv.ID + "/pdf", "/cc/invoices/" + inv.ID + "/pdf?download=1"} {
			if p := owner.Get(path); p.Status != 404 || p.Header.Get("Content-Type") == "application/pdf" {
				t.Errorf("%s: %s %s, want the 404 page", path, p, p.Header.Get("Content-Type"))
			}
		}
	}
	for _, bad := range []string{"not-a-guid", "00000000-0000-4000-8000-000000000000", "%27%20or%201"} {
		for _, path := range []string{"/cc/invoices/" + bad, "/cc/invoices/" + bad + "/pdf"} {
			if p := owner.Get(path); p.Status != 404 {
				t.Errorf("%s: %s, want 404", path, p)
			}
		}
	}
	// The person of two customers sees each customer's invoices only while acting for it.
	two, choose := env.SignIn(t, "cc", "two@orbis.example")
	second := choose.Doc.Find(`button[name=customer]:contains("`+erpnetsim.SecondCustomerNumber+`")`).AttrOr("value", "")
	if second == "" {
		t.Fatalf("no choice of %s on %s", erpnetsim.SecondCustomerNumber, choose)
	}
	two.Post("/cc/customer", url.Values{"customer": {second}})
	if p := two.Get("/cc/invoices/" + foreign[0].ID + "/pdf"); p.Status != 200 {
		t.Errorf("C-1002's own invoice for two@: %s, want 200", p)
	}
	if p := two.Get("/cc/invoices/" + own.ID + "/pdf"); p.Status != 404 {
		t.Errorf("C-1001's invoice while acting for C-1002: %s, want 404", p)
	}
}

func TestInvoicePDF(t *testing.T) {
	env := newInvoiceEnv(t)
	inv := findInvoices(t, env, "Customer/Number eq 'C-1001'")[0]
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	page := b.Get("/cc/invoices/" + inv.ID)
	pdfURL := "/cc/invoices/" + inv.ID + "/pdf"
	for sel, want := range map[string]string{"iframe[data-src]": pdfURL, "a[data-pdf-open]": pdfURL, "a[data-pdf-download]": pdfURL + "?download=1"} {
		attr := "href"
		if strings.HasPrefix(sel, "iframe") {
			attr = "data-src"
		}
		if got := page.Doc.Find(sel).AttrOr(attr, ""); got != want {
			t.Errorf("%s %s = %q, want %q", sel, attr, got, want)
		}
	}
	for _, tc := range []struct{ query, disposition string }{
		{"", `inline; filename="Invoice ` + inv.DocumentNo + `.pdf"`},
		{"?download=1", `attachment; filename="Invoice ` + inv.DocumentNo + `.pdf"`},
	} {
		p := b.Get(pdfURL + tc.query)
		if p.Status != 200 || p.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: %s %s", tc.query, p, p.Header.Get("Content-Type"))
		}
		if got := p.Header.Get("Content-Disposition"); got != tc.disposition {
			t.Errorf("Content-Disposition = %q, want %q", got, tc.disposition)
		}
		if !strings.HasPrefix(p.Body, "%PDF") || !strings.Contains(p.Body, inv.DocumentNo) {
			t.Errorf("body is not the invoice's PDF: %.40q", p.Body)
		}
		if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || strings.Contains(csp, "object-src 'none'") {
			t.Errorf("PDF CSP = %q: the browser's viewer must be allowed, other sites' frames not", csp)
		}
	}
}

func TestInvoicesZip(t *testing.T) {
	env := newInvoiceEnv(t)
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	from, to := invoiceDate(-90), invoiceDate(0)
	screen := invoiceNumbers(b.Get("/cc/invoices?size=250&from=" + from + "&to=" + to))
	if len(screen) == 0 {
		t.Fatal("no invoices in the range")
	}
	env.Sim.ResetCalls()
	p := b.Get("/cc/invoices.zip?from=" + from + "&to=" + to)
	if p.Status != 200 || p.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("ZIP: %s %s %s", p, p.Header.Get("Content-Type"), p.Header.Get("Content-Disposition"))
	}
	files := readInvoiceZip(t, p)
	var names []string
	for name, body := range files {
		names = append(names, name)
		number := strings.TrimSuffix(strings.TrimPrefix(name, "Invoice "), ".pdf")
		if !bytes.HasPrefix(body, []byte("%PDF")) || !bytes.Contains(body, []byte(number)) {
			t.Errorf("%s is not that invoice's PDF", name)
		}
	}
	var want []string
	for _, n := range screen {
		want = append(want, "Invoice "+n+".pdf")
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("ZIP holds %v, the list shows %v", names, want)
	}
	if peak, limit := env.Sim.PeakConcurrent(), int64(env.Config.ErpNet.MaxConcurrent); peak > limit {
		t.Errorf("%d requests at once to Erp.Net, the bound is %d", peak, limit)
	}
	// The list's other filters apply to the ZIP too.
	one := screen[len(screen)/2]
	if got := readInvoiceZip(t, b.Get("/cc/invoices.zip?from="+from+"&to="+to+"&q="+url.QueryEscape(one))); len(got) != 1 || got["Invoice "+one+".pdf"] == nil {
		t.Errorf("ZIP of a search for %s holds %d files", one, len(got))
	}
}

func TestInvoicesZipRefusals(t *testing.T) {
	env := newInvoiceEnv(t)
	admin, _ := env.SignIn(t, "cc", "admin@orbis.example")
	for _, tc := range []struct {
		name, query, message, keepFrom string
		status                         int
	}{
		{"no To", "from=" + invoiceDate(-30), "To:", invoiceDate(-30), 400},
		{"no From", "to=" + invoiceDate(0), "From:", "", 400},
		{"not a date", "from=06/15/2026&to=" + invoiceDate(0), "From: enter a date", "06/15/2026", 400},
		{"reversed", "from=" + invoiceDate(0) + "&to=" + invoiceDate(-30), "before the start date", invoiceDate(0), 400},
		{"too many", "from=" + invoiceDate(-3*365) + "&to=" + invoiceDate(0), "at most 200", invoiceDate(-3 * 365), 400},
		{"none", "from=" + invoiceDate(30) + "&to=" + invoiceDate(60), "nothing to download", invoiceDate(30), 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := admin.Get("/cc/invoices.zip?" + tc.query)
			if p.Status != tc.status || p.Header.Get("Content-Type") == "application/zip" {
				t.Fatalf("%s: %s %s, want the list page with %d", tc.query, p, p.Header.Get("Content-Type"), tc.status)
			}
			if got := p.Text("[role=alert]"); !strings.Contains(got, tc.message) {
				t.Errorf("message %q, want it to say %q", got, tc.message)
			}
			if got := p.Doc.Find("form[data-zip] input[name=from]").AttrOr("value", ""); got != tc.keepFrom {
				t.Errorf("ZIP form From = %q, want what was typed, %q", got, tc.keepFrom)
			}
		})
	}
}

func TestInvoicesCSVMatchesScreen(t *testing.T) {
	env := newInvoiceEnv(t)
	b, _ := env.SignIn(t, "cc", "admin@orbis.example")
	b.Post("/cc/invoices/columns", url.Values{"col": {"date", "number", "amount", "due", "status", "currency"}})
	query := "?sort=amount&dir=desc&size=50&from=" + invoiceDate(-500)
	page := b.Get("/cc/invoices" + query)
	var screen [][]string
	page.Doc.Find("table[data-list=invoices] tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var row []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { row = append(row, strings.TrimSpace(td.Text())) })
		screen = append(screen, row)
	})
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.Get("/cc/invoices.csv"+query).Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "Date,Number,Amount,Due date,Status,Currency" {
		t.Errorf("CSV header = %q", got)
	}
	if len(screen) != 50 || len(recs)-1 <= len(screen) {
		t.Fatalf("CSV has %d rows, screen %d", len(recs)-1, len(screen))
	}
	for i, row := range screen {
		for j, cell := range row {
			if !sameCell(recs[i+1][j], cell) {
				t.Fatalf("row %d: CSV %s, screen %s", i, strings.Join(recs[i+1], "|"), strings.Join(row, "|"))
			}
		}
	}
	if total := page.Doc.Find("[data-total]").AttrOr("data-total", ""); total != strconv.Itoa(len(recs)-1) {
		t.Errorf("screen total %s, CSV rows %d", total, len(recs)-1)
	}
}

func TestInvoicesSearch(t *testing.T) {
	env := newInvoiceEnv(t)
	inv := findInvoices(t, env, "Customer/Number eq 'C-1001'")[3]
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	for _, tc := range []struct {
		name, q string
		check   func([]string) bool
	}{
		{"exact number", inv.DocumentNo, func(got []string) bool { return slices.Equal(got, []string{inv.DocumentNo}) }},
		{"lower case", strings.ToLower(inv.DocumentNo), func(got []string) bool { return slices.Equal(got, []string{inv.DocumentNo}) }},
		// Part of a number: DocumentNo supports Like. The lines' descriptions are NotFilterable
		// and a line's Product is not a filterable reference, so a product finds nothing.
		{"part of the number", inv.DocumentNo[len(inv.DocumentNo)-4:], func(got []string) bool { return slices.Contains(got, inv.DocumentNo) }},
		{"a product is not searched", "CLN-005", func(got []string) bool { return len(got) == 0 }},
		{"a quote is one literal", "O'Neil", func(got []string) bool { return len(got) == 0 }},
		{"nothing", "no such invoice", func(got []string) bool { return len(got) == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.Get("/cc/invoices?size=250&q=" + url.QueryEscape(tc.q))
			if got := invoiceNumbers(p); p.Status != 200 || !tc.check(got) {
				t.Errorf("search %q: %s found %v", tc.q, p, got)
			}
		})
	}
}
