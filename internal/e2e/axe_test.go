package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axeDefault is where `make axe` (and so CI) installs axe-core, relative to the repository's root;
// AXE_CORE_JS names another copy of axe.min.js.
const axeDefault = ".tools/axe/node_modules/axe-core/axe.min.js"

var (
	axeOnce   sync.Once
	axeSource string
	axePath   string
)

// axeScript is axe-core's script, read once for the whole run, or "" where it is not installed.
func axeScript() (src, path string) {
	axeOnce.Do(func() {
		axePath = os.Getenv("AXE_CORE_JS")
		if axePath == "" {
			// The tests run in internal/e2e: the repository's root is two folders up.
			axePath = filepath.Join("..", "..", filepath.FromSlash(axeDefault))
		}
		if b, err := os.ReadFile(axePath); err == nil {
			axeSource = string(b)
		}
	})
	return axeSource, axePath
}

// axeViolation is one rule that failed on a page, with the elements it failed on.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  []string `json:"target"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs every rule of axe-core's default set (WCAG 2.0 to 2.2, A and AA, and its best
// practices) on the page as it is now. Frames are left out: the only one is the invoice's PDF
// preview, which is the browser's PDF viewer and not a page of the portal.
const axeRun = `axe.run(document, {iframes: false, resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
		summary: n.failureSummary || "",
	})),
})))`

// axe checks the page state the test has reached with axe-core and fails the test for every
// violation. Where axe-core is not installed the check fails in CI, so that CI never passes
// without it, and is skipped elsewhere.
func (b *browser) axe(state string) {
	b.t.Helper()
	src, path := axeScript()
	if src == "" {
		if os.Getenv("CI") != "" {
			b.t.Fatalf("axe-core is not installed at %s; .ci/run installs it with make axe", path)
		}
		if !b.axeNoted {
			b.axeNoted = true
			b.t.Logf("accessibility checks skipped: axe-core is not at %s (make axe installs it, or set AXE_CORE_JS to an axe.min.js)", path)
		}
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	// The script is injected once per document: a navigation brings a new one without it.
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src))
	}
	var found []axeViolation
	if err == nil {
		found, err = chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	}
	if err != nil {
		b.screenshot("failure")
		b.t.Fatalf("browser (%s): axe on %s: %v", b.vp.name, state, err)
	}
	if len(found) == 0 {
		return
	}
	var sb strings.Builder
	for _, v := range found {
		fmt.Fprintf(&sb, "\n  %s (%s): %s — %s", v.ID, v.Impact, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "\n    %s", strings.Join(n.Target, ", "))
			if n.Summary != "" {
				fmt.Fprintf(&sb, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
			}
		}
	}
	b.t.Errorf("browser (%s): axe found %d violations on %s (%s):%s", b.vp.name, len(found), state, b.location(), sb.String())
}

// location is the address of the page, for messages.
func (b *browser) location() string {
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return loc
}
