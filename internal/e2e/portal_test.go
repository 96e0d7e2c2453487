package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

func TestE2EBrowsePortal(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true})
			b := newBrowser(t, env, vp)
			b.signIn("cc", "owner@orbis.example")
			if got := b.text("h1"); !strings.HasPrefix(got, "Welcome") {
				t.Fatalf("home h1 = %q", got)
			}
			b.shot("home")

			b.run(chromedp.Navigate(env.PortalURL + "/cc/profile"))
			if got := b.text("[data-field=number]"); got != "C-1001" {
				t.Errorf("profile number = %q", got)
			}
			b.shot("profile")

			// Orders: choose columns, reload, still chosen; reset.
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders"), chromedp.WaitVisible(chromedp.CSS(`table[data-list=orders]`)))
			b.shot("orders")
			if vp.name == "phone" {
				// The filters wait behind Filter & sort; sorting is in them, and a tap anywhere on a
				// card opens its order.
				if b.count(`details[data-filter-sheet][open]`) != 0 {
					t.Errorf("on a phone the filters start open")
				}
				b.run(chromedp.Click(chromedp.CSS(`details[data-filter-sheet] > summary`)), chromedp.WaitVisible(chromedp.CSS(`form.filters select[name=sort]`)))
				b.shot("orders-filters")
				b.run(chromedp.Click(chromedp.CSS(`details[data-filter-sheet] > summary`)))
				b.run(chromedp.Click(chromedp.CSS(`table[data-list=orders] tbody tr:first-child td:last-child`)), chromedp.WaitVisible(chromedp.CSS(`[data-status]`)))
				b.run(chromedp.Navigate(env.PortalURL+"/cc/orders"), chromedp.WaitVisible(chromedp.CSS(`table[data-list=orders]`)))
			} else if b.count(`details[data-filter-sheet][open]`) != 1 {
				t.Errorf("on a desktop the filters are not shown")
			}
			b.run(chromedp.Click(chromedp.CSS(`details.chooser summary`)), chromedp.WaitVisible(chromedp.CSS(`input[name=col][value=po]`)))
			b.shot("orders-columns")
			b.run(
				chromedp.Click(chromedp.CSS(`input[name=col][value=po]`)),
				chromedp.Click(chromedp.CSS(`details.chooser form button[type=submit]:not([name])`)),
				chromedp.WaitReady(chromedp.CSS(`th[data-col=po]`)),
				chromedp.Reload(),
				chromedp.WaitReady(chromedp.CSS(`th[data-col=po]`)),
			)
			b.run(
				chromedp.Click(chromedp.CSS(`details.chooser summary`)),
				chromedp.Click(chromedp.CSS(`details.chooser button[name=reset]`)),
				chromedp.WaitNotPresent(chromedp.CSS(`th[data-col=po]`)),
			)
			if b.count("th[data-col=po]") != 0 {
				t.Errorf("after reset the PO column is still shown")
			}

			// An order that can be cancelled: cancel it through the confirmation dialog.
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders?status=New"), chromedp.WaitVisible(chromedp.CSS(`table[data-list=orders]`)))
			b.run(chromedp.Click(chromedp.CSS(`table[data-list=orders] tbody tr:first-child a`)), chromedp.WaitVisible(chromedp.CSS(`[data-status]`)))
			b.shot("order")
			// Without JavaScript the question is a page of its own; a missing order is a page too.
			orderURL, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.href`))
			if err != nil {
				t.Fatalf("the order's address: %v", err)
			}
			b.run(chromedp.Navigate(orderURL+"/cancel"), chromedp.WaitVisible(chromedp.CSS(`form[data-cancel-form]`)))
			b.shot("order-cancel-page")
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders/not-an-order"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
			b.shot("not-found")
			b.run(chromedp.Navigate(orderURL), chromedp.WaitVisible(chromedp.CSS(`[data-status]`)))
			b.run(chromedp.Click(chromedp.CSS(`[data-cancel]`)), chromedp.WaitVisible(chromedp.CSS(`dialog#cancel-dialog[open] textarea`)))
			b.shot("order-cancel-dialog")
			b.run(chromedp.SendKeys(chromedp.CSS(`dialog#cancel-dialog textarea`), "Ordered twice"),
				chromedp.Click(chromedp.CSS(`dialog#cancel-dialog [data-confirm-cancel]`)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)))
			b.shot("order-cancelled")
			if got := b.text("[data-status]"); got != "Cancelled" {
				t.Errorf("after cancel the status is %q", got)
			}

			// Sign out ends the session: the next visit asks to sign in again.
			b.run(chromedp.Click(chromedp.CSS(`header form button`)), chromedp.WaitVisible(chromedp.CSS(`main a[href*="/auth/login"]`)))
			b.shot("signed-out")
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders"), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))

			// A person of two customers is asked which one first.
			b.run(
				chromedp.SendKeys(chromedp.CSS(`input[name=username]`), "two@orbis.example"),
				chromedp.SendKeys(chromedp.CSS(`input[name=password]`), erpnetsim.DemoPassword),
				chromedp.Submit(chromedp.CSS(`input[name=password]`)),
				chromedp.WaitVisible(chromedp.CSS(`button[name=customer]`)),
			)
			b.shot("choose-customer")
		})
	}
}
