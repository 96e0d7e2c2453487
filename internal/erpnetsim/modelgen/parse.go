package modelgen

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

// obsoleteNote is how the docs flag an obsolete entity (in a note under General) or member (at
// the start of its description).
const obsoleteNote = "OBSOLETE! Do not use!"

// Parse reads one entity page of ErpNetDocs/model (entities/<Repository>.md). A child's Back is
// the back reference that the Child Collections table names; Generate keeps it only when the
// child's page is generated too.
func Parse(page []byte) (Entity, error) {
	var e Entity
	secs := splitSections(splitLines(page), "## ")
	title := ""
	for _, l := range secs[0].lines {
		if t, ok := strings.CutPrefix(l, "# "); ok {
			title = strings.TrimSpace(t)
			break
		}
	}
	title, e.View = strings.CutSuffix(title, " (View)")

	general, _ := find(secs, "General")
	for _, l := range general {
		k, v, ok := keyValue(l)
		switch {
		case !ok:
		case k == "Repository":
			e.Repository = v
		case k == "API access":
			e.APIAccess = v
		case k == "Introduced In Version":
			e.IntroducedIn = v
		case k == "Inherited From":
			e.InheritedFrom = linkTarget(v)
		}
	}
	if e.Repository == "" {
		return e, errors.New("no Repository under ## General (not an entity page, or an old-format one)")
	}
	if title != e.Repository {
		return e, fmt.Errorf("title %q is not the repository %q", title, e.Repository)
	}
	for _, l := range append(slices.Clone(secs[0].lines), general...) {
		if strings.HasPrefix(l, ">") && strings.Contains(l, obsoleteNote) {
			e.Obsolete = true
		}
	}
	renames, _ := find(secs, "Renames")
	e.Renames = parseRenames(renames)
	agg, _ := find(secs, "Aggregate")
	e.AggregateRoot, e.AggregateParent = parseAggregate(agg)
	if e.AggregateRoot == "" {
		return e, errors.New("no aggregate root under ## Aggregate")
	}
	api, _ := find(secs, "API")
	e.EntitySet, e.EntityType = apiValue(api, "Domain API Entity Set"), apiValue(api, "Domain API Entity Type")
	if e.EntitySet == "" || e.EntityType == "" {
		return e, errors.New("no Domain API Entity Set or Type under ## API")
	}

	attrNames := tableNames(secs, "Attributes")
	sysNames := tableNames(secs, "System Attributes")
	refNames := tableNames(secs, "References")
	children, _ := find(secs, "Child Collections")
	e.Children = parseChildren(children)

	details, _ := find(secs, "Attribute Details")
	for _, b := range splitSections(details, "### ")[1:] {
		a, err := parseAttribute(b)
		if err != nil {
			return e, fmt.Errorf("attribute %s: %w", b.title, err)
		}
		struck, listed := attrNames[a.Name]
		if s, ok := sysNames[a.Name]; ok {
			a.System, struck, listed = true, s, true
		}
		if !listed {
			return e, fmt.Errorf("attribute %s has details but is in no table", a.Name)
		}
		a.Obsolete = a.Obsolete || struck
		e.Attributes = append(e.Attributes, a)
	}
	details, _ = find(secs, "Reference Details")
	for _, b := range splitSections(details, "### ")[1:] {
		r, err := parseReference(b)
		if err != nil {
			return e, fmt.Errorf("reference %s: %w", b.title, err)
		}
		struck, listed := refNames[r.Name]
		if !listed {
			return e, fmt.Errorf("reference %s has details but is not in the References table", r.Name)
		}
		r.Obsolete = r.Obsolete || struck
		e.References = append(e.References, r)
	}
	if err := allDetailed(e, attrNames, sysNames, refNames); err != nil {
		return e, err
	}
	slices.SortFunc(e.Attributes, func(a, b model.Attribute) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(e.References, func(a, b model.Reference) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(e.Children, func(a, b model.Child) int { return strings.Compare(a.Name, b.Name) })
	if e.Attributes == nil {
		e.Attributes = []model.Attribute{}
	}
	if e.References == nil {
		e.References = []model.Reference{}
	}
	return e, nil
}

// allDetailed checks that every member a table lists has its details block, so that a change
// in the page format fails the generator instead of silently dropping members.
func allDetailed(e Entity, tables ...map[string]bool) error {
	have := map[string]bool{}
	for _, a := range e.Attributes {
		have[a.Name] = true
	}
	for _, r := range e.References {
		have[r.Name] = true
	}
	for _, t := range tables {
		for name := range t {
			if !have[name] {
				return fmt.Errorf("%s is listed but has no details block", name)
			}
		}
	}
	return nil
}

// tableNames returns the member names of the table under heading title, each with whether it
// is struck through (obsolete).
func tableNames(secs []section, title string) map[string]bool {
	lines, _ := find(secs, title)
	names := map[string]bool{}
	for _, row := range tableRows(lines) {
		name, struck := cleanName(row[0])
		names[name] = struck
	}
	return names
}

// parseRenames reads the Old name / New name / Version groups, oldest first as the docs list them.
func parseRenames(lines []string) []model.Rename {
	var out []model.Rename
	for _, l := range lines {
		k, v, ok := keyValue(l)
		if !ok {
			continue
		}
		switch k {
		case "Old name":
			out = append(out, model.Rename{Old: v})
		case "New name":
			if len(out) > 0 {
				out[len(out)-1].New = v
			}
		case "Version":
			if len(out) > 0 {
				out[len(out)-1].Version = v
			}
		}
	}
	return out
}

// parseAggregate reads "Aggregate Parent:"/"Aggregate Root:", each followed by a link on the
// next line, or an "Aggregate Tree" list whose first item is the entity itself, a root.
func parseAggregate(lines []string) (root, parent string) {
	next := func(i int) string {
		for _, l := range lines[i+1:] {
			if strings.TrimSpace(l) != "" {
				return linkTarget(l)
			}
		}
		return ""
	}
	for i, l := range lines {
		switch strings.TrimSpace(l) {
		case "Aggregate Parent:":
			parent = next(i)
		case "Aggregate Root:":
			root = next(i)
		case "Aggregate Tree":
			for _, item := range lines[i+1:] {
				if strings.HasPrefix(item, "* ") {
					return linkTarget(item), ""
				}
			}
		}
	}
	return root, parent
}

// apiValue returns the value that follows the "key:" line in the API section.
func apiValue(lines []string, key string) string {
	for i, l := range lines {
		if strings.TrimSpace(l) != key+":" {
			continue
		}
		for _, v := range lines[i+1:] {
			if v = strings.TrimSpace(v); strings.HasSuffix(v, ":") {
				return "" // the next key: this one has no value
			} else if v != "" {
				return v
			}
		}
	}
	return ""
}

// parseChildren reads the Child Collections table; its description names the back reference,
// as "based on the `Crm.Sales.SalesOrderLine.SalesOrder`(...) back reference".
func parseChildren(lines []string) []model.Child {
	var out []model.Child
	for _, row := range tableRows(lines) {
		if len(row) < 2 {
			continue
		}
		name, _ := cleanName(row[0])
		c := model.Child{Name: name, Target: linkTarget(row[1])}
		desc := noTags(strings.Join(row[2:], "|"))
		if _, after, ok := strings.Cut(desc, "based on the `"); ok {
			if path, _, ok := strings.Cut(after, "`"); ok {
				c.Back = path[strings.LastIndexByte(path, '.')+1:]
			}
		}
		out = append(out, c)
	}
	return out
}
