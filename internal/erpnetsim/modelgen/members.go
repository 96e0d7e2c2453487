package modelgen

import (
	"errors"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

// block is a "### Name" details block taken apart: the description (where the tags are), the
// "Key: **Value**" lines, the enum's type and its Allowed Values rows.
type block struct {
	desc     string
	values   map[string]string
	enumType string
	enumRows [][]string
}

var enumMembersRE = regexp.MustCompile(`^Allowed Values \((.+) Enum Members\)$`)

// splitBlock takes a details block apart; the description is everything before the Type line.
func splitBlock(b section) (block, error) {
	out := block{values: map[string]string{}}
	var desc []string
	typed := false
	var table []string
	for _, l := range b.lines {
		k, v, ok := keyValue(l)
		if !typed && !(ok && k == "Type" && strings.Contains(l, ": **")) {
			desc = append(desc, l)
			continue
		}
		typed = true
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "|"):
			table = append(table, t)
		case enumMembersRE.MatchString(t):
			out.enumType = enumMembersRE.FindStringSubmatch(t)[1]
		case ok && strings.Contains(l, ": **"):
			if _, dup := out.values[k]; !dup {
				out.values[k] = v
			}
		}
	}
	if !typed {
		return out, errors.New("no Type line")
	}
	out.desc = strings.Join(desc, "\n")
	out.enumRows = tableRows(table)
	return out, nil
}

// parseAttribute reads an attribute's details block.
func parseAttribute(b section) (model.Attribute, error) {
	a := model.Attribute{Name: b.title}
	bl, err := splitBlock(b)
	if err != nil {
		return a, err
	}
	t, err := parseType(bl.values["Type"])
	if err != nil {
		return a, err
	}
	a.Type, a.Nullable, a.MaxLength, a.Precision, a.Scale = t.name, t.nullable, t.maxLength, t.precision, t.scale
	if n, ok := bl.values["Maximum Length"]; ok && !t.unlimited {
		if a.MaxLength, err = strconv.Atoi(n); err != nil {
			return a, fmt.Errorf("maximum length %q: %w", n, err)
		}
	}
	switch bl.values["Category"] {
	case "Calculated Attributes":
		a.Calculated = true
	case "Delay Loaded Attributes":
		a.DelayLoaded = true
	}
	if a.Filters, err = parseFilters(bl.values["Supported Filters"]); err != nil {
		return a, err
	}
	switch v := bl.values["Supports Order By"]; v {
	case "True":
		a.OrderBy = true
	case "False", "": // empty is read as False, the stricter reading
	default:
		return a, fmt.Errorf("unknown Supports Order By value %q", v)
	}
	tg := readTags(bl.desc)
	a.Default = bl.values["Default Value"]
	if a.Default == "Constant" { // amounts and quantities: the constant is only in the tag
		a.Default = tg.defaultValue
	}
	if a.Type == "enum" {
		a.EnumType = bl.enumType
		if a.Enum, err = parseEnum(bl.enumRows); err != nil {
			return a, err
		}
		a.Default = enumDefault(a.Enum, a.Default)
	}
	a.Required, a.ReadOnly, a.Obsolete = tg.required, tg.readOnly, tg.obsolete
	a.ObsoletedIn, a.IntroducedIn, a.Currency, a.Unit = tg.obsoletedIn, tg.introducedIn, tg.currency, tg.unit
	return a, nil
}

// parseReference reads a reference's details block.
func parseReference(b section) (model.Reference, error) {
	r := model.Reference{Name: b.title}
	bl, err := splitBlock(b)
	if err != nil {
		return r, err
	}
	typ := bl.values["Type"]
	r.Target = linkTarget(typ)
	if r.Target == "" {
		return r, fmt.Errorf("type %q is not a link to a repository", typ)
	}
	r.Nullable = strings.HasSuffix(typ, " (nullable)")
	if r.Filters, err = parseFilters(bl.values["Supported Filters"]); err != nil {
		return r, err
	}
	tg := readTags(bl.desc)
	r.FilterableReference = bl.values["Filterable Reference"] == "True" || tg.filterableReference
	r.Required, r.Owner, r.ReadOnly, r.Obsolete = tg.required, tg.owner, tg.readOnly, tg.obsolete
	r.ObsoletedIn, r.IntroducedIn = tg.obsoletedIn, tg.introducedIn
	return r, nil
}

// tagSet is what a member's description tags say.
type tagSet struct {
	required, readOnly, owner, obsolete, filterableReference bool
	introducedIn, obsoletedIn, currency, unit, defaultValue  string
}

// readTags reads the tags of a description; an "OBSOLETE! Do not use!" lead-in marks obsolete
// members even where the `Obsolete` tag is missing (as on some references).
func readTags(desc string) tagSet {
	var t tagSet
	t.obsolete = strings.Contains(desc, obsoleteNote)
	for _, tag := range tags(desc) {
		switch {
		case tag == "Required":
			t.required = true
		case tag == "ReadOnly":
			t.readOnly = true
		case tag == "Owner":
			t.owner = true
		case tag == "Obsolete":
			t.obsolete = true
		case tag == "FilterableReference":
			t.filterableReference = true
		case strings.HasPrefix(tag, "Introduced in version "):
			t.introducedIn = strings.TrimPrefix(tag, "Introduced in version ")
		case strings.HasPrefix(tag, "Obsoleted in version "):
			t.obsoletedIn, t.obsolete = strings.TrimPrefix(tag, "Obsoleted in version "), true
		case strings.HasPrefix(tag, "Currency: "):
			t.currency = strings.TrimPrefix(tag, "Currency: ")
		case strings.HasPrefix(tag, "Unit: "):
			t.unit = strings.TrimPrefix(tag, "Unit: ")
		case strings.HasPrefix(tag, "Default(") && strings.HasSuffix(tag, ")"):
			v := html.UnescapeString(tag[len("Default(") : len(tag)-1])
			t.defaultValue = strings.Trim(v, `"`)
		}
	}
	return t
}

// knownFilters are the values of "Supported Filters"; NotFilterable is recorded as no filters.
var knownFilters = []string{"Equals", "EqualsIn", "GreaterThanOrLessThan", "Like"}

// parseFilters reads "Equals, GreaterThanOrLessThan, EqualsIn" into a sorted list.
func parseFilters(s string) ([]string, error) {
	out := []string{}
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "" || f == "NotFilterable":
		case slices.Contains(knownFilters, f):
			out = append(out, f)
		default:
			return nil, fmt.Errorf("unknown filter %q", f)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

var (
	apiValueRE    = regexp.MustCompile(`Domain API Value: '([^']*)'`)
	dbValueRE     = regexp.MustCompile(`Database Value: (?:'([^']*)'|([^\s<|']+))`)
	storedValueRE = regexp.MustCompile(`Stored as (?:'([^']*)'|(-?\d+))`)
)

// parseEnum reads the Allowed Values rows, whose long names the docs break with <br />; a few
// rows give no Database Value, and then their "Stored as" value, which is the same code, stands in.
func parseEnum(rows [][]string) ([]model.EnumValue, error) {
	if len(rows) == 0 {
		return nil, errors.New("enum without Allowed Values")
	}
	var out []model.EnumValue
	for _, row := range rows {
		desc := strings.Join(row[1:], "|")
		api := apiValueRE.FindStringSubmatch(desc)
		if api == nil {
			return nil, fmt.Errorf("enum value %q has no Domain API Value", row[0])
		}
		db := dbValueRE.FindStringSubmatch(desc)
		if db == nil {
			db = storedValueRE.FindStringSubmatch(desc)
		}
		if db == nil {
			return nil, fmt.Errorf("enum value %q has no Database Value", row[0])
		}
		out = append(out, model.EnumValue{API: noTags(api[1]), DB: noTags(db[1] + db[2])})
	}
	return out, nil
}

// enumDefault returns the Domain API value of an enum's default, which some pages give as its
// database value (State: "0" for New).
func enumDefault(values []model.EnumValue, def string) string {
	for _, v := range values {
		if v.API == def {
			return def
		}
	}
	for _, v := range values {
		if v.DB == def {
			return v.API
		}
	}
	return def
}

// typeInfo is a parsed Type line.
type typeInfo struct {
	name                        string
	nullable, unlimited         bool
	maxLength, precision, scale int
}

var (
	plainTypeRE = regexp.MustCompile(`^([a-z0-9]+(?:\[\])?)(?: \(([^)]*)\))?$`)
	linkTextRE  = regexp.MustCompile(`^([A-Za-z0-9_<>/ ]+?)(?: \(([^)]*)\))?$`)
	plainTypes  = map[string]string{
		"string": "string", "int16": "int16", "int32": "int32", "int64": "int64", "byte": "byte",
		"decimal": "decimal", "double": "double", "boolean": "boolean", "date": "date",
		"datetime": "datetime", "time": "time", "guid": "guid", "byte[]": "binary",
		"dataaccessfilter": "dataaccessfilter",
	}
	// linkedTypes are the special types that data-types.md describes, by their anchor there.
	linkedTypes = map[string]string{"amount": "amount", "quantity": "quantity", "multilanguagestring": "multilanguage"}
)

// parseType reads a Type value: "string (20) __nullable__", "decimal (7, 6)",
// "[Amount (14, 2)](../data-types.md#amount)", or a link to the attribute itself for an enum.
func parseType(s string) (typeInfo, error) {
	var t typeInfo
	s, t.nullable = strings.CutSuffix(strings.TrimSpace(s), " __nullable__")
	var args string
	if m := linkRE.FindStringSubmatch(s); m != nil && m[0] == s {
		text := linkTextRE.FindStringSubmatch(m[1])
		_, anchor, _ := strings.Cut(m[2], "#")
		switch {
		case strings.Contains(m[2], "data-types.md") && linkedTypes[anchor] != "":
			t.name = linkedTypes[anchor]
		case strings.Contains(m[2], "data-types.md"):
			return t, fmt.Errorf("unknown data type %q", s)
		default:
			t.name = "enum"
		}
		if text != nil {
			args = text[2]
		}
	} else if m := plainTypeRE.FindStringSubmatch(s); m != nil && plainTypes[m[1]] != "" {
		t.name, args = plainTypes[m[1]], m[2]
	} else {
		return t, fmt.Errorf("unknown type %q", s)
	}
	return t, t.sizes(args)
}

// sizes reads a type's "(20)", "(max)" or "(14, 2)".
func (t *typeInfo) sizes(args string) error {
	if args == "" {
		return nil
	}
	if args == "max" {
		t.unlimited = true
		return nil
	}
	var nums []int
	for p := range strings.SplitSeq(args, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return fmt.Errorf("type size %q: %w", args, err)
		}
		nums = append(nums, n)
	}
	switch {
	case (t.name == "string" || t.name == "multilanguage") && len(nums) == 1:
		t.maxLength = nums[0]
	case (t.name == "decimal" || t.name == "amount" || t.name == "quantity") && len(nums) <= 2:
		t.precision = nums[0]
		if len(nums) == 2 {
			t.scale = nums[1]
		}
	default:
		return fmt.Errorf("unexpected size %q for %s", args, t.name)
	}
	return nil
}
