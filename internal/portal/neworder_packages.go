package portal

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Promotional packages (Crm_Pricing_PromotionalPackages) are offered in New Order when the
// portal can decide exactly that Erp.Net would sell them on the person's order (tech
// promotional-packages concepts/determine-available-promotional-packages.md): active, in their
// dates on the order's required delivery date (else today, its document date), and every
// restriction either empty or equal to what the order has. Left out, because only Erp.Net can
// evaluate them or the order does not name the value:
//   - a filter expression on customers, ship-to customers or distribution channels;
//   - a target group (the customer's membership is not readable here);
//   - a ship-to customer or a price list (the portal's orders name neither, and whether Erp.Net
//     fills them in from the customer is not documented).
//
// So a package meant for another customer is never shown. Adding one adds its lines as the
// package defines (quantity times the number of packages), marked with the package and not
// editable by hand; the order sells it through a record of its PromotionalPackages, which
// releasing the order checks against the lines.

// maxPackages bounds the active packages read; a tenant with more offers the first by code.
const maxPackages = 100

// MaxPackageCount is the most packages of one kind an order takes; MaxOrderPackages the most
// kinds of package (their lines count among the order's MaxOrderLines too).
const (
	MaxPackageCount  = 999
	MaxOrderPackages = 20
)

// PackageCountProblem is what the form says of a number of packages ParsePackageCount refuses.
const PackageCountProblem = "Enter a whole number of packages from 1 to 999."

var packageCountRE = regexp.MustCompile(`^[0-9]{1,3}$`)

// ParsePackageCount reads a number of packages: a whole number from 1 to MaxPackageCount.
func ParsePackageCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if !packageCountRE.MatchString(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= MaxPackageCount
}

// DraftPackage is a promotional package in a draft, and how many, as typed.
type DraftPackage struct {
	ID, Count string
}

// AddPackage adds count packages of id: to its entry when the draft has one, else a new one.
// A count that does not read adds one.
func (d *OrderDraft) AddPackage(id, count string) {
	if !validID(id) {
		return
	}
	n, ok := ParsePackageCount(count)
	if !ok {
		n = 1
	}
	for i, p := range d.Packages {
		if strings.EqualFold(p.ID, id) {
			if have, ok := ParsePackageCount(p.Count); ok && have+n <= MaxPackageCount {
				d.Packages[i].Count = strconv.Itoa(have + n)
			}
			return
		}
	}
	if len(d.Packages) < MaxOrderPackages {
		d.Packages = append(d.Packages, DraftPackage{ID: id, Count: strconv.Itoa(n)})
	}
}

// RemovePackage drops package i and so its lines; an index out of range changes nothing.
func (d *OrderDraft) RemovePackage(i int) {
	if i >= 0 && i < len(d.Packages) {
		d.Packages = append(d.Packages[:i:i], d.Packages[i+1:]...)
	}
}

// PackageKey is the Problems key of a package's number.
func PackageKey(i int) string { return "package." + strconv.Itoa(i) }

// promotionalPackages are the tenant's active packages with their lines and products, the first
// maxPackages by code; the same for every customer, so kept as reference data.
func (s *Service) promotionalPackages(ctx context.Context, v *Viewer) ([]erpnet.PromotionalPackage, error) {
	q := erpnet.From(erpnet.SetPromotionalPackages).Where(erpnet.Eq("Active", erpnet.Bool(true))).
		Select("Id", "Code", "Name", "Active", "ValidFromDate", "ValidToDate", "ValidForCustomerFilterXML",
			"ValidForShipToCustomerFilterXML", "ValidForDistributionChannelFilterXML", "EnterpriseCompany",
			"EnterpriseCompanyLocation", "ValidForCustomer", "ValidForShipToCustomer", "ValidForDistributionChannel",
			"ValidForPriceList", "ValidForTargetGroup").
		Expand("Lines", erpnet.Query{}.Select("Id", "LineNumber", "Quantity", "UnitPrice", "StandardDiscountAdjustOrReplace",
			"StandardDiscountPercentAdjust").Expand("Product", productQuery())).
		OrderBy("Code", false).Top(maxPackages)
	return cached(ctx, s, v, "", cache.KindProducts, "packages:"+q.String(), func(ctx context.Context) ([]erpnet.PromotionalPackage, error) {
		var out []erpnet.PromotionalPackage
		_, err := s.erp.ListPage(ctx, q, &out)
		return out, err
	})
}

// offeredPackages are the packages v's order may be sold on day at, by Id (lower case), in code
// order; nil while New Order cannot say (no setup, no customer record).
func (s *Service) offeredPackages(ctx context.Context, v *Viewer, at time.Time) (map[string]erpnet.PromotionalPackage, []string, error) {
	setup, err := s.orderSetup(ctx)
	if err != nil {
		return nil, nil, err
	}
	cust, err := s.orderCustomer(ctx, v)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.promotionalPackages(ctx, v)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]erpnet.PromotionalPackage{}
	var order []string
	for _, p := range all {
		if packageOffered(p, v.Current.CustomerID, setup, cust, at) {
			id := strings.ToLower(p.ID)
			byID[id] = p
			order = append(order, id)
		}
	}
	return byID, order, nil
}

// packageOffered is the rule above for one package and the order New Order would make.
func packageOffered(p erpnet.PromotionalPackage, customerID string, setup orderSetup, cust customerForOrders, at time.Time) bool {
	day := DayOf(at)
	switch {
	case !p.Active || len(p.Lines) == 0 || len(p.Lines) > MaxOrderLines:
		return false
	case !p.ValidFromDate.IsZero() && DayOf(p.ValidFromDate.Time) > day:
		return false
	case !p.ValidToDate.IsZero() && DayOf(p.ValidToDate.Time) < day:
		return false
	case p.CustomerFilterXML != "" || p.ShipToCustomerFilterXML != "" || p.DistributionChannelFilterXML != "":
		return false
	case !p.ValidForTargetGroup.IsZero() || !p.ValidForShipToCustomer.IsZero() || !p.ValidForPriceList.IsZero():
		return false
	}
	for _, r := range []struct{ pkg, order erpnet.Ref }{
		{p.ValidForCustomer, erpnet.NewRef(erpnet.SetCustomers, customerID)},
		{p.ValidForDistributionChannel, setup.Channel},
		{p.EnterpriseCompany, setup.EnterpriseCompany},
		{p.EnterpriseCompanyLocation, cust.Location},
	} {
		if !r.pkg.IsZero() && !strings.EqualFold(r.pkg.ID, r.order.ID) {
			return false
		}
	}
	for _, l := range p.Lines {
		if l.Product.Entity == nil || !l.Product.Entity.Active || l.Quantity.Value <= 0 {
			return false
		}
	}
	return true
}

// draftDay is the day a draft's packages are judged on: its required delivery date when it has
// a readable one, else today.
func (s *Service) draftDay(v *Viewer, d OrderDraft) time.Time {
	if day, msg := parseDelivery(d.DeliveryDate, s.langOf(v), s.orderDay()); msg == "" && !day.IsZero() {
		return day
	}
	return s.orderDay()
}

// draftPackages are the packages offered for d, by Id; none are read for a draft without any.
func (s *Service) draftPackages(ctx context.Context, v *Viewer, d OrderDraft) (map[string]erpnet.PromotionalPackage, error) {
	if len(d.Packages) == 0 {
		return nil, nil
	}
	byID, _, err := s.offeredPackages(ctx, v, s.draftDay(v, d))
	return byID, err
}

// newOrderPackage is a package an order sells, as Erp.Net takes it in the order's
// PromotionalPackages.
type newOrderPackage struct {
	PromotionalPackage erpnet.Ref `json:"PromotionalPackage"`
	NumberOfPackages   int        `json:"NumberOfPackages"`
}

// packageWant is a package of the draft as it is to be kept.
type packageWant struct {
	pkg erpnet.PromotionalPackage
	n   int
}

// packageWants are the packages of d that can be kept in Erp.Net (offered, with a number that
// reads), and the Ids of those offered whose number is still being corrected.
// A package whose lines would take the order past MaxOrderLines (with own lines lines) is not
// kept: the form says the order has too many lines.
func packageWants(d OrderDraft, pkgs map[string]erpnet.PromotionalPackage, lines int) (want []packageWant, keep []string) {
	seen := map[string]bool{}
	for _, dp := range d.Packages[:min(len(d.Packages), MaxOrderPackages)] {
		p, ok := pkgs[strings.ToLower(dp.ID)]
		if !ok || seen[strings.ToLower(dp.ID)] || lines+len(p.Lines) > MaxOrderLines {
			continue
		}
		seen[strings.ToLower(dp.ID)] = true
		lines += len(p.Lines)
		if n, ok := ParsePackageCount(dp.Count); ok {
			want = append(want, packageWant{pkg: p, n: n})
		} else {
			keep = append(keep, p.ID)
		}
	}
	return want, keep
}

// packageLines are the order lines packages add: one a package line, of its product, the line's
// quantity times the number of packages.
func packageLines(want []packageWant) []draftWant {
	var out []draftWant
	for _, pw := range want {
		for _, l := range pw.pkg.Lines {
			out = append(out, draftWant{product: *l.Product.Entity, qty: l.Quantity.Value * float64(pw.n), pkg: pw.pkg.ID, pkgName: pw.pkg.Name, pkgLine: l})
		}
	}
	return out
}

func orderPackages(want []packageWant) []newOrderPackage {
	out := make([]newOrderPackage, len(want))
	for i, pw := range want {
		out[i] = newOrderPackage{PromotionalPackage: erpnet.NewRef(erpnet.SetPromotionalPackages, pw.pkg.ID), NumberOfPackages: pw.n}
	}
	return out
}

// PackageChoice is a package the picker offers.
type PackageChoice struct {
	ID, Code, Name string
	From, To       time.Time
	// Contents are the package's lines: part number, name, quantity and unit per package.
	Contents []PackageContent
	// Price is the price of one package as the package sets it, for roles that see prices and
	// when it sets a unit price, in the customer's currency, on every line (a package that only
	// changes discounts is priced by Erp.Net, at review).
	Price *Money
}

// PackageContent is a line of a package as the picker shows it.
type PackageContent struct {
	PartNumber, Name, Unit string
	Quantity               float64
}

// FormPackage is a package in the order form.
type FormPackage struct {
	Index          int
	ID, Code, Name string // Name is Erp.Net's, "" when the package is not known
	Count          string
	Problem        string
	// Gone: the package is no longer offered for this order.
	Gone bool
}

// packageChoices are the offered packages as the picker shows them, in code order.
func (s *Service) packageChoices(v *Viewer, pkgs map[string]erpnet.PromotionalPackage, order []string, currency string, prices bool) []PackageChoice {
	out := make([]PackageChoice, 0, len(order))
	for _, id := range order {
		p := pkgs[id]
		c := PackageChoice{ID: strings.ToLower(p.ID), Code: p.Code, Name: p.Name, From: p.ValidFromDate.Time, To: p.ValidToDate.Time}
		total, priced := 0.0, prices
		for _, l := range p.Lines {
			prod := *l.Product.Entity
			c.Contents = append(c.Contents, PackageContent{PartNumber: prod.PartNumber, Name: s.text(v, prod.Name), Unit: productUnit(prod), Quantity: l.Quantity.Value})
			if l.UnitPrice != nil && l.UnitPrice.Currency == currency && l.DiscountPercent == 0 {
				total += l.Quantity.Value * l.UnitPrice.Value
			} else {
				priced = false
			}
		}
		if priced {
			c.Price = &Money{Value: roundCents(total), Currency: currency}
		}
		out = append(out, c)
	}
	return out
}
