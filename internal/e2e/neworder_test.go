package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestE2ENewOrder places an order on an instance that enables New Order: search a product, add
// it, set a quantity and a PO number, place it, and land on the new order's page.
func TestE2ENewOrder(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			b2b := testenv.Instance("b2b")
			b2b.Title, b2b.IsNewOrderEnabled, b2b.NewOrderDocumentType, b2b.DefaultStore = "B2B Orders", true, "SO", "MAIN"
			env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{b2b}})
			b := newBrowser(t, env, vp)
			b.signIn("b2b", "prices@orbis.example")
			b.run(chromedp.Navigate(env.PortalURL+"/b2b/orders/new"), chromedp.WaitVisible(chromedp.CSS(`input[name=q]`)))
			b.run(
				chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "drill"),
				chromedp.Click(chromedp.CSS(`button[name=search]`)),
			)
			// The form already lists the customer's usual products: wait for the search's own
			// results before pressing Add, or the press may land on the page being replaced.
			b.waitFor(`document.body.innerText.includes('"drill"') && document.querySelector('[data-results] button[name=add]') !== null`)
			b.run(
				chromedp.Click(chromedp.CSS(`[data-results] button[name=add]`)),
				chromedp.WaitReady(chromedp.CSS(`input[name=line_qty]`)),
			)
			// With a default store, the line says whether the store can promise it.
			if n := b.count(`[data-availability="yes"], [data-availability="short"]`); n != 1 {
				t.Errorf("%d lines say their availability, want 1", n)
			}
			b.run(
				chromedp.SetValue(chromedp.CSS(`input[name=line_qty]`), "3"),
				chromedp.SendKeys(chromedp.CSS(`input[name=po]`), "PO-E2E-1"),
			)
			b.shot("new-order")
			// The customer's own products, a tab of the same form: the line typed stays.
			b.run(chromedp.Click(chromedp.CSS(`button[name=tab][value=mine]`)), chromedp.WaitVisible(chromedp.CSS(`button[name=tab][value=mine][aria-pressed=true]`)))
			if n := b.count(`input[name=line_qty]`); n != 1 {
				t.Errorf("after switching to My products, %d lines", n)
			}
			b.shot("new-order-my-products")
			b.run(chromedp.Click(chromedp.CSS(`[data-place]`)))
			b.waitFor(`(document.querySelector(".notice.ok") || {}).textContent.includes("placed")`)
			if got := b.text("h1"); !strings.HasPrefix(got, "Order SO-") {
				t.Errorf("after placing: h1 %q", got)
			}
			if !strings.Contains(b.text("main"), "PO-E2E-1") {
				t.Errorf("the new order does not show its PO number")
			}
			b.shot("placed")
			// A product's page, as the order form opens it (in a tab of its own).
			b.run(chromedp.Navigate(env.PortalURL+"/b2b/orders/new"), chromedp.WaitVisible(chromedp.CSS(`[data-results] a[data-product-info]`)))
			href := b.attr(`[data-results] a[data-product-info]`, "href")
			b.run(chromedp.Navigate(env.PortalURL+href), chromedp.WaitVisible(chromedp.CSS(`[data-code]`)))
			b.shot("product")
		})
	}
}
