package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// seededInvoiceConversation is the invoice the seed has a conversation on (the portal's
// question and the staff's answer).
func seededInvoiceConversation(t *testing.T, env *testenv.Env) string {
	t.Helper()
	var out struct {
		Value []struct {
			ExternalID string `json:"ExternalId"`
		}
	}
	env.API(t, "Communities_Social_Comments?$select=Id,ExternalId&$top=1000", &out)
	for _, c := range out.Value {
		if p := strings.Split(c.ExternalID, ":"); len(p) == 4 && p[1] == "i" && p[3] == "seed" {
			return p[2]
		}
	}
	t.Fatal("no seeded conversation on an invoice")
	return ""
}

// TestE2EPayStatementAndMessages: a Billing user sees on Home that the supplier answered, pays
// several due items by one transfer (the EPC QR code shown, copy buttons on), reads the statement
// of account, and on the invoice reads the answer and writes a message; Home then no longer
// lists the answer as new.
func TestE2EPayStatementAndMessages(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true})
			inv := seededInvoiceConversation(t, env)
			b := newBrowser(t, env, vp)
			b.signIn("cc", "billing@orbis.example")
			b.run(chromedp.WaitVisible(chromedp.CSS(`[data-answers] [data-answer-doc="` + inv + `"]`)))
			b.shot("home-answers")

			b.run(chromedp.Navigate(env.PortalURL+"/cc/due-payments"), chromedp.WaitVisible(chromedp.CSS(`[data-pay-link]`)))
			b.run(chromedp.Click(chromedp.CSS(`[data-pay-link]`)), chromedp.WaitVisible(chromedp.CSS(`[data-pay-items]`)))
			// Choose every open item: one transfer per currency.
			if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`(() => { const all = document.querySelectorAll("[data-pay-items] input[name=d]"); all.forEach(c => c.checked = true); return all.length; })()`)); err != nil {
				t.Fatal(err)
			}
			b.run(chromedp.Submit(chromedp.CSS(`[data-pay-items] input[name=d]`)), chromedp.WaitVisible(chromedp.CSS(`[data-transfer=EUR] [data-qr] svg`)))
			if n := b.count(`[data-transfer]`); n != 2 {
				t.Errorf("%d transfers, want one in BGN and one in EUR", n)
			}
			if n := b.count(`button[data-copy]:not([hidden])`); n < 6 {
				t.Errorf("%d copy buttons shown", n)
			}
			b.shot("pay")

			b.run(chromedp.Navigate(env.PortalURL+"/cc/statement"), chromedp.WaitVisible(chromedp.CSS(`[data-statement=BGN] [data-closing-balance]`)))
			b.shot("statement")

			b.run(chromedp.Navigate(env.PortalURL+"/cc/invoices/"+inv), chromedp.WaitVisible(chromedp.CSS(`[data-messages] [data-message=true]`)))
			b.run(
				chromedp.SendKeys(chromedp.CSS(`[data-messages] textarea[name=text]`), "Thank you. We pay on Friday."),
				chromedp.Submit(chromedp.CSS(`[data-messages] textarea[name=text]`)),
				chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
			)
			if got := b.text(`[data-messages] [data-message=false]:last-of-type .msg-text`); got != "Thank you. We pay on Friday." {
				t.Errorf("the last message of the customer reads %q", got)
			}
			b.shot("invoice-messages")

			// Read since the answer: Home no longer lists it as new.
			b.run(chromedp.Navigate(env.PortalURL+"/cc/"), chromedp.WaitVisible(chromedp.CSS(`nav.menu`)))
			b.waitFor(`(() => { const s = document.querySelector("[data-answers]"); return !s || s.hidden; })()`)
		})
	}
}
