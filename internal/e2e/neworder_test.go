package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
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
			// Review order: the order as Erp.Net prices it, to confirm.
			b.run(chromedp.Click(chromedp.CSS(`[data-review]`)), chromedp.WaitVisible(chromedp.CSS(`[data-review-lines]`)))
			if n := b.count(`[data-review-lines] tbody tr`); n != 1 {
				t.Errorf("the review shows %d lines, want 1", n)
			}
			if got := b.text(`[data-review-lines] [data-unit-price]`); got == "" {
				t.Errorf("the review shows no price to a role that sees prices")
			}
			b.shot("review")
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

// TestE2ENewOrderDraft writes an order, leaves it without pressing anything after typing a
// quantity, resumes it in a fresh browser (another device: no cookies, no storage), places it
// there, and then presses Place order in the first browser's old review as well: one order.
func TestE2ENewOrderDraft(t *testing.T) {
	b2b := testenv.Instance("b2b")
	b2b.Title, b2b.IsNewOrderEnabled, b2b.NewOrderDocumentType = "B2B Orders", true, "SO"
	env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{b2b}})
	first := newBrowser(t, env, desktop)
	first.signIn("b2b", "prices@orbis.example")
	first.run(chromedp.Navigate(env.PortalURL+"/b2b/orders/new"), chromedp.WaitVisible(chromedp.CSS(`[data-results] button[name=add]`)))
	first.run(chromedp.Click(chromedp.CSS(`[data-results] button[name=add]`)), chromedp.WaitReady(chromedp.CSS(`input[name=line_qty]`)))
	// Typed, not submitted: the page saves it after a pause.
	first.run(chromedp.Evaluate[chromedp.Void](`(function(){var q=document.querySelector("input[name=line_qty]");q.value="4";q.dispatchEvent(new Event("input",{bubbles:true}));})()`))
	first.waitFor(`document.querySelector("input[name=order]") && document.querySelector("input[name=order]").value !== ""`)
	waitDraftQuantity(t, env, 4)
	first.run(chromedp.Click(chromedp.CSS(`[data-review]`)), chromedp.WaitVisible(chromedp.CSS(`[data-review-lines]`)))

	other := newBrowser(t, env, desktop)
	other.signIn("b2b", "prices@orbis.example")
	other.run(chromedp.Navigate(env.PortalURL+"/b2b/orders"), chromedp.WaitVisible(chromedp.CSS(`[data-draft] a[data-continue]`)))
	other.shot("orders-with-draft")
	other.run(chromedp.Click(chromedp.CSS(`[data-draft] a[data-continue]`)), chromedp.WaitVisible(chromedp.CSS(`input[name=line_qty]`)))
	if got := other.attr(`input[name=line_qty]`, "value"); got != "4" {
		t.Errorf("the fresh browser resumes a quantity of %q, want 4", got)
	}
	other.shot("draft-resumed")
	before := orderCount(t, env)
	other.run(chromedp.Click(chromedp.CSS(`[data-review]`)), chromedp.WaitVisible(chromedp.CSS(`[data-review-lines]`)))
	other.run(chromedp.Click(chromedp.CSS(`[data-place]`)))
	other.waitFor(`(document.querySelector(".notice.ok") || {}).textContent.includes("placed")`)
	placed := other.text("h1")

	first.run(chromedp.Click(chromedp.CSS(`[data-place]`)))
	first.waitFor(`(document.querySelector(".notice.ok") || {}).textContent.includes("placed")`)
	if got := first.text("h1"); got != placed {
		t.Errorf("the old review placed %q, the fresh browser %q: want the same order", got, placed)
	}
	if got := orderCount(t, env); got != before {
		t.Errorf("orders: %d after placing the draft twice, want %d (the draft was already one)", got, before)
	}
}

// erpClient reads the simulator as the trusted application, to check what the portal did.
func erpClient(t *testing.T, env *testenv.Env) *erpnet.Client {
	t.Helper()
	c, err := erpnet.NewClient(t.Context(), erpnet.Config{InstanceURL: env.SimURL,
		ClientID: erpnetsim.DemoClientID, ClientSecret: erpnetsim.DemoClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func orderCount(t *testing.T, env *testenv.Env) int {
	t.Helper()
	n, err := erpClient(t, env).Count(t.Context(), erpnet.From(erpnet.SetSalesOrders))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitDraftQuantity waits until Erp.Net has a New Order draft with a line of quantity q.
func waitDraftQuantity(t *testing.T, env *testenv.Env, q float64) {
	t.Helper()
	erp := erpClient(t, env)
	deadline := time.Now().Add(15 * time.Second)
	for {
		var drafts []erpnet.SalesOrder
		err := erp.ListAll(t.Context(), erpnet.From(erpnet.SetSalesOrders).Where(erpnet.Eq("State", erpnet.Enum("New"))).
			Select("Id", "ExternalId").Expand("Lines", erpnet.Query{}.Select("Id", "Quantity")), &drafts)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range drafts {
			if strings.HasPrefix(o.ExternalID, "cc-draft:") && len(o.Lines) == 1 && o.Lines[0].Quantity.Value == q {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no draft with a quantity of %v in Erp.Net", q)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// A promotional package, from its tab: added by number, its lines join the order marked and
// without inputs, the review prices them, and the placed order says which lines came from it.
func TestE2ENewOrderPromotionalPackage(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			b2b := testenv.Instance("b2b")
			b2b.Title, b2b.IsNewOrderEnabled, b2b.NewOrderDocumentType, b2b.DefaultStore = "B2B Orders", true, "SO", "MAIN"
			env := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{b2b}})
			b := newBrowser(t, env, vp)
			b.signIn("b2b", "prices@orbis.example")
			b.run(chromedp.Navigate(env.PortalURL+"/b2b/orders/new"), chromedp.WaitVisible(chromedp.CSS(`button[name=tab][value=packages]`)))
			b.run(chromedp.Click(chromedp.CSS(`button[name=tab][value=packages]`)), chromedp.WaitVisible(chromedp.CSS(`[data-package-choice="PKG-COFFEE"]`)))
			if n := b.count(`[data-package-choice="PKG-MUELLER"], [data-package-choice="PKG-VIP"], [data-package-choice="PKG-SPRING"]`); n != 0 {
				t.Errorf("%d packages not meant for this order are offered", n)
			}
			b.shot("package-choices")
			b.run(
				chromedp.SetValue(chromedp.CSS(`[data-package-choice="PKG-COFFEE"] input`), "2"),
				chromedp.Click(chromedp.CSS(`[data-package-choice="PKG-COFFEE"] button[name=add_package]`)),
			)
			b.waitFor(`document.querySelectorAll('[data-package-line]').length === 3`)
			if n := b.count(`[data-package-line] input`); n != 0 {
				t.Errorf("package lines have %d inputs, want none", n)
			}
			if got := b.text(`[data-package-line="COF-001"] [data-qty]`); got != "4" {
				t.Errorf("COF-001 from 2 packages: quantity %q, want 4", got)
			}
			// Prices as Erp.Net calculates them, on the form.
			b.run(chromedp.Click(chromedp.CSS(`[data-calculate]`)), chromedp.WaitVisible(chromedp.CSS(`[data-priced]`)))
			if got := b.text(`[data-package-line="COF-005"] [data-discount]`); got != "less 15%" {
				t.Errorf("COF-005's package discount shows as %q", got)
			}
			if b.text(`[data-total-pay]`) == "" {
				t.Errorf("no amount to pay after Calculate prices")
			}
			b.shot("package")
			b.run(chromedp.Click(chromedp.CSS(`[data-review]`)), chromedp.WaitVisible(chromedp.CSS(`[data-review-lines]`)))
			if n := b.count(`[data-review-lines] [data-line-package]`); n != 3 {
				t.Errorf("the review marks %d lines with their package, want 3", n)
			}
			b.run(chromedp.Click(chromedp.CSS(`[data-place]`)))
			b.waitFor(`(document.querySelector(".notice.ok") || {}).textContent.includes("placed")`)
			if n := b.count(`[data-line-package]`); n != 3 {
				t.Errorf("the placed order marks %d lines with their package, want 3", n)
			}
			b.shot("package-placed")
		})
	}
}
