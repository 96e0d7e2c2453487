package portal

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Probe is one query shape of the portal tried against the connected Erp.Net by SelfTest.
type Probe struct {
	Page string // the page or action that would break, e.g. "Orders"
	What string // what was asked, e.g. "sorted by number"
	Err  error  // nil when Erp.Net answered
}

// SelfTest sends, read-only, every query shape the pages of this Client Center use — each
// list's scope, every search and every offered sort and status, the document reads with their
// expands, the lookups of sign-in, User Management and New Order — on behalf of a customer of
// the instance's enterprise company, one call at a time. It returns every probe made; those
// Erp.Net refused carry its error. The documentation is the portal's only source for what the
// server accepts; this shows a tenant at once anything it got wrong for their build.
func (s *Service) SelfTest(ctx context.Context) ([]Probe, error) {
	v, err := s.probeViewer(ctx)
	if err != nil {
		return nil, err
	}
	var out []Probe
	try := func(page, what string, fn func() error) {
		out = append(out, Probe{Page: page, What: what, Err: fn()})
	}
	listParams := func(sort string, desc bool) ListParams { return ListParams{Sort: sort, Desc: desc, Size: PageSizes[0]} }

	try("Sign-in", "the person's access records", func() error {
		_, err := s.Viewer(ctx, Who{UserID: v.UserID, Login: v.Login, Name: v.Name})
		var pe *Error
		if errors.As(err, &pe) {
			return nil // the probed person may lack a role: the query itself was answered
		}
		return err
	})
	if v.Login != "" {
		try("Sign-in", "the user by login", func() error { _, err := s.FindUser(ctx, v.Login); return err })
	}
	try("Home", "this month's orders and invoices", func() error {
		if _, err := s.OrdersThisMonth(ctx, v); err != nil {
			return err
		}
		_, err := s.InvoicesThisMonth(ctx, v)
		return err
	})
	try("Customer Profile", "the company, its contacts and shared files", func() error { _, err := s.Profile(ctx, v, true); return err })

	if s.inst.IsOrdersEnabled {
		var firstOrder string
		for _, sort := range sortKeys(orderSorts) {
			try("Orders", "sorted by "+sort, func() error {
				page, err := s.Orders(ctx, v, listParams(sort, true))
				if err == nil && len(page.Rows) > 0 && firstOrder == "" {
					firstOrder = page.Rows[0].ID
				}
				return err
			})
		}
		for _, st := range OrderStatuses {
			try("Orders", "status "+st, func() error { _, err := s.Orders(ctx, v, ListParams{Status: st}); return err })
		}
		try("Orders", "search", func() error { _, err := s.Orders(ctx, v, ListParams{Search: "1"}); return err })
		if firstOrder != "" {
			try("Order", "an order with its lines", func() error { _, err := s.GetOrder(ctx, v, firstOrder); return err })
			try("Order", "its messages", func() error { _, err := s.Messages(ctx, v, DocOrder, firstOrder); return err })
		}
	}
	var firstInvoice string
	for _, sort := range sortKeys(invoiceSorts) {
		try("Invoices", "sorted by "+sort, func() error {
			page, err := s.Invoices(ctx, v, listParams(sort, true))
			if err == nil && len(page.Rows) > 0 && firstInvoice == "" {
				firstInvoice = page.Rows[0].ID
			}
			return err
		})
	}
	for _, st := range InvoiceStatuses {
		try("Invoices", "status "+st, func() error { _, err := s.Invoices(ctx, v, ListParams{Status: st}); return err })
	}
	try("Invoices", "search", func() error { _, err := s.Invoices(ctx, v, ListParams{Search: "1"}); return err })
	if firstInvoice != "" {
		try("Invoice", "an invoice with its lines, payments and orders", func() error { _, err := s.GetInvoice(ctx, v, firstInvoice); return err })
		try("Invoice", "its messages", func() error { _, err := s.Messages(ctx, v, DocInvoice, firstInvoice); return err })
	}
	try("Pay by bank transfer", "the enterprise company's payment accounts and bank accounts", func() error {
		_, err := s.bankAccount(ctx, v, "EUR")
		return err
	})
	try("Statement of account", "the payment orders and payments of 90 days", func() error {
		_, err := s.Statement(ctx, v, s.today().AddDate(0, 0, -90), s.today())
		return err
	})
	try("Home", "answers to the person's messages", func() error { _, err := s.Answers(ctx, v); return err })
	try("Due Payments", "the open items and their aging", func() error {
		if _, err := s.DuePayments(ctx, v, ListParams{}); err != nil {
			return err
		}
		_, err := s.DueSummary(ctx, v)
		return err
	})
	try("Payment History", "the payments of 12 months", func() error { _, err := s.Payments(ctx, v, ListParams{}); return err })
	try("User Management", "the customer's portal users", func() error { _, err := s.Users(ctx, v); return err })
	try("User Management", "the roles the server has", func() error { _, err := s.roleSet(ctx); return err })
	if s.NewOrderOn() {
		try("New Order", "the settings' document type, channel and store", func() error {
			ps, err := s.SetupProblems(ctx)
			if err == nil && len(ps) > 0 {
				err = fmt.Errorf("%s: %s", ps[0].Setting, ps[0].Detail)
			}
			return err
		})
		try("New Order", "the form with a product search", func() error {
			_, err := s.NewOrderForm(ctx, v, NewDraft(), "a", "", nil)
			return err
		})
	}
	return out, nil
}

// probeViewer acts for the first customer of the instance's enterprise company, with the
// widest role and a 30-day horizon, as the person of one of its access records when it has one.
func (s *Service) probeViewer(ctx context.Context) (*Viewer, error) {
	ec, err := s.enterpriseCompanyID(ctx, nil)
	if err != nil {
		return nil, err
	}
	if err := s.resolveDocTypes(ctx); err != nil {
		return nil, err
	}
	var custs []erpnet.Customer
	q := erpnet.From(erpnet.SetCustomers).Where(erpnet.Eq("EnterpriseCompany", erpnet.NewRef(erpnet.SetEnterpriseCompanies, ec)),
		erpnet.Eq("Active", erpnet.Bool(true))).Select("Id", "Number", "Party").Expand("Party").Top(1)
	if _, err := s.erp.ListPage(ctx, q, &custs); err != nil {
		return nil, err
	}
	if len(custs) == 0 {
		return nil, errors.New("the enterprise company has no active customer to try the pages with")
	}
	c := custs[0]
	days := 30
	a := Access{CustomerID: c.ID, CustomerNumber: c.Number, PartyID: c.Party.Ref.ID, Role: access.Owner, DaysBack: &days}
	if p := c.Party.Entity; p != nil {
		a.CustomerName, a.PartyCode = p.PartyName.String(), p.PartyCode
	}
	v := &Viewer{Login: "", Name: "self-test", Accesses: []Access{a}}
	v.Current = &v.Accesses[0]
	var recs []erpnet.ExternalAccess
	aq := erpnet.From(erpnet.SetExternalAccess).Where(erpnet.Eq("Customer", customerRef(c.ID))).
		Select("Id").Expand("User", erpnet.Query{}.Select("Id", "Login")).Top(1)
	if _, err := s.erp.ListPage(ctx, aq, &recs); err != nil {
		return nil, err
	}
	if len(recs) > 0 {
		v.UserID = recs[0].User.ID
		if u := recs[0].User.Entity; u != nil {
			v.Login = u.Login
		}
	}
	return v, nil
}

// sortKeys are a list's sort keys in a stable order, the default ("") first.
func sortKeys[V any](sorts map[string]V) []string {
	keys := []string{""}
	for k := range sorts {
		keys = append(keys, k)
	}
	slices.Sort(keys[1:])
	return keys
}

// WriteProbe places a test order for the probe's customer inside a front-end transaction that is
// rolled back, so nothing is saved, and reports what Erp.Net calculated: the amounts of one
// line of the first active product, and whether the order may move to PlacedState.
func (s *Service) WriteProbe(ctx context.Context) (string, error) {
	if !s.NewOrderOn() {
		return "", errors.New("New Order is off for this Client Center")
	}
	v, err := s.probeViewer(ctx)
	if err != nil {
		return "", err
	}
	setup, err := s.orderSetup(ctx)
	if err != nil {
		return "", err
	}
	cust, err := s.orderCustomer(ctx, v)
	if err != nil {
		return "", err
	}
	var prods []erpnet.Product
	if _, err := s.erp.ListPage(ctx, productQuery().Where(erpnet.Eq("Active", erpnet.Bool(true))).Top(1), &prods); err != nil || len(prods) == 0 {
		return "", errors.Join(errors.New("no active product to order"), err)
	}
	tx, err := s.erp.BeginTransaction(ctx)
	if err != nil {
		return "", err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }() // nothing of the probe is kept
	in := erpnet.InTransaction(ctx, tx)
	head := s.orderHead(v, setup, cust, "selftest-"+erpnet.NewID(), "Client Center self-test (not saved)")
	var created erpnet.SalesOrder
	if err := s.erp.Create(in, erpnet.SetSalesOrders, head, &created); err != nil {
		return "", fmt.Errorf("creating the order: %w", err)
	}
	line := newOrderLine{Product: erpnet.NewRef(erpnet.SetProducts, prods[0].ID), Quantity: erpnet.Quantity{Value: 1, Unit: productUnit(prods[0])}}
	if err := s.erp.Patch(in, erpnet.SetSalesOrders, created.ID, map[string]any{"Lines": []newOrderLine{line}}); err != nil {
		return "", fmt.Errorf("adding a line: %w", err)
	}
	var o erpnet.SalesOrder
	if err := s.erp.Get(in, erpnet.SetSalesOrders, created.ID, erpnet.Query{}.Select("default", "Id", "AmountToPay", "TotalLineAmount").
		Expand("Lines", erpnet.Query{}.Select("default", "Id")), &o); err != nil {
		return "", fmt.Errorf("reading it back: %w", err)
	}
	state := "allowed"
	if err := s.erp.ChangeState(in, erpnet.SetSalesOrders, created.ID, PlacedState); err != nil {
		state = "refused: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "a test order of 1 × %s was priced %s (lines %s, to pay %s); moving it to %s: %s; nothing was saved",
		prods[0].PartNumber, linePrice(o), o.TotalLineAmount, o.AmountToPay, PlacedState, state)
	return b.String(), nil
}

func linePrice(o erpnet.SalesOrder) string {
	if len(o.Lines) == 0 {
		return "(no line came back)"
	}
	return o.Lines[0].UnitPrice.String()
}
