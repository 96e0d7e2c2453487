package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestE2EBulgarian: a person switches to Bulgarian in the footer and reads the pages in it, on
// a desktop and on a phone, the Erp.Net texts (document types) included.
func TestE2EBulgarian(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true})
			b := newBrowser(t, env, vp)
			b.signIn("cc", "owner@orbis.example")
			// The footer's switcher is a form per language; its button is pressed once the page has
			// settled after the sign-in's redirects, and the test waits for the page it leads to.
			b.run(chromedp.Navigate(env.PortalURL+"/cc/"), chromedp.WaitVisible(chromedp.CSS(`[data-langs] button[value=bg]`)))
			if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector('[data-langs] button[value=bg]').click(), true`)); err != nil {
				t.Fatalf("pressing Български: %v", err)
			}
			b.waitFor(`document.documentElement.lang === 'bg' && document.querySelector('nav.menu') !== null`)
			if got := b.text("h1"); !strings.HasPrefix(got, "Добре дошли") {
				t.Errorf("home h1 in Bulgarian = %q", got)
			}
			b.shot("home-bg")
			for _, pg := range []struct{ path, h1, sel string }{
				{"/cc/orders", "Поръчки", `table[data-list=orders]`},
				{"/cc/due-payments", "Дължими плащания", `table[data-list=due-payments]`},
				{"/cc/users", "Потребители", `form[action="/cc/users"]`},
				{"/cc/statement", "Извлечение по сметка", `[data-statement=BGN]`},
				{"/cc/due-payments/pay", "Плащане с банков превод", `[data-pay-items]`},
			} {
				b.run(chromedp.Navigate(env.PortalURL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.sel)))
				if got := b.text("h1"); got != pg.h1 {
					t.Errorf("%s h1 = %q, want %q", pg.path, got, pg.h1)
				}
				if pg.path == "/cc/orders" && !strings.Contains(b.text(pg.sel+" tbody"), "Поръчка за продажба") {
					t.Errorf("the orders' document type is not shown in Bulgarian (Erp.Net's TypeName BG)")
				}
				b.shot(strings.TrimPrefix(strings.ReplaceAll(pg.path, "/", "-"), "-cc-") + "-bg")
			}
			// The cancel dialog asks in Bulgarian, with buttons that say what they do.
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders?status=New"), chromedp.WaitVisible(chromedp.CSS(`table[data-list=orders]`)))
			b.run(chromedp.Click(chromedp.CSS(`table[data-list=orders] tbody tr:first-child a`)), chromedp.WaitVisible(chromedp.CSS(`[data-cancel]`)))
			b.run(chromedp.Click(chromedp.CSS(`[data-cancel]`)), chromedp.WaitVisible(chromedp.CSS(`dialog#cancel-dialog[open]`)))
			if got := b.text("dialog#cancel-dialog h2"); !strings.HasPrefix(got, "Да се анулира ли поръчка") || b.text("dialog#cancel-dialog [data-keep]") != "Запази поръчката" {
				t.Errorf("the cancel dialog in Bulgarian: %q / %q", got, b.text("dialog#cancel-dialog [data-keep]"))
			}
			b.shot("order-cancel-dialog-bg")
			if b.vp.mobile {
				b.run(chromedp.Navigate(env.PortalURL+"/cc/"), chromedp.WaitVisible(chromedp.CSS(`nav.menu details[data-more] summary`)))
				b.run(chromedp.Click(chromedp.CSS(`nav.menu details[data-more] summary`)), chromedp.WaitVisible(chromedp.CSS(`nav.menu details[data-more] a[href="/cc/users"]`)))
				b.shot("menu-more-bg")
			}
		})
	}
}
