package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestE2EGroupedList groups Orders by status from the filter form, folds a group away, and finds
// the list grouped again when it is opened from the menu (the layout kept in the browser); No
// grouping brings the one table back.
func TestE2EGroupedList(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true})
			b := newBrowser(t, env, vp)
			b.signIn("cc", "owner@orbis.example")
			from := time.Now().AddDate(0, -6, 0).Format("2006-01-02")
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders?from="+from), chromedp.WaitReady(chromedp.CSS(`select[data-group-by]`)))
			if vp.mobile { // the filters are a sheet behind one button on a phone
				b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector("details[data-filter-sheet]").open = true`))
			}
			b.run(chromedp.SetValue(chromedp.CSS(`select[data-group-by]`), "status"),
				chromedp.Submit(chromedp.CSS(`select[data-group-by]`)),
				chromedp.WaitVisible(chromedp.CSS(`details[data-group]`)))
			if n := b.count(`details[data-group]`); n < 2 {
				t.Fatalf("%d groups, want one a status", n)
			}
			if got := b.text(`details[data-group="Ordered"] summary`); !strings.Contains(got, "rows") || !strings.Contains(got, "BGN") {
				t.Errorf("the Ordered group's heading %q, want its count and sums", got)
			}
			b.shot("orders-grouped")
			b.run(chromedp.Click(chromedp.CSS(`details[data-group="Ordered"] summary`)))
			b.waitFor(`!document.querySelector('details[data-group="Ordered"]').open`)
			if n := b.count(`details[data-group="Ordered"] tbody tr`); n == 0 {
				t.Errorf("the folded group lost its rows")
			}
			// From the menu, the list keeps its grouping.
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders?from="+from), chromedp.WaitReady(chromedp.CSS(`[data-total]`)))
			if n := b.count(`details[data-group]`); n < 2 {
				t.Errorf("opened again: %d groups", n)
			}
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders?group=none&from="+from), chromedp.WaitReady(chromedp.CSS(`table[data-list=orders]`)))
			if n := b.count(`details[data-group]`); n != 0 {
				t.Errorf("after No grouping: %d groups", n)
			}
		})
	}
}

// A column filter, typed in the filter form's Filter by column: the list narrows to the orders
// whose number contains it, and the field keeps it, open.
func TestE2EColumnFilter(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true})
			b := newBrowser(t, env, vp)
			b.signIn("cc", "owner@orbis.example")
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders"), chromedp.WaitReady(chromedp.CSS(`details[data-column-filters]`)))
			if vp.mobile {
				b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector("details[data-filter-sheet]").open = true`))
			}
			b.run(chromedp.Evaluate[chromedp.Void](`document.querySelector("details[data-column-filters]").open = true`),
				chromedp.SendKeys(chromedp.CSS(`input[name="c.number"]`), "0003"),
				chromedp.Submit(chromedp.CSS(`input[name="c.number"]`)),
				chromedp.WaitVisible(chromedp.CSS(`details[data-column-filters][open]`)))
			if n := b.count(`table[data-list=orders] tbody tr`); n == 0 {
				t.Fatalf("no orders whose number contains 0003")
			}
			if n := b.count(`table[data-list=orders] tbody td[data-label="Number"]`); n != b.count(`table[data-list=orders] tbody tr`) {
				t.Errorf("rows without a number cell")
			}
			b.shot("orders-column-filter")
		})
	}
}

// With save_layout_in_erp on an Erp.Net that keeps a user's AdditionalDataJson, the columns chosen
// in one browser are the columns another browser opens the list with.
func TestE2ELayoutFollowsThePerson(t *testing.T) {
	in := testenv.Instance("cc")
	in.SaveLayoutInERP = true
	env := testenv.New(t, testenv.Options{Quiet: true, ERPVersion: "26.3.100.4", Instances: []config.Instance{in}})
	first := newBrowser(t, env, desktop)
	first.signIn("cc", "owner@orbis.example")
	first.run(chromedp.Navigate(env.PortalURL+"/cc/orders"), chromedp.WaitVisible(chromedp.CSS(`table[data-list=orders]`)))
	first.run(chromedp.Click(chromedp.CSS(`details.chooser summary`)), chromedp.WaitVisible(chromedp.CSS(`input[name=col][value=po]`)))
	first.run(
		chromedp.Click(chromedp.CSS(`input[name=col][value=po]`)),
		chromedp.Click(chromedp.CSS(`details.chooser form button[type=submit]:not([name])`)),
		chromedp.WaitReady(chromedp.CSS(`th[data-col=po]`)),
	)
	second := newBrowser(t, env, phone)
	second.signIn("cc", "owner@orbis.example")
	second.run(chromedp.Navigate(env.PortalURL+"/cc/orders"), chromedp.WaitVisible(chromedp.CSS(`table[data-list=orders]`)))
	if second.count(`th[data-col=po]`) != 1 {
		t.Errorf("the other browser does not show the PO column chosen in the first")
	}
	second.shot("orders-layout-kept")
}
