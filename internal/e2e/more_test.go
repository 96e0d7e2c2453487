package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestE2EBillingAndUsers: an Owner opens an invoice and previews its PDF, looks at Due Payments,
// adds a user through User Management and removes them again (through the confirmation dialog).
func TestE2EBillingAndUsers(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true})
			b := newBrowser(t, env, vp)
			b.signIn("cc", "owner@orbis.example")

			b.run(chromedp.Navigate(env.PortalURL+"/cc/invoices"), chromedp.WaitReady(chromedp.CSS(`table[data-list=invoices]`)))
			b.shot("invoices")
			b.run(chromedp.Click(chromedp.CSS(`table[data-list=invoices] tbody tr:first-child a`)), chromedp.WaitVisible(chromedp.CSS(`[data-preview]`)))
			b.run(chromedp.Click(chromedp.CSS(`[data-preview] summary`)), chromedp.WaitReady(chromedp.CSS(`[data-preview] iframe[src]`)))
			src := b.attr(`[data-preview] iframe`, "src")
			if !strings.Contains(src, "/pdf") {
				t.Errorf("preview frame src = %q", src)
			}
			b.shot("invoice")

			b.run(chromedp.Navigate(env.PortalURL+"/cc/due-payments"), chromedp.WaitVisible(chromedp.CSS(`[data-aging]`)))
			b.shot("due-payments")
			b.run(chromedp.Navigate(env.PortalURL+"/cc/payments"), chromedp.WaitVisible(chromedp.CSS(`main table`)))
			b.shot("payments")
			b.run(chromedp.Click(chromedp.CSS(`table[data-list=payments] tbody tr:first-child a.row-link`)), chromedp.WaitVisible(chromedp.CSS(`[data-payment-lines]`)))
			b.shot("payment")

			// Users is beyond the phone's menu bar: reached through "More", on the desktop directly.
			if b.vp.mobile {
				b.run(chromedp.Click(chromedp.CSS(`nav.menu details[data-more] summary`)))
				b.shot("menu-more")
				b.run(chromedp.Click(chromedp.CSS(`nav.menu details[data-more] a[href="/cc/users"]`)), chromedp.WaitVisible(chromedp.CSS(`#uf-email`)))
			} else {
				b.run(chromedp.Click(chromedp.CSS(`nav.menu > ul > li > a[href="/cc/users"]`)), chromedp.WaitVisible(chromedp.CSS(`#uf-email`)))
			}
			b.run(
				chromedp.SendKeys(chromedp.CSS(`#uf-email`), "Spare@Orbis.example"),
				chromedp.SetValue(chromedp.CSS(`#uf-role`), "L40"),
				chromedp.SendKeys(chromedp.CSS(`#uf-notes`), "Added in the browser test"),
				chromedp.Submit(chromedp.CSS(`#uf-email`)),
				chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
			)
			if n := b.count(`[data-display]`); n < 7 {
				t.Errorf("after adding, %d users listed", n)
			}
			b.shot("users")
			// Remove the user just added: their row's Remove button, then the confirmation dialog.
			clicked, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => {
				const row = [...document.querySelectorAll("tr[data-user]")].find(r => r.textContent.includes("spare@orbis.example"));
				const btn = row && row.querySelector("[data-remove]");
				if (btn) { btn.click(); }
				return !!btn;
			})()`))
			if err != nil || !clicked {
				t.Fatalf("no Remove button for the added user: %v", err)
			}
			b.waitFor(`!!document.querySelector("dialog[open] [data-confirm-remove]")`)
			b.shot("users-remove-dialog")
			b.run(chromedp.Click(chromedp.CSS(`dialog[open] [data-confirm-remove]`)))
			b.waitFor(`(document.querySelector(".notice.ok") || {}).textContent.includes("no longer has access")`)
			if strings.Contains(b.text("table[data-users]"), "spare@orbis.example") {
				t.Errorf("the removed user is still listed")
			}
		})
	}
}
