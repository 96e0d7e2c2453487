package web

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// recentOrders and nextDue draw Home's two short lists. Like listRows they are written in Go:
// Home is the page every person opens first, and templ formats each expression and attribute
// through fmt and interfaces, which was half of Home's allocations. The markup is:
//
//	<ul class="rows"><li data-order="ID"><a href="…">SO-1</a> <span class="badge ok">Ordered</span>
//	<span class="muted">2026-11-29</span> <span class="amount">BGN 589.68</span>
//	<a class="again" href="…" data-again>Order again</a></li>…</ul>
func recentOrders(f *Frame, v HomeView) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		hw := htmlWriter{w: w}
		hw.raw(`<ul class="rows">`)
		for _, o := range v.RecentOrders {
			hw.raw(`<li data-order="`)
			hw.text(o.ID)
			hw.raw(`"><a href="`)
			hw.text(f.Inst.Base + "/orders/" + o.ID)
			hw.raw(`">`)
			hw.text(o.Number)
			hw.raw(`</a> <span class="badge `)
			hw.text(orderBadge(o.Status))
			hw.raw(`">`)
			hw.text(f.T(o.Status))
			hw.raw(`</span> <span class="muted">`)
			hw.text(f.Date(o.Date.Time()))
			hw.raw(`</span>`)
			if v.Prices {
				hw.raw(` <span class="amount">`)
				hw.text(f.MaybeMoney(o.Amount))
				hw.raw(`</span>`)
			}
			if v.Reorder {
				hw.raw(` <a class="again" href="`)
				hw.text(f.Inst.Base + "/orders/new?from=" + o.ID)
				hw.raw(`" data-again>`)
				hw.text(f.T("Order again"))
				hw.raw(`</a>`)
			}
			hw.raw(`</li>`)
		}
		hw.raw(`</ul>`)
		return hw.err
	})
}

// nextDue draws what falls due next: <li data-due-item><span>date</span> <a href="…">INV-1</a>
// <span class="amount">…</span></li>, the invoice linked where the person may open invoices.
func nextDue(f *Frame, v HomeView) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		hw := htmlWriter{w: w}
		hw.raw(`<ul class="rows">`)
		for _, d := range v.NextDue {
			hw.raw(`<li data-due-item><span>`)
			hw.text(f.Date(d.DueDate))
			hw.raw(`</span> `)
			if d.InvoiceID != "" && v.ShowInvoices {
				hw.raw(`<a href="`)
				hw.text(f.Inst.Base + "/invoices/" + d.InvoiceID)
				hw.raw(`">`)
				hw.text(d.InvoiceNo)
				hw.raw(`</a>`)
			} else {
				hw.raw(`<span>`)
				hw.text(d.DocumentNo)
				hw.raw(`</span>`)
			}
			hw.raw(` <span class="amount">`)
			hw.text(f.Money(d.Remaining))
			hw.raw(`</span></li>`)
		}
		hw.raw(`</ul>`)
		return hw.err
	})
}
