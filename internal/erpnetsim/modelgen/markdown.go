package modelgen

import (
	"regexp"
	"strings"
)

// section is a "## Title" part of a page, or with level 3 a "### Name" block within one.
type section struct {
	title string
	lines []string
}

// splitLines normalises line ends, since most pages are CRLF and some are LF, and trims the two
// trailing spaces that the docs use as markdown line breaks.
func splitLines(page []byte) []string {
	s := strings.ReplaceAll(string(page), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

// splitSections cuts lines at headings of the given level ("## " or "### "); what precedes the
// first heading is returned as the section with an empty title.
func splitSections(lines []string, marker string) []section {
	secs := []section{{}}
	for _, l := range lines {
		if t, ok := strings.CutPrefix(l, marker); ok {
			secs = append(secs, section{title: strings.TrimSpace(t)})
			continue
		}
		secs[len(secs)-1].lines = append(secs[len(secs)-1].lines, l)
	}
	return secs
}

// find returns the lines of the first section titled title.
func find(secs []section, title string) ([]string, bool) {
	for _, s := range secs {
		if s.title == title {
			return s.lines, true
		}
	}
	return nil, false
}

var (
	keyValueRE = regexp.MustCompile(`^(?:\[([^\]]+)\]\([^)]*\)|_?([A-Za-z][A-Za-z ]*?)_?):\s*(.*)$`)
	linkRE     = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)
	tickTagRE  = regexp.MustCompile("`([^`]+)`")
	brackTagRE = regexp.MustCompile(`\[([^\[\]]+)\](\(?)`)
	htmlTagRE  = regexp.MustCompile(`</?s>|<br\s*/?>`)
)

// keyValue splits a "Key: Value" line, with the key possibly italic or a link ("[Filterable
// Reference](...)") and the value possibly bold or italic, as different page generations write.
func keyValue(line string) (key, value string, ok bool) {
	m := keyValueRE.FindStringSubmatch(line)
	if m == nil {
		return "", "", false
	}
	key = m[1] + m[2]
	return key, noTags(unwrap(strings.TrimSpace(m[3]))), true
}

// noTags removes the <br /> and <s> tags that the docs put into long or obsolete names.
func noTags(s string) string {
	return htmlTagRE.ReplaceAllString(s, "")
}

// unwrap removes one pair of bold or italic markers around a value; "****" is an empty value.
func unwrap(v string) string {
	if len(v) >= 4 && strings.HasPrefix(v, "**") && strings.HasSuffix(v, "**") {
		return strings.TrimSpace(v[2 : len(v)-2])
	}
	if len(v) >= 2 && strings.HasPrefix(v, "_") && strings.HasSuffix(v, "_") && !strings.HasPrefix(v, "__") {
		return strings.TrimSpace(v[1 : len(v)-1])
	}
	return v
}

// tableRows returns the cells of each row of the markdown tables in lines, without the header
// and separator rows; a last cell without its closing "|" (as in Child Collections) is kept.
func tableRows(lines []string) [][]string {
	var rows [][]string
	header := true
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "|") {
			header = true
			continue
		}
		if header {
			header = false // the next row is the separator, skipped below
			continue
		}
		if strings.HasPrefix(t, "| --") || strings.HasPrefix(t, "|--") {
			continue
		}
		cells := strings.Split(strings.TrimPrefix(t, "|"), "|")
		if last := len(cells) - 1; strings.TrimSpace(cells[last]) == "" {
			cells = cells[:last]
		}
		for i, c := range cells {
			cells[i] = strings.TrimSpace(c)
		}
		rows = append(rows, cells)
	}
	return rows
}

// cleanName turns a table cell such as "[<s>Notes</s>](X.md#notes)" or
// "[IntrastatTransaction<br />NatureCode](...)" into the plain name, and says whether it was
// struck through, which is how the tables mark obsolete members.
func cleanName(cell string) (name string, struck bool) {
	if m := linkRE.FindStringSubmatch(cell); m != nil {
		cell = m[1]
	}
	struck = strings.Contains(cell, "<s>")
	return strings.TrimSpace(noTags(cell)), struck
}

// linkTarget returns the repository a link such as "[Parties](General.Contacts.Parties.md)"
// points to, or "" when s holds no link.
func linkTarget(s string) string {
	m := linkRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	href := m[2]
	if i := strings.IndexByte(href, '#'); i >= 0 {
		href = href[:i]
	}
	href = href[strings.LastIndexByte(href, '/')+1:]
	return strings.TrimSuffix(href, ".md")
}

// tags returns the tags of a description: the `Required` `ReadOnly` `Owner` ... marks, written
// in backticks, or in square brackets in the System Attributes table. Markdown links are not tags.
func tags(desc string) []string {
	var out []string
	for _, m := range tickTagRE.FindAllStringSubmatch(desc, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	for _, m := range brackTagRE.FindAllStringSubmatch(desc, -1) {
		if m[2] == "" {
			out = append(out, strings.TrimSpace(m[1]))
		}
	}
	return out
}
