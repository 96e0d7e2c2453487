// Package modelgen generates the simulator's model (internal/erpnetsim/model/model.json) from
// a checkout of Erp.Net's published model documentation, ErpNetDocs/model, which has one
// markdown page per entity under entities/. The repositories it covers are listed in
// entities.txt; the JSON format is described in package model. Run it with
// "make model DOCS=path/to/checkout" and review the diff of model.json.
package modelgen

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/model"
)

// Entity is one generated entity; the type lives in package model so that both can use it.
type Entity = model.Entity

// Model is the generated model.
type Model = model.Model

//go:embed entities.txt
var entitiesTxt string

// Repositories returns the repositories listed in entities.txt, in their order there.
func Repositories() []string {
	return ParseList(entitiesTxt)
}

// ParseList reads a list of repositories: one a line, with blank lines and "#" comments ignored.
func ParseList(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		l, _, _ = strings.Cut(l, "#")
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Generate parses the page of each repository in docsDir (a checkout of ErpNetDocs/model, or
// its entities directory) and returns them sorted by repository, with each child collection's
// back reference confirmed against the child's page, or left empty when that page is not among
// repositories.
func Generate(docsDir string, repositories []string) (*Model, error) {
	dir := docsDir
	if fi, err := os.Stat(filepath.Join(docsDir, "entities")); err == nil && fi.IsDir() {
		dir = filepath.Join(docsDir, "entities")
	}
	m := &Model{Entities: []Entity{}}
	var missing []string
	seen := map[string]bool{}
	for _, repo := range repositories {
		if seen[repo] {
			return nil, fmt.Errorf("%s is listed twice", repo)
		}
		seen[repo] = true
		page, err := os.ReadFile(filepath.Join(dir, repo+".md"))
		if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, repo)
			continue
		}
		if err != nil {
			return nil, err
		}
		e, err := Parse(page)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", repo, err)
		}
		if e.Repository != repo {
			return nil, fmt.Errorf("%s.md describes %s", repo, e.Repository)
		}
		m.Entities = append(m.Entities, e)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no page in %s for %s", dir, strings.Join(missing, ", "))
	}
	slices.SortFunc(m.Entities, func(a, b Entity) int { return strings.Compare(a.Repository, b.Repository) })
	for i := range m.Entities {
		if err := resolveChildren(m, &m.Entities[i]); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// resolveChildren sets each child's Back to the child's Owner reference: the one the parent's
// table names, which must be an Owner (or exist, when the child tags none as Owner), or the
// child's only Owner when the table names none.
func resolveChildren(m *Model, parent *Entity) error {
	for i := range parent.Children {
		c := &parent.Children[i]
		child, ok := m.Repository(c.Target)
		if !ok {
			c.Back = ""
			continue
		}
		var owners []string
		for _, r := range child.References {
			if r.Owner {
				owners = append(owners, r.Name)
			}
		}
		_, named := child.Reference(c.Back)
		switch {
		case c.Back != "" && slices.Contains(owners, c.Back):
		case c.Back != "" && named && len(owners) == 0:
			// Some child pages (DocumentComments) tag no reference as Owner: the parent's table is
			// then the only word on the back reference, and it names an existing one.
		case c.Back != "":
			return fmt.Errorf("%s: child collection %s names back reference %s, but the Owner references of %s are %v",
				parent.Repository, c.Name, c.Back, c.Target, owners)
		case len(owners) == 1:
			c.Back = owners[0]
		default:
			return fmt.Errorf("%s: child collection %s names no back reference and %s has owners %v",
				parent.Repository, c.Name, c.Target, owners)
		}
	}
	return nil
}
