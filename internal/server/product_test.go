package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// A product New Order offers has a page of its own, linked from the order form: its name, code,
// unit and default picture (served as the image its bytes are). An inactive product, or any
// product on an instance without New Order, is not found.
func TestProductPage(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	var products struct {
		Value []struct {
			ID         string `json:"Id"`
			PartNumber string `json:"PartNumber"`
			Active     bool   `json:"Active"`
		} `json:"value"`
	}
	env.API(t, "General_Products_Products?$select=Id,PartNumber,Active&$orderby=PartNumber", &products)
	var pictures struct {
		Value []struct {
			Product struct {
				ID string `json:"Id"`
			} `json:"Product"`
		} `json:"value"`
	}
	env.API(t, "General_Products_ProductPictures?$select=Id,Product&$expand=Product($select=Id)&$filter="+url.QueryEscape("IsDefault eq true"), &pictures)
	pictured := map[string]bool{}
	for _, p := range pictures.Value {
		pictured[p.Product.ID] = true
	}
	withPicture, without, inactive := 0, 0, 0
	for _, p := range products.Value {
		page := b.Get("/cc/products/" + p.ID)
		if !p.Active {
			inactive++
			if page.Status != http.StatusNotFound {
				t.Errorf("inactive %s: %s, want 404", p.PartNumber, page)
			}
			continue
		}
		if page.Status != 200 || page.Text("[data-code]") != p.PartNumber {
			t.Errorf("%s: %s, code %q", p.PartNumber, page, page.Text("[data-code]"))
			continue
		}
		pic := b.Get("/cc/products/" + p.ID + "/picture")
		if pictured[p.ID] {
			withPicture++
			if page.Doc.Find("img[data-picture]").Length() != 1 || pic.Status != 200 || pic.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(pic.Body, "\x89PNG") {
				t.Errorf("%s: picture shown %d, served %s %q", p.PartNumber, page.Doc.Find("img[data-picture]").Length(), pic, pic.Header.Get("Content-Type"))
			}
		} else {
			without++
			if page.Doc.Find("img[data-picture]").Length() != 0 || pic.Status != http.StatusNotFound {
				t.Errorf("%s, no picture: shown %d, served %s", p.PartNumber, page.Doc.Find("img[data-picture]").Length(), pic)
			}
		}
	}
	if withPicture == 0 || without == 0 || inactive == 0 {
		t.Fatalf("%d products with a picture, %d without, %d inactive: the seed must have each", withPicture, without, inactive)
	}
	form := b.Get("/cc/orders/new")
	if link := form.Doc.Find("[data-results] a[data-product-info]").First().AttrOr("href", ""); !strings.HasPrefix(link, "/cc/products/") {
		t.Errorf("the order form's results do not link to the products' pages: %q", link)
	}
	off := testenv.New(t, testenv.Options{Quiet: true}) // New Order off
	ob, _ := off.SignIn(t, "cc", "orders@orbis.example")
	if p := ob.Get("/cc/products/" + products.Value[0].ID); p.Status != http.StatusNotFound {
		t.Errorf("without New Order, a product page: %s", p)
	}
}

// New Order's picker has a "My products" tab: the customer's own products (active, in their
// dates, still sold), as buttons of the order form, so switching keeps the lines typed and an
// Add there adds to the same order; it is not offered when the instance hides them.
func TestNewOrderMyProductsTab(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	form := b.Get("/cc/orders/new")
	if form.Doc.Find(`button[name=tab][value=mine]`).Length() != 1 {
		t.Fatalf("no My products tab: %q", form.Text(".picker"))
	}
	first := form.Doc.Find("[data-results] button[name=add]").First().AttrOr("value", "")
	id := form.Doc.Find("input[name=id]").AttrOr("value", "")
	base := url.Values{"id": {id}, "q": {""}}
	withLine := func(extra url.Values) url.Values {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		v.Set("line_product", first)
		v.Set("line_qty", "2")
		v.Set("line_notes", "")
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	mine := b.Post("/cc/orders/new", withLine(url.Values{"tab": {"mine"}, "q": {"drill"}})) // a search left in the box
	var parts []string
	mine.Doc.Find("[data-results] li").Each(func(_ int, li *goquery.Selection) { parts = append(parts, li.AttrOr("data-product", "")) })
	if got := strings.Join(parts, " "); got != "CLN-001 CLN-004 COF-003 HW-005" {
		t.Errorf("My products: %q, want the customer's four current products (not the inactive HW-002 nor the expired COF-005)", got)
	}
	if mine.Doc.Find("input[name=line_product]").Length() != 1 || mine.Doc.Find(`button[name=tab][value=mine][aria-pressed=true]`).Length() != 1 {
		t.Errorf("switching tabs lost the line, or the tab is not shown as current")
	}
	// Add from My products: the line is added and the tab stays.
	add := mine.Doc.Find("[data-results] button[name=add]").First().AttrOr("value", "")
	added := b.Post("/cc/orders/new", withLine(url.Values{"add": {add}, "tab_now": {"mine"}}))
	if added.Doc.Find("input[name=line_product]").Length() != 2 || added.Doc.Find(`button[name=tab][value=mine][aria-pressed=true]`).Length() != 1 {
		t.Errorf("adding from My products: %d lines, tab kept %d", added.Doc.Find("input[name=line_product]").Length(), added.Doc.Find(`button[name=tab][value=mine][aria-pressed=true]`).Length())
	}

	in := newOrderInstance("SO")
	in.HideCustomerProducts = true
	hidden := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
	hb, _ := hidden.SignIn(t, "cc", "orders@orbis.example")
	if p := hb.Get("/cc/orders/new?tab=mine"); p.Doc.Find(`button[name=tab][value=mine]`).Length() != 0 || p.Text(".picker-title") == "My products" {
		t.Errorf("hide_customer_products: the tab is still offered")
	}
}

// New Order's picker has a tab per distribution channel with products listed in it: the
// customer's default channel (unless the instance hides channels) and the Client Center's own,
// each named after its channel and holding only its current listings of products still sold.
func TestNewOrderChannelTabs(t *testing.T) {
	t.Parallel()
	env := newOrderEnv(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	form := b.Get("/cc/orders/new")
	tabs := map[string]string{} // label → key
	form.Doc.Find("button[name=tab]").Each(func(_ int, s *goquery.Selection) { tabs[strings.TrimSpace(s.Text())] = s.AttrOr("value", "") })
	for label, want := range map[string]string{"Direct sales": "HW-003 HW-004", "Client Center": "COF-001 HW-001"} {
		key, ok := tabs[label]
		if !ok {
			t.Errorf("no %q tab among %v", label, tabs)
			continue
		}
		page := b.Post("/cc/orders/new", url.Values{"id": {form.Doc.Find("input[name=id]").AttrOr("value", "")}, "tab": {key}})
		var parts []string
		page.Doc.Find("[data-results] li").Each(func(_ int, li *goquery.Selection) { parts = append(parts, li.AttrOr("data-product", "")) })
		if got := strings.Join(parts, " "); got != want || page.Text(".picker-title") != label {
			t.Errorf("%s tab: %q under %q, want %q", label, got, page.Text(".picker-title"), want)
		}
	}
	if p := b.Post("/cc/orders/new", url.Values{"tab": {"channel:00000000-0000-4000-8000-000000000000"}}); p.Doc.Find(`button[name=tab][aria-pressed=true]`).AttrOr("value", "?") != "" {
		t.Errorf("a tab the form does not offer was shown")
	}
	in := newOrderInstance("SO")
	in.HideDistributionChannel = true
	hidden := testenv.New(t, testenv.Options{Quiet: true, Instances: []config.Instance{in}})
	hb, _ := hidden.SignIn(t, "cc", "orders@orbis.example")
	p := hb.Get("/cc/orders/new")
	if strings.Contains(p.Text(".picker-tabs"), "Direct sales") || !strings.Contains(p.Text(".picker-tabs"), "Client Center") {
		t.Errorf("hide_distribution_channel: tabs %q, want the Client Center's only", p.Text(".picker-tabs"))
	}
}
