package config

import (
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// EnterpriseCompanyID returns the enterprise company's GUID when the setting is written as one;
// otherwise the setting is a company code or name and ok is false.
func (in Instance) EnterpriseCompanyID() (id uuid.UUID, ok bool) {
	id, err := uuid.Parse(in.EnterpriseCompany)
	return id, err == nil
}

// Path is the instance's URL path prefix, e.g. "/cc".
func (in Instance) Path() string { return "/" + in.RelativeURL }

// Instance returns the instance served under relativeURL.
func (c *Config) Instance(relativeURL string) (*Instance, bool) {
	for i := range c.Instances {
		if c.Instances[i].RelativeURL == relativeURL {
			return &c.Instances[i], true
		}
	}
	return nil, false
}

func (c *Config) validateInstance(ps *Problems, i int) {
	in := c.Instances[i]
	key := func(name string) string { return fmt.Sprintf("instances[%d].%s", i, name) }

	if in.Name == "" {
		ps.add(key("name"), "is required")
	} else if j := c.firstInstance(i, func(o Instance) bool { return o.Name == in.Name }); j >= 0 {
		ps.add(key("name"), "%q is already used by instances[%d]", in.Name, j)
	}

	switch {
	case !relativeURLPattern.MatchString(in.RelativeURL):
		ps.add(key("relative_url"), "%q must be lower-case letters, digits and dashes, starting with a letter or digit", in.RelativeURL)
	case IsReservedPath(in.RelativeURL):
		ps.add(key("relative_url"), "%q is reserved (one of %v)", in.RelativeURL, reservedPaths)
	default:
		if j := c.firstInstance(i, func(o Instance) bool { return o.RelativeURL == in.RelativeURL }); j >= 0 {
			ps.add(key("relative_url"), "%q is already used by instances[%d]", in.RelativeURL, j)
		}
	}

	if in.EnterpriseCompany == "" {
		ps.add(key("enterprise_company"), "%s: %s (set the enterprise company's Id or its company's name)", CodeNoEnterpriseCompany, MsgNoEnterpriseCompany)
	}

	if _, err := time.LoadLocation(in.TimeZone); err != nil || strings.TrimSpace(in.TimeZone) == "" {
		ps.add(key("time_zone"), "%q is not a time zone's IANA name (e.g. Europe/Sofia)", in.TimeZone)
	}

	validateBrand(ps, key, in)

	if len(in.Languages) == 0 {
		ps.add(key("languages"), "at least one of %v is required", SupportedLanguages)
	}
	for j, lang := range in.Languages {
		if !slices.Contains(SupportedLanguages, lang) {
			ps.add(fmt.Sprintf("%s[%d]", key("languages"), j), "%q is not one of %v", lang, SupportedLanguages)
		}
	}
	noDuplicates(ps, key("languages"), in.Languages)

	// The vendor's portal refuses either setting alone (CC008/CC009): New Order needs both.
	if in.IsNewOrderEnabled && strings.TrimSpace(in.NewOrderDocumentType) == "" {
		ps.add(key("new_order_document_type"), "is required when is_new_order_enabled is true (the Id or code of a SalesOrders document type; CC009)")
	}
	if !in.IsNewOrderEnabled && strings.TrimSpace(in.NewOrderDocumentType) != "" {
		ps.add(key("is_new_order_enabled"), "is false while new_order_document_type is set: set both for New Order, or neither (CC009)")
	}
	codeList(ps, key("order_document_types"), in.OrderDocumentTypes)
	codeList(ps, key("invoice_document_types"), in.InvoiceDocumentTypes)
	if strings.TrimSpace(in.SiteChannel) == "" {
		ps.add(key("site_channel"), "must not be empty (the distribution channel code, e.g. CC)")
	}
	if in.DraftDays < 0 {
		ps.add(key("new_order_draft_days"), "must not be negative, got %d (0 keeps drafts until placed)", in.DraftDays)
	}
	if in.AvailabilityMax < 0 {
		ps.add(key("availability_max"), "must not be negative, got %d", in.AvailabilityMax)
	}
	for _, page := range slices.Sorted(maps.Keys(in.DefaultColumns)) {
		codeList(ps, fmt.Sprintf("%s[%s]", key("default_columns"), page), in.DefaultColumns[page])
	}
}

// firstInstance returns the index of the first instance before i that matches, or -1.
func (c *Config) firstInstance(i int, match func(Instance) bool) int {
	for j := range i {
		if match(c.Instances[j]) {
			return j
		}
	}
	return -1
}

// codeList checks a list of codes: no empty entries, no repeats.
func codeList(ps *Problems, key string, codes []string) {
	for j, code := range codes {
		if strings.TrimSpace(code) == "" {
			ps.add(fmt.Sprintf("%s[%d]", key, j), "must not be empty")
		}
	}
	noDuplicates(ps, key, codes)
}

func noDuplicates(ps *Problems, key string, list []string) {
	for j, s := range list {
		if k := slices.Index(list[:j], s); k >= 0 {
			ps.add(fmt.Sprintf("%s[%d]", key, j), "%q repeats %s[%d]", s, key, k)
		}
	}
}

var brandColorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// MaxLogoSize bounds the logo file.
const MaxLogoSize = 256 << 10

// validateBrand checks the tenant's logo, colour and support contact.
func validateBrand(ps *Problems, key func(string) string, in Instance) {
	if c := in.BrandColor; c != "" {
		if !brandColorPattern.MatchString(c) {
			ps.add(key("brand_color"), "%q is not a colour written #rrggbb", c)
		} else if r := ContrastWithWhite(c); r < 4.5 {
			ps.add(key("brand_color"), "%s is too light for white text (contrast %.1f:1, at least 4.5:1 is needed)", c, r)
		}
	}
	if in.Logo != "" {
		st, err := os.Stat(in.Logo)
		switch ext := strings.ToLower(filepath.Ext(in.Logo)); {
		case err != nil:
			ps.add(key("logo"), "cannot be read: %v", err)
		case st.Size() > MaxLogoSize:
			ps.add(key("logo"), "is %d KiB; at most %d KiB", st.Size()>>10, MaxLogoSize>>10)
		case ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".svg":
			ps.add(key("logo"), "must be a .png, .jpg or .svg file")
		}
	}
	if e := in.Support.Email; e != "" && !strings.Contains(e, "@") {
		ps.add(key("support.email"), "%q is not an e-mail address", e)
	}
}

// ContrastWithWhite is the WCAG contrast ratio of white text on the colour #rrggbb.
func ContrastWithWhite(hex string) float64 {
	lin := func(s string) float64 {
		v, _ := strconv.ParseUint(s, 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(hex[1:3]) + 0.7152*lin(hex[3:5]) + 0.0722*lin(hex[5:7])
	return 1.05 / (l + 0.05)
}
