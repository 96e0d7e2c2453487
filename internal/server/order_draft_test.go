package server_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/locale"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// draftsOf are the customer's orders in state New that the portal began, as Erp.Net has them.
func draftsOf(t *testing.T, erp *erpnet.Client, login string) []erpnet.SalesOrder {
	t.Helper()
	var all []erpnet.SalesOrder
	q := erpnet.From(erpnet.SetSalesOrders).Where(erpnet.Eq("State", erpnet.Enum("New"))).
		Select("Id", "DocumentNo", "State", "ExternalId", "ExternalSystem", "CustomerPurchaseOrderNo", "DocumentDate").
		Expand("Lines", erpnet.Query{}.Select("Id", "Quantity", "UnitPrice", "LineAmount"))
	if err := erp.ListAll(t.Context(), q, &all); err != nil {
		t.Fatal(err)
	}
	user := strings.ToLower(userIDOf(t, erp, login))
	var out []erpnet.SalesOrder
	for _, o := range all {
		if strings.HasPrefix(o.ExternalID, "cc-draft:cc:"+user+":") && o.ExternalSystem == "ClientCenter" {
			out = append(out, o)
		}
	}
	return out
}

func userIDOf(t *testing.T, erp *erpnet.Client, login string) string {
	t.Helper()
	users, err := erpnet.All[erpnet.User](t.Context(), erp, erpnet.Query{}.Where(erpnet.Eq("Login", erpnet.Str(login))))
	if err != nil || len(users) != 1 {
		t.Fatalf("user %s: %v %d", login, err, len(users))
	}
	return users[0].ID
}

// The order a person writes is kept in Erp.Net as their draft: a fresh browser resumes it, a
// colleague of the same customer does not see it in their form, Orders offers to continue it,
// an unchanged form writes nothing, and a removed line leaves Erp.Net too.
func TestNewOrderDraftIsKeptInErpNet(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	page := addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-001")
	page = b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "line_qty", "3", "po", "PO-DRAFT", "update", "1"))
	drafts := draftsOf(t, erp, "orders@orbis.example")
	if len(drafts) != 1 || len(drafts[0].Lines) != 1 || drafts[0].Lines[0].Quantity.Value != 3 || drafts[0].CustomerPurchaseOrderNo != "PO-DRAFT" {
		t.Fatalf("drafts in Erp.Net: %+v, want one with 3 of one product and its PO number", drafts)
	}
	formID := orderFormValues(t, page).Get("id")
	if !strings.HasSuffix(drafts[0].ExternalID, ":"+strings.ToLower(formID)) {
		t.Errorf("draft ExternalId %q does not name the form %s", drafts[0].ExternalID, formID)
	}

	writes := env.Sim.WriteCalls()
	b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "update", "1"))
	if got := env.Sim.WriteCalls() - writes; got != 0 {
		t.Errorf("an unchanged form made %d writes, want 0", got)
	}

	fresh, _ := env.SignIn(t, "cc", "orders@orbis.example") // another device
	resumed := fresh.Get("/cc/orders/new")
	v := orderFormValues(t, resumed)
	if v.Get("id") != formID || strings.Join(v["line_qty"], ",") != "3" || v.Get("po") != "PO-DRAFT" || resumed.Text("[data-notice]") == "" {
		t.Errorf("a fresh browser shows id %s, quantities %q, PO %q, notice %q; want the draft", v.Get("id"), v["line_qty"], v.Get("po"), resumed.Text("[data-notice]"))
	}
	if got := fresh.Get("/cc/orders"); got.Doc.Find("[data-draft] a[data-continue]").Length() != 1 {
		t.Errorf("Orders does not offer to continue the draft")
	}

	colleague, _ := env.SignIn(t, "cc", "prices@orbis.example")
	if v := orderFormValues(t, colleague.Get("/cc/orders/new")); len(v["line_product"]) != 0 || v.Get("id") == formID {
		t.Errorf("a colleague's form shows %d lines under id %s: another person's draft", len(v["line_product"]), v.Get("id"))
	}
	if got := colleague.Get("/cc/orders"); got.Doc.Find("[data-draft]").Length() != 0 {
		t.Errorf("Orders offers a colleague the draft of another person")
	}

	b.Post("/cc/orders/new", withForm(orderFormValues(t, resumed), "remove", "0"))
	if drafts := draftsOf(t, erp, "orders@orbis.example"); len(drafts) != 1 || len(drafts[0].Lines) != 0 {
		t.Errorf("after removing the line: %+v, want the draft without lines", drafts)
	}
}

// Review order shows the prices Erp.Net calculates (in one front-end transaction that is
// discarded), only to roles that see prices; Place order then places the draft itself, dated
// today and priced, without a second order.
func TestNewOrderReviewPricesThenPlacesTheDraft(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	for _, tt := range []struct {
		login  string
		prices bool
	}{{"prices@orbis.example", true}, {"orders@orbis.example", false}} {
		t.Run(tt.login, func(t *testing.T) {
			b, _ := env.SignIn(t, "cc", tt.login)
			before := salesOrderCount(t, erp)
			page := addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-001")
			env.Sim.ResetCalls()
			review := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "line_qty", "2", "po", "PO-REVIEW", "review", "1"))
			if review.Status != 200 || review.Doc.Find("[data-review-lines] tbody tr").Length() != 1 {
				t.Fatalf("review: %s %.300s", review, review.Text("main"))
			}
			txs := env.Sim.Calls("BeginTransaction")
			if tt.prices {
				if got, want := review.Text("[data-review-lines] [data-unit-price]"), locale.Money("en", 34.90, "BGN"); got != want || txs != 1 {
					t.Errorf("review price %q after %d transactions, want %q after 1", got, txs, want)
				}
				if got, want := review.Text("[data-review-pay]"), locale.Money("en", 83.76, "BGN"); got != want {
					t.Errorf("review amount to pay %q, want %q", got, want)
				}
			} else if review.Doc.Find("[data-review-lines] [data-unit-price], [data-review-pay]").Length() != 0 || txs != 0 {
				t.Errorf("a role without prices sees %d price cells, after %d transactions", review.Doc.Find("[data-review-lines] [data-unit-price]").Length(), txs)
			}
			if env.Sim.OpenTransactions() != 0 {
				t.Errorf("the review left a transaction open")
			}
			drafts := draftsOf(t, erp, tt.login)
			if len(drafts) != 1 {
				t.Fatalf("%d drafts before placing, want 1", len(drafts))
			}
			placed := b.Post("/cc/orders/new", withForm(orderFormValues(t, review), "place", "1"))
			if id := placedOrderID(placed); id != drafts[0].ID {
				t.Fatalf("placed %q (%s), want the draft %s", id, placed.Text("[data-problem]"), drafts[0].ID)
			}
			if got := salesOrderCount(t, erp); got != before+1 {
				t.Errorf("orders: %d, want %d", got, before+1)
			}
			var o erpnet.SalesOrder
			q := erpnet.Query{}.Select("Id", "State", "DocumentDate").Expand("Lines", erpnet.Query{}.Select("Id", "LineAmount"))
			if err := erp.Get(t.Context(), erpnet.SetSalesOrders, drafts[0].ID, q, &o); err != nil {
				t.Fatal(err)
			}
			if o.State != "FirmPlanned" || len(o.Lines) != 1 || o.Lines[0].LineAmount.Value != 69.80 || !sameDate(o.DocumentDate.Time, time.Now()) {
				t.Errorf("placed order: state %s, date %v, lines %+v; want FirmPlanned today with 2 × 34.90", o.State, o.DocumentDate.Time, o.Lines)
			}
			if n := len(draftsOf(t, erp, tt.login)); n != 0 {
				t.Errorf("%d drafts left after placing", n)
			}
		})
	}
}

func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// A draft nobody has changed for new_order_draft_days is deleted; one changed since, a New order
// of the tenant's own staff, and a placed order stay.
func TestNewOrderAbandonedDraftsAreDeleted(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	env := newOrderEnv(t, testenv.Options{Now: clock}) // new_order_draft_days: 30, the default
	erp := newOrderERP(t, env)
	for _, login := range []string{"orders@orbis.example", "prices@orbis.example"} {
		b, _ := env.SignIn(t, "cc", login)
		addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-001")
	}
	// The staff's order is like the draft, of the New Order document type, but not the portal's.
	var like erpnet.SalesOrder
	if err := erp.Get(t.Context(), erpnet.SetSalesOrders, draftsOf(t, erp, "orders@orbis.example")[0].ID,
		erpnet.Query{}.Select("Id", "DocumentType", "EnterpriseCompany", "Customer"), &like); err != nil {
		t.Fatal(err)
	}
	staff := map[string]any{"DocumentType": like.DocumentType.Ref, "EnterpriseCompany": like.EnterpriseCompany.Ref, "Customer": like.Customer.Ref}
	var staffOrder erpnet.SalesOrder
	if err := erp.Create(t.Context(), erpnet.SetSalesOrders, staff, &staffOrder); err != nil {
		t.Fatal(err)
	}
	advance(20 * 24 * time.Hour)
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	b.Post("/cc/orders/new", withForm(orderFormValues(t, b.Get("/cc/orders/new")), "line_qty", "5", "update", "1"))
	advance(11 * 24 * time.Hour)
	n, err := env.Server.SweepDraftsNow(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("swept %d drafts (%v), want 1", n, err)
	}
	if d := draftsOf(t, erp, "orders@orbis.example"); len(d) != 0 {
		t.Errorf("the draft untouched for 31 days is still there: %+v", d)
	}
	if d := draftsOf(t, erp, "prices@orbis.example"); len(d) != 1 {
		t.Errorf("the draft changed 11 days ago is gone (%d left)", len(d))
	}
	if err := erp.Get(t.Context(), erpnet.SetSalesOrders, staffOrder.ID, erpnet.Query{}.Select("Id"), &staffOrder); err != nil {
		t.Errorf("the staff's own New order was deleted: %v", err)
	}
}

// An old copy of the form, kept by a second tab or the back button, never changes an order once
// it is placed: the copy that knew the order is told it was placed and keeps its products for a
// new order; the copy from before the first save starts a new draft.
func TestNewOrderOldFormNeverChangesAPlacedOrder(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	start := b.Get("/cc/orders/new")
	page := addProductToForm(t, b, start, "COF-001")
	placed := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "place", "1"))
	id := placedOrderID(placed)
	if id == "" {
		t.Fatalf("place: %s %q", placed, placed.Text("[data-problem]"))
	}
	lines := func() int {
		var o erpnet.SalesOrder
		if err := erp.Get(t.Context(), erpnet.SetSalesOrders, id, erpnet.Query{}.Select("Id", "ExternalId").Expand("Lines", erpnet.Query{}.Select("Id")), &o); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(o.ExternalID, "cc-order:") {
			t.Errorf("the placed order's ExternalId is %q, want cc-order:…", o.ExternalID)
		}
		return len(o.Lines)
	}
	again := b.Post("/cc/orders/new", withForm(orderFormValues(t, page), "line_qty", "9", "update", "1"))
	if !strings.Contains(again.Text("[data-notice]"), "placed already") || len(orderFormValues(t, again)["line_product"]) != 1 {
		t.Errorf("the placed order's own form: notice %q, %d lines; want told, products kept", again.Text("[data-notice]"), len(orderFormValues(t, again)["line_product"]))
	}
	if orderFormValues(t, again).Get("id") == orderFormValues(t, page).Get("id") {
		t.Errorf("the placed order's form kept its id")
	}
	older := addProductToForm(t, b, start, "HW-004")
	if n := lines(); n != 1 {
		t.Errorf("the placed order has %d lines after old forms were posted, want 1", n)
	}
	drafts := draftsOf(t, erp, "orders@orbis.example")
	if len(drafts) != 1 || drafts[0].ID == id || orderFormValues(t, older).Get("order") != drafts[0].ID {
		t.Errorf("the form from before the first save: drafts %+v (placed %s)", drafts, id)
	}
}

// A placing whose last step (moving the order on) failed is finished by pressing Place order
// again: the order is placed, once, with its priced lines.
func TestNewOrderPlacingAgainFinishesAnInterruptedPlacing(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "prices@orbis.example")
	before := salesOrderCount(t, erp)
	form := withForm(orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "COF-001")), "line_qty", "2", "place", "1")
	env.Sim.SetFaults(erpnetsim.Faults{FailAction: "ChangeState"})
	first := b.Post("/cc/orders/new", form)
	env.Sim.SetFaults(erpnetsim.Faults{})
	if first.Status == 200 || first.Text(`[data-problem="form"]`) == "" {
		t.Fatalf("with ChangeState failing: %s %q, want the form and a problem", first, first.Text("[data-problem]"))
	}
	kept := orderFormValues(t, first)
	if kept.Get("order") != form.Get("order") || kept.Get("id") != form.Get("id") {
		t.Fatalf("the form lost its order after the failure: %v", kept)
	}
	again := b.Post("/cc/orders/new", withForm(kept, "place", "1"))
	id := placedOrderID(again)
	if id != form.Get("order") {
		t.Fatalf("placing again: %s %q, want the order %s", again, again.Text("[data-problem]"), form.Get("order"))
	}
	var o erpnet.SalesOrder
	if err := erp.Get(t.Context(), erpnet.SetSalesOrders, id, erpnet.Query{}.Select("Id", "State").Expand("Lines", erpnet.Query{}.Select("Id", "LineAmount")), &o); err != nil {
		t.Fatal(err)
	}
	if o.State != "FirmPlanned" || len(o.Lines) != 1 || o.Lines[0].LineAmount.Value != 69.80 {
		t.Errorf("after placing again: %s with %+v, want FirmPlanned with one line of 69.80", o.State, o.Lines)
	}
	if got := salesOrderCount(t, erp); got != before+1 {
		t.Errorf("orders: %d, want %d", got, before+1)
	}
}

// Place order pressed twice at once (a double click that reaches the server twice) places one
// order with one set of lines, and both answers name it.
func TestNewOrderConcurrentPlacesMakeOneOrder(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	before := salesOrderCount(t, erp)
	form := withForm(orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "CLN-003")), "place", "1")
	pages := make([]*testenv.Page, 2)
	var wg sync.WaitGroup
	for i := range pages {
		wg.Go(func() { pages[i] = b.Post("/cc/orders/new", form) })
	}
	wg.Wait()
	if placedOrderID(pages[0]) == "" || placedOrderID(pages[0]) != placedOrderID(pages[1]) {
		t.Fatalf("the two posts landed on %s and %s, want the same order", pages[0], pages[1])
	}
	var o erpnet.SalesOrder
	if err := erp.Get(t.Context(), erpnet.SetSalesOrders, placedOrderID(pages[0]), erpnet.Query{}.Select("Id").Expand("Lines", erpnet.Query{}.Select("Id")), &o); err != nil {
		t.Fatal(err)
	}
	if len(o.Lines) != 1 || salesOrderCount(t, erp) != before+1 {
		t.Errorf("after two placings at once: %d lines, %d new orders; want 1 and 1", len(o.Lines), salesOrderCount(t, erp)-before)
	}
}

// A draft cancelled before it was placed is not reported as placed: the form says it was
// cancelled and keeps its products, under a fresh id, for a new order.
func TestNewOrderCancelledDraftIsNotPlaced(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	form := orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "CLN-003"))
	if err := erp.MakeVoid(t.Context(), erpnet.SetSalesOrders, form.Get("order"), "cancelled on Orders"); err != nil {
		t.Fatal(err)
	}
	for _, button := range []string{"place", "review", "update"} {
		p := b.Post("/cc/orders/new", withForm(form, button, "1"))
		msg := p.Text(`[data-problem="form"]`) + p.Text("[data-notice]")
		if placedOrderID(p) != "new" || !strings.Contains(msg, "cancelled") || len(orderFormValues(t, p)["line_product"]) != 1 {
			t.Errorf("%s on a cancelled draft: %s %q, %d lines", button, p, msg, len(orderFormValues(t, p)["line_product"]))
		}
		if v := orderFormValues(t, p); v.Get("id") == form.Get("id") || v.Get("order") != "" {
			t.Errorf("%s on a cancelled draft kept its ids", button)
		}
	}
}

// Review order in a second tab after the order was placed in the first says so and starts no
// new draft; so does the page's own save of a form typed in meanwhile.
func TestNewOrderReviewAfterPlacingElsewhere(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	form := orderFormValues(t, addProductToForm(t, b, b.Get("/cc/orders/new"), "CLN-003"))
	if id := placedOrderID(b.Post("/cc/orders/new", withForm(form, "place", "1"))); id == "" {
		t.Fatal("the first tab did not place the order")
	}
	review := b.Post("/cc/orders/new", withForm(form, "line_qty", "4", "review", "1"))
	if review.Status != 409 || !strings.Contains(review.Text(`[data-problem="form"]`), "placed already") {
		t.Errorf("review in the second tab: %s %q", review, review.Text("[data-problem]"))
	}
	save := b.Post("/cc/orders/new", withForm(form, "line_qty", "5", "save", "1"))
	if !strings.Contains(save.Body, `"refresh":true`) {
		t.Errorf("the page's save after placing: %s", save.Body)
	}
	if d := draftsOf(t, erp, "orders@orbis.example"); len(d) != 0 {
		t.Errorf("%d drafts were started by the second tab", len(d))
	}
}

// A form that did not know the person's draft (opened on another device before the draft was
// begun, or while Erp.Net could not say) joins it rather than wiping it; a quantity being
// corrected leaves the line as Erp.Net has it.
func TestNewOrderFormJoinsTheDraftItDidNotKnow(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{})
	erp := newOrderERP(t, env)
	phone, _ := env.SignIn(t, "cc", "orders@orbis.example")
	desk, _ := env.SignIn(t, "cc", "orders@orbis.example")
	deskStart := desk.Get("/cc/orders/new") // before the draft exists
	page := addProductToForm(t, phone, phone.Get("/cc/orders/new"), "COF-001")
	phone.Post("/cc/orders/new", withForm(orderFormValues(t, page), "line_qty", "3", "po", "PO-PHONE", "update", "1"))

	// The desk's first post (a search) finds the phone's draft; its product joins it next.
	found := desk.Post("/cc/orders/new", withForm(orderFormValues(t, deskStart), "q", "HW-004", "search", "1"))
	if !strings.Contains(found.Doc.Find("[data-notice]").Text(), "joined") || len(orderFormValues(t, found)["line_product"]) != 1 {
		t.Errorf("the desk's form after its first post: notice %q, %d lines; want the phone's line", found.Doc.Find("[data-notice]").Text(), len(orderFormValues(t, found)["line_product"]))
	}
	addID, _ := found.Doc.Find(`li[data-product="HW-004"] button[name=add]`).Attr("value")
	joined := desk.Post("/cc/orders/new", withForm(orderFormValues(t, found), "add", addID))
	v := orderFormValues(t, joined)
	if len(v["line_product"]) != 2 || v.Get("po") != "PO-PHONE" {
		t.Errorf("the desk's form: %d lines, PO %q; want both lines and the phone's PO number", len(v["line_product"]), v.Get("po"))
	}
	drafts := draftsOf(t, erp, "orders@orbis.example")
	if len(drafts) != 1 || len(drafts[0].Lines) != 2 {
		t.Fatalf("drafts: %+v, want one with both lines", drafts)
	}
	desk.Post("/cc/orders/new", withForm(v, "line_qty", "1,", "update", "1")) // the first line being retyped
	if d := draftsOf(t, erp, "orders@orbis.example"); len(d) != 1 || len(d[0].Lines) != 2 {
		t.Errorf("a quantity being typed dropped a line: %+v", d)
	}
}
