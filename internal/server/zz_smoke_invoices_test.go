package server_test

import (
	"testing"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestZZSmokeInvoices(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	p := b.Get("/cc/invoices?size=25")
	t.Logf("%s\n%s", p, p.Text("main"))
	href := p.Doc.Find("table[data-list=invoices] tbody tr td a").First().AttrOr("href", "")
	q := b.Get(href)
	t.Logf("%s\n%s", q, q.Text("main"))
	r := b.Get(href + "/pdf")
	t.Logf("%s %v %.20q", r, r.Header, r.Body)
	z := b.Get("/cc/invoices.zip?from=2020-01-01&to=2030-01-01")
	t.Logf("%s %v %d", z, z.Header, len(z.Body))
	s := b.Get("/cc/invoices?status=Overdue")
	t.Logf("%s\n%s", s, s.Text("main"))
}
