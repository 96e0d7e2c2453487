package portal

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// OrderForm is the New Order page: the draft as typed, each line with what is known of its
// product, the problems found, and the product picker. Price fields are nil for roles that do
// not see prices, so they cannot reach the page.
type OrderForm struct {
	Draft OrderDraft
	// Lines are the draft's own lines, then its packages' (Locked).
	Lines []FormLine
	// Packages are the promotional packages in the draft.
	Packages []FormPackage
	Problems Problems
	// Notices are information about the form, such as lines of an old order left out.
	Notices []string
	// Prices is true when the viewer's role sees prices.
	Prices bool
	// Priced is true when the lines' prices and the totals are Erp.Net's, calculated for this
	// very form (ApplyPrices); the form shows no other prices than the picker's list prices.
	Priced                  bool
	Total, VAT, AmountToPay *Money

	Search string
	// Tab is the picker's source shown: "" the Order tab (search, the products ordered most,
	// the catalogue), TabMine the customer's own products; Tabs are those offered.
	Tab          string
	Tabs         []PickerTab
	Results      []ProductChoice
	ResultsTitle string
	NoResults    string
	// PackageChoices are the promotional packages offered, on the picker's TabPackages.
	PackageChoices []PackageChoice
	// Availability is true when the lines show what the default store can promise.
	Availability bool
}

// ProblemSummary says how many fields need correcting, for the top of the form, where a person
// who pressed Place order at the bottom looks first; "" when none do.
func (f *OrderForm) ProblemSummary() string {
	n := 0
	for k := range f.Problems {
		if k != "form" {
			n++
		}
	}
	switch n {
	case 0:
		return ""
	case 1:
		return "The order was not placed: please correct the marked field."
	}
	return "The order was not placed: please correct the " + strconv.Itoa(n) + " marked fields."
}

// FormLine is a line of the form.
type FormLine struct {
	Index                             int
	ProductID, PartNumber, Name, Unit string
	// InfoID is the product's Id in Erp.Net when it is offered (found and active): its page.
	InfoID            string
	Quantity, Notes   string
	UnitPrice, Amount *Money
	// Availability is what the default store can promise of the quantity (Available*), "" when
	// it is not shown; Available is the quantity there when it is short.
	Availability                    string
	Available                       float64
	ProductProblem, QuantityProblem string
	NotesProblem                    string
	// Package is the name of the promotional package a Locked line comes from: its quantity
	// follows the number of packages, and it has no inputs of its own.
	Package string
	Locked  bool
	// Discount is the package's discount on a Locked line, a fraction (0.15 is 15%).
	Discount float64
}

// customerForOrders is what placing an order needs of the customer.
type customerForOrders struct {
	Location     erpnet.Ref
	Channel      erpnet.Ref // the customer's default distribution channel
	Currency     erpnet.Ref
	CurrencyCode string
}

// orderCustomer reads the viewer's customer's serving location and currency. It is cached as
// reference data, keyed by the customer but outside its scope, so that placing an order (which
// drops the customer's cached data) leaves it there for showing the form again while Erp.Net
// is slow.
func (s *Service) orderCustomer(ctx context.Context, v *Viewer) (customerForOrders, error) {
	q := erpnet.Query{}.Select("Id", "ServicedByEnterpriseCompanyLocation", "DefaultDistributionChannel").Expand("DefaultCurrency", erpnet.Query{}.Select("Id", "CurrencySign"))
	key := "order-customer:" + strings.ToLower(v.Current.CustomerID)
	c, err := cached(ctx, s, v, "", cache.KindProducts, key, func(ctx context.Context) (erpnet.Customer, error) {
		var c erpnet.Customer
		err := s.erp.Get(ctx, erpnet.SetCustomers, v.Current.CustomerID, q, &c)
		return c, err
	})
	if err != nil {
		return customerForOrders{}, err
	}
	out := customerForOrders{Location: c.ServicedByEnterpriseCompanyLocation, Currency: c.DefaultCurrency.Ref, Channel: c.DefaultDistributionChannel}
	if cur := c.DefaultCurrency.Entity; cur != nil {
		out.CurrencyCode = cur.CurrencySign
	}
	return out, nil
}

// errNoLocation is the vendor's CC007: the customer has no serving location, which every sales
// order needs.
func (s *Service) errNoLocation() *Error {
	return ccErr(KindUnavailable, "CC007", "Orders cannot be placed yet",
		"Your company's customer record in the ERP system has no serving location, so orders cannot be placed here yet. Please tell your contact at %s.", s.inst.Title)
}

// NewOrderForm builds the New Order page for a draft: the lines with their products and, for
// roles that see prices, estimated prices and totals; problems (from placing) next to their
// fields; and the picker, showing search results or, with no search, the customer's own
// products (unless the instance hides them) or the start of the catalogue.
func (s *Service) NewOrderForm(ctx context.Context, v *Viewer, d OrderDraft, search, tab string, problems Problems) (*OrderForm, error) {
	search = strings.TrimSpace(search)
	if r := []rune(search); len(r) > 100 {
		search = string(r[:100])
	}
	f := &OrderForm{Draft: d, Problems: problems, Search: search, Tab: tab, Prices: v.Current.Role.Can(access.ViewOrderPrices)}
	if f.Problems == nil {
		f.Problems = Problems{}
	}
	cust, err := s.orderCustomer(ctx, v)
	if err != nil {
		return nil, err
	}
	if cust.Location.IsZero() {
		f.Notices = append(f.Notices, s.errNoLocation().Message+" (CC007)")
	}
	currency := ""
	if f.Prices {
		currency = cust.CurrencyCode
	}
	ids := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		ids[i] = l.ProductID
	}
	products, err := s.productsByID(ctx, v, ids)
	if err != nil {
		return nil, err
	}
	for i, l := range d.Lines {
		fl := FormLine{Index: i, ProductID: l.ProductID, Quantity: l.Quantity, Notes: l.Notes,
			ProductProblem: problems[LineKey(i, "product")], QuantityProblem: problems[LineKey(i, "quantity")],
			NotesProblem: problems[LineKey(i, "notes")]}
		p, ok := products[strings.ToLower(l.ProductID)]
		if ok {
			fl.PartNumber, fl.Name, fl.Unit = p.PartNumber, s.text(v, p.Name), productUnit(p)
			if p.Active {
				fl.InfoID = strings.ToLower(p.ID)
			}
		} else {
			fl.Name = "Unknown product"
		}
		f.Lines = append(f.Lines, fl)
	}
	pkgs, offered, pkgErr := s.offeredPackages(ctx, v, s.draftDay(v, d))
	for i, dp := range d.Packages {
		fp := FormPackage{Index: i, ID: dp.ID, Count: dp.Count, Problem: problems[PackageKey(i)]}
		p, ok := pkgs[strings.ToLower(dp.ID)]
		switch {
		case ok:
			fp.Code, fp.Name = p.Code, p.Name
		case pkgErr == nil:
			fp.Gone = true
			if fp.Problem == "" {
				fp.Problem = "This promotional package is not offered for this order. Remove it."
			}
		}
		f.Packages = append(f.Packages, fp)
		n, nok := ParsePackageCount(dp.Count)
		if !ok {
			continue
		}
		for _, pl := range p.Lines {
			prod := *pl.Product.Entity
			fl := FormLine{Index: -1, ProductID: prod.ID, PartNumber: prod.PartNumber, Name: s.text(v, prod.Name), Unit: productUnit(prod),
				InfoID: strings.ToLower(prod.ID), Package: p.Name, Locked: true}
			if nok {
				fl.Quantity = strconv.FormatFloat(pl.Quantity.Value*float64(n), 'f', -1, 64)
			}
			f.Lines = append(f.Lines, fl)
		}
	}
	if err := s.markAvailability(ctx, v, f); err != nil {
		// Availability is an aid: while Erp.Net does not give it, the lines show without it.
		f.Availability = false
	}
	if pkgErr == nil {
		f.PackageChoices = s.packageChoices(v, pkgs, offered, currency, f.Prices)
	}
	if err := s.fillPicker(ctx, v, f, currency, cust.Channel); err != nil {
		// The lines matter more than the picker: while Erp.Net does not answer, the form still
		// comes back with everything typed.
		if !erpnet.IsUnavailable(err) && !erpnet.IsRateLimited(err) {
			return nil, err
		}
		f.Results, f.NoResults = nil, "Products cannot be listed right now: the ERP system is not answering. Your lines are kept."
	}
	return f, nil
}

// fillPicker lists the products the picker offers.
func (s *Service) fillPicker(ctx context.Context, v *Viewer, f *OrderForm, currency string, customerChannel erpnet.Ref) error {
	counts := map[string]int{}
	var ranked []productCount
	if !s.inst.HideCustomerProducts {
		var err error
		if ranked, err = s.customerProducts(ctx, v); err != nil {
			return err
		}
		for _, r := range ranked {
			counts[r.ID] = r.Count
		}
	}
	// My products: the customer's own, offered while the instance shows them and there are any.
	var mine []erpnet.Product
	if !s.inst.HideCustomerProducts {
		var err error
		if mine, err = s.myProducts(ctx, v); err != nil {
			return err
		}
	}
	f.Tabs = []PickerTab{{Key: "", Label: "Order"}}
	if len(mine) > 0 {
		f.Tabs = append(f.Tabs, PickerTab{Key: TabMine, Label: "My products"})
	}
	if len(f.PackageChoices) > 0 {
		f.Tabs = append(f.Tabs, PickerTab{Key: TabPackages, Label: "Promotional packages"})
	}
	// The products listed in the customer's default channel (unless the instance hides
	// channels) and in the Client Center's own, each a tab named after its channel, when not empty.
	listed := map[string][]erpnet.Product{}
	var channels []erpnet.Ref
	if !s.inst.HideDistributionChannel && !customerChannel.IsZero() {
		channels = append(channels, customerChannel)
	}
	if setup, err := s.orderSetup(ctx); err == nil && !setup.Channel.IsZero() && !strings.EqualFold(setup.Channel.ID, customerChannel.ID) {
		channels = append(channels, setup.Channel)
	}
	for _, ch := range channels {
		name, products, err := s.channelProducts(ctx, v, ch.ID)
		if err != nil {
			return err
		}
		if len(products) > 0 {
			key := TabChannel + strings.ToLower(ch.ID)
			listed[key] = products
			f.Tabs = append(f.Tabs, PickerTab{Key: key, Label: name})
		}
	}
	if f.Search != "" || !slices.ContainsFunc(f.Tabs, func(t PickerTab) bool { return t.Key == f.Tab }) {
		f.Tab = "" // a search is the Order tab's
	}
	var products []erpnet.Product
	switch {
	case f.Tab == TabPackages:
		f.ResultsTitle = "Promotional packages"
		return nil
	case f.Tab == TabMine:
		products = mine
		f.ResultsTitle = "My products"
	case f.Tab != "":
		products = listed[f.Tab]
		for _, t := range f.Tabs {
			if t.Key == f.Tab {
				f.ResultsTitle = t.Label
			}
		}
	case f.Search != "":
		found, err := s.searchProducts(ctx, v, f.Search)
		if err != nil {
			return err
		}
		// The customer's own products come first, most ordered first; the rest keep their order.
		products = slices.Clone(found)
		slices.SortStableFunc(products, func(a, b erpnet.Product) int { return counts[strings.ToLower(b.ID)] - counts[strings.ToLower(a.ID)] })
		f.ResultsTitle = `Products matching "` + f.Search + `"`
		f.NoResults = `No product on sale matches "` + f.Search + `". Try part of the part number or of the name.`
	case len(ranked) > 0:
		ids := make([]string, 0, maxCustomerChoices)
		for _, r := range ranked[:min(len(ranked), maxCustomerChoices*2)] {
			ids = append(ids, r.ID)
		}
		byID, err := s.productsByID(ctx, v, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if p, ok := byID[id]; ok && p.Active && len(products) < maxCustomerChoices {
				products = append(products, p)
			}
		}
		f.ResultsTitle = "Products you order most"
	}
	if f.Search == "" && len(products) == 0 {
		first, err := s.catalogueFirst(ctx, v)
		if err != nil {
			return err
		}
		products = first
		f.ResultsTitle = "Products"
		f.NoResults = "No product is on sale right now."
	}
	f.Results = s.productChoices(ctx, v, products, counts, currency, f.Prices)
	return nil
}

// ReorderDraft is a new draft with the lines of one of the customer's orders ("Order again"):
// the products still sold, in the same quantities. An order the viewer may not see is not found.
// The notice tells of lines left out.
func (s *Service) ReorderDraft(ctx context.Context, v *Viewer, orderID string) (OrderDraft, string, error) {
	o, err := s.GetOrder(ctx, v, orderID)
	if err != nil {
		return OrderDraft{}, "", err
	}
	ids := make([]string, len(o.Lines))
	for i, l := range o.Lines {
		ids[i] = l.ProductID
	}
	products, err := s.productsByID(ctx, v, ids)
	if err != nil {
		return OrderDraft{}, "", err
	}
	d := NewDraft()
	d.FromOrder = o.Number
	left := 0
	var packaged []OrderLine // lines of promotional packages: the packages are ordered again
	for _, l := range o.Lines {
		if l.PackageID != "" {
			packaged = append(packaged, l)
			continue
		}
		p, ok := products[strings.ToLower(l.ProductID)]
		if !ok || !p.Active || l.Quantity <= 0 || len(d.Lines) == MaxOrderLines {
			left++
			continue
		}
		d.Lines = append(d.Lines, DraftLine{ProductID: p.ID, Quantity: strconv.FormatFloat(l.Quantity, 'f', -1, 64)})
	}
	notice := ""
	switch {
	case left == 1:
		notice = "1 line of order " + o.Number + " was left out: its product is no longer sold."
	case left > 1:
		notice = strconv.Itoa(left) + " lines of order " + o.Number + " were left out: their products are no longer sold."
	}
	if len(packaged) > 0 {
		gone, err := s.reorderPackages(ctx, v, &d, packaged)
		if err != nil {
			return OrderDraft{}, "", err
		}
		switch {
		case gone == 1:
			notice = strings.TrimSpace(notice + " The lines of a promotional package of order " + o.Number + " were left out: the package is no longer offered.")
		case gone > 1:
			notice = strings.TrimSpace(notice + " The lines of " + strconv.Itoa(gone) + " promotional packages of order " + o.Number + " were left out: the packages are no longer offered.")
		}
	}
	return d, notice, nil
}

// reorderPackages adds to d the promotional packages the lines came from, where they are still
// offered, as many as the order had (a line's quantity over its package line's); it returns how
// many packages are no longer offered.
func (s *Service) reorderPackages(ctx context.Context, v *Viewer, d *OrderDraft, lines []OrderLine) (int, error) {
	offered, _, err := s.offeredPackages(ctx, v, s.orderDay())
	if err != nil {
		return 0, err
	}
	gone := map[string]bool{}
	for _, l := range lines {
		id := strings.ToLower(l.PackageID)
		if slices.ContainsFunc(d.Packages, func(p DraftPackage) bool { return strings.EqualFold(p.ID, id) }) {
			continue
		}
		p, ok := offered[id]
		i := slices.IndexFunc(p.Lines, func(pl erpnet.PromotionalPackageLine) bool { return strings.EqualFold(pl.Product.Ref.ID, l.ProductID) })
		if !ok || i < 0 {
			gone[id] = true
			continue
		}
		n := max(1, int(math.Round(l.Quantity/p.Lines[i].Quantity.Value)))
		d.AddPackage(p.ID, strconv.Itoa(min(n, MaxPackageCount)))
	}
	for _, p := range d.Packages {
		delete(gone, strings.ToLower(p.ID))
	}
	return len(gone), nil
}

// TabMine is the picker's tab of the customer's own products; a channel's tab is TabChannel
// and the channel's Id.
const (
	TabMine     = "mine"
	TabPackages = "packages"
	TabChannel  = "channel:"
)

// channelProducts are the products listed in a distribution channel
// (Crm_Marketing_ProductDistributionChannels): active listings, in their dates today, of
// products still sold, in part-number order; with the channel's name in the viewer's language.
// Listings are the same for every customer: kept as reference data.
func (s *Service) channelProducts(ctx context.Context, v *Viewer, channelID string) (string, []erpnet.Product, error) {
	type listing struct {
		FromDate            erpnet.Time                             `json:"FromDate"`
		ToDate              erpnet.Time                             `json:"ToDate"`
		Product             erpnet.Link[erpnet.Product]             `json:"Product"`
		DistributionChannel erpnet.Link[erpnet.DistributionChannel] `json:"DistributionChannel"`
	}
	// The dates are filtered here: an empty ToDate (never de-listed) would fail a `ge`.
	q := erpnet.From(erpnet.SetProductChannels).Where(erpnet.Eq("DistributionChannel", erpnet.NewRef(setDistributionChannels, channelID)), erpnet.Eq("IsActive", erpnet.Bool(true))).
		Select("Id", "FromDate", "ToDate").Expand("Product", productQuery()).Expand("DistributionChannel", erpnet.Query{}.Select("Id", "Code", "Name")).
		Top(maxCustomerChoices * 5)
	rows, err := cached(ctx, s, v, "", cache.KindProducts, q.String(), func(ctx context.Context) ([]listing, error) {
		var out []listing
		_, err := s.erp.ListPage(ctx, q, &out)
		return out, err
	})
	if err != nil {
		return "", nil, err
	}
	today := s.today()
	name := ""
	var out []erpnet.Product
	for _, r := range rows {
		if dc := r.DistributionChannel.Entity; dc != nil && name == "" {
			name = s.text(v, dc.Name)
		}
		p := r.Product.Entity
		if p == nil || !p.Active || r.FromDate.After(today) || !r.ToDate.IsZero() && r.ToDate.Before(today) {
			continue
		}
		out = append(out, *p)
	}
	slices.SortStableFunc(out, func(a, b erpnet.Product) int { return strings.Compare(a.PartNumber, b.PartNumber) })
	return name, out[:min(len(out), maxCustomerChoices)], nil
}

// PickerTab is a source of products the New Order picker offers.
type PickerTab struct{ Key, Label string }

// myProducts are the customer's own products (Crm_Sales_CustomerProducts) that are active, in
// their dates today and still sold, in part-number order; cached with the customer's data.
func (s *Service) myProducts(ctx context.Context, v *Viewer) ([]erpnet.Product, error) {
	type customerProduct struct {
		IsActive bool                        `json:"IsActive"`
		FromDate erpnet.Time                 `json:"FromDate"`
		ToDate   erpnet.Time                 `json:"ToDate"`
		Product  erpnet.Link[erpnet.Product] `json:"Product"`
	}
	// The dates are filtered here: ToDate may be empty (open-ended), which `ge` would leave out.
	q := erpnet.From(erpnet.SetCustomerProducts).Where(erpnet.Eq("Customer", customerRef(v.Current.CustomerID)), erpnet.Eq("IsActive", erpnet.Bool(true))).
		Select("Id", "IsActive", "FromDate", "ToDate").Expand("Product", productQuery()).Top(maxCustomerChoices * 5)
	rows, err := cached(ctx, s, v, v.Current.CustomerID, cache.KindLists, "my-products:"+q.String(), func(ctx context.Context) ([]customerProduct, error) {
		var out []customerProduct
		_, err := s.erp.ListPage(ctx, q, &out)
		return out, err
	})
	if err != nil {
		return nil, err
	}
	today := s.today()
	var out []erpnet.Product
	for _, r := range rows {
		p := r.Product.Entity
		if !r.IsActive || p == nil || !p.Active || r.FromDate.After(today) || !r.ToDate.IsZero() && r.ToDate.Before(today) {
			continue
		}
		out = append(out, *p)
	}
	slices.SortStableFunc(out, func(a, b erpnet.Product) int { return strings.Compare(a.PartNumber, b.PartNumber) })
	return out[:min(len(out), maxCustomerChoices)], nil
}

// ApplyPrices puts Erp.Net's prices of the form's order (as ReviewOrder calculated them) on its
// lines, matched by product and package in order, and its totals; lines it did not price (a
// product not offered, a quantity being typed) have none, and then neither have the totals.
func (f *OrderForm) ApplyPrices(r *OrderReview) {
	if r == nil || !f.Prices || !r.Prices {
		return
	}
	used := make([]bool, len(r.Lines))
	match := func(l FormLine) int {
		for j, rl := range r.Lines {
			if !used[j] && strings.EqualFold(rl.ProductID, l.ProductID) && rl.Package == l.Package {
				used[j] = true
				return j
			}
		}
		return -1
	}
	all := true
	for i := range f.Lines {
		l := &f.Lines[i]
		j := match(*l)
		if j < 0 {
			all = false
			continue
		}
		l.UnitPrice, l.Amount = r.Lines[j].UnitPrice, r.Lines[j].LineAmount
		if d := r.Lines[j].Discount; d != nil {
			l.Discount = *d
		}
	}
	f.Priced = true
	if all {
		f.Total, f.VAT, f.AmountToPay = r.Total, r.VAT, r.AmountToPay
	}
}
