package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/internal/testenv"
)

// a11yJS measures, in the page, what axe-core does not: the focus ring of the focused element,
// the borders of the controls, and the underline of links in running text. Colours are composed
// as the browser paints them: an element's background over its ancestors' down to white.
const a11yJS = `(window.__a11y || (window.__a11y = (() => {
	const parse = c => {
		const m = /^rgba?\(([^)]*)\)$/.exec(c.trim());
		if (!m) return null;
		const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
		return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
	};
	const over = (top, bottom) => {
		const a = top.a + bottom.a * (1 - top.a);
		const mix = k => (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a;
		return {r: mix("r"), g: mix("g"), b: mix("b"), a: a};
	};
	// behind is the colour painted under an element's content: its own background and its
	// ancestors', down to the first opaque one, over white.
	const behind = el => {
		const layers = [];
		for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
			const c = parse(getComputedStyle(e).backgroundColor);
			if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
		}
		let col = {r: 255, g: 255, b: 255, a: 1};
		for (let i = layers.length - 1; i >= 0; i--) col = over(layers[i], col);
		return col;
	};
	const lum = c => {
		const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
	};
	const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
	const hex = c => "#" + [c.r, c.g, c.b].map(v => Math.round(v).toString(16).padStart(2, "0")).join("");
	const name = el => {
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		if (el.getAttribute("name")) s += "[name=" + el.getAttribute("name") + "]";
		if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\s+/).join(".");
		const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 30);
		return text ? s + " \"" + text + "\"" : s;
	};
	const shown = el => {
		const r = el.getBoundingClientRect();
		return el.getClientRects().length > 0 && r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== "hidden";
	};
	let stops = 0;
	return {
		// focus describes the focused element's ring; an outline drawn outside the element lies
		// on its parent's background, one drawn inside on its own.
		focus() {
			const el = document.activeElement;
			if (!el || el === document.body || el === document.documentElement || el.tagName === "IFRAME") return null;
			const s = getComputedStyle(el);
			const ring = parse(s.outlineColor);
			const bg = parseFloat(s.outlineOffset) < 0 ? behind(el) : behind(el.parentElement);
			const r = ring ? ratio(over(ring, bg), bg) : 0;
			const ok = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && r >= 3;
			// A stop is numbered once, so that the test knows when the focus has come round.
			if (!el.__a11yStop) el.__a11yStop = ++stops;
			return {stop: el.__a11yStop, el: name(el), ok: ok, info: s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor + " on " + hex(bg) + ": " + r.toFixed(2) + ":1"};
		},
		// controls lists the shown, enabled controls that cannot be told from what is behind
		// them: neither their border nor their fill reaches 3:1. A button drawn as underlined
		// text is a link to the eye, and needs neither; so is a summary drawn as text, while one
		// drawn as a button (with a border or a fill of its own) is measured as a button.
		controls() {
			const bad = [];
			for (const el of document.querySelectorAll("input, select, textarea, button, summary")) {
				if (el.disabled || el.type === "hidden" || el.type === "checkbox" || el.type === "radio" || !shown(el)) continue;
				const s = getComputedStyle(el);
				if (el.tagName === "SUMMARY" && parseFloat(s.borderTopWidth) === 0 && (parse(s.backgroundColor) || {a: 0}).a === 0) continue;
				const bg = behind(el.parentElement);
				const own = parse(s.backgroundColor);
				const fill = own ? over(own, bg) : bg;
				const bc = parse(s.borderTopColor);
				const border = s.borderTopStyle !== "none" && parseFloat(s.borderTopWidth) > 0 && bc && bc.a > 0 ? ratio(over(bc, bg), bg) : 0;
				const fillRatio = ratio(fill, bg);
				const textual = el.tagName === "BUTTON" && border === 0 && fillRatio < 1.1 && s.textDecorationLine.includes("underline");
				if (border >= 3 || fillRatio >= 3 || textual) continue;
				bad.push(name(el) + ": border " + s.borderTopColor + " " + border.toFixed(2) + ":1, fill " + hex(fill) + " " + fillRatio.toFixed(2) + ":1 on " + hex(bg));
			}
			return bad;
		},
		// links lists the links in running text (a paragraph, a list item, a definition, a
		// notice, with text of its own beside the link) that are not underlined.
		links() {
			const bad = [];
			for (const a of document.querySelectorAll("a[href]")) {
				if (!shown(a) || a.closest("nav, header, .btn, .tile, th")) continue;
				const block = a.parentElement && a.parentElement.closest("p, li, dd, .notice");
				if (!block || block.textContent.trim().length <= a.textContent.trim().length) continue;
				if (!getComputedStyle(a).textDecorationLine.includes("underline")) bad.push(name(a));
			}
			return bad;
		},
	};
})()))`

// a11y runs the measurements of a11yJS that need no interaction (control borders, links in
// running text) on the page state the test has reached, and fails the test for what they find.
func (b *browser) a11y(state string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	var found struct{ Controls, Links []string }
	var err error
	found.Controls, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](a11yJS+`.controls()`))
	if err == nil {
		found.Links, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](a11yJS+`.links()`))
	}
	if err != nil {
		b.screenshot("failure")
		b.t.Fatalf("browser (%s): measuring %s: %v", b.vp.name, state, err)
	}
	for _, c := range found.Controls {
		b.t.Errorf("browser (%s): %s: a control below 3:1 against the page: %s", b.vp.name, state, c)
	}
	for _, l := range found.Links {
		b.t.Errorf("browser (%s): %s: a link in running text is not underlined: %s", b.vp.name, state, l)
	}
}

// focusRings presses Tab through the page, as a keyboard user does, and fails the test for every
// element whose focus ring is missing, thinner than 2px or below 3:1 against what is behind it.
func (b *browser) focusRings(state string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	type ring struct {
		Stop     int
		El, Info string
		OK       bool
	}
	seen := map[int]bool{}
	last := 0
	// Bounded: the pages the test visits have fewer stops than this, and focus wraps around.
	for range 150 {
		if _, err := chromedp.Run(ctx, chromedp.KeyEvent("\t")); err != nil {
			b.t.Fatalf("browser (%s): Tab on %s: %v", b.vp.name, state, err)
		}
		r, err := chromedp.Run(ctx, chromedp.Evaluate[*ring](a11yJS+`.focus()`))
		if err != nil {
			b.t.Fatalf("browser (%s): focus on %s: %v", b.vp.name, state, err)
		}
		// A date field takes a Tab for each of its parts: the same stop again is not yet round.
		if r == nil || r.Stop == last {
			continue
		}
		if seen[r.Stop] {
			break
		}
		seen[r.Stop] = true
		last = r.Stop
		if !r.OK {
			b.t.Errorf("browser (%s): %s: the focus ring of %s does not show: %s", b.vp.name, state, r.El, r.Info)
		}
	}
	if len(seen) < 3 {
		b.t.Errorf("browser (%s): %s: only %d elements took the focus", b.vp.name, state, len(seen))
	}
}

// TestE2EFocusRings: a keyboard user sees where the focus is on every page, on the header's brand
// colour, in the menu, in forms and lists, and in an open dialog.
func TestE2EFocusRings(t *testing.T) {
	for _, vp := range []viewport{desktop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true})
			b := newBrowser(t, env, vp)
			b.signIn("cc", "owner@orbis.example")
			for _, pg := range []struct{ path, sel string }{
				{"/cc/", `nav.menu`},
				{"/cc/orders", `table[data-list=orders]`},
				{"/cc/invoices", `table[data-list=invoices]`},
				{"/cc/users", `#uf-email`},
			} {
				b.run(chromedp.Navigate(env.PortalURL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.sel)))
				b.focusRings(pg.path)
			}
			// An order's page, then its cancel dialog open over it: the Tab goes round the dialog.
			b.run(chromedp.Navigate(env.PortalURL+"/cc/orders?status=New"), chromedp.WaitVisible(chromedp.CSS(`table[data-list=orders]`)))
			b.run(chromedp.Click(chromedp.CSS(`table[data-list=orders] tbody tr:first-child a`)), chromedp.WaitVisible(chromedp.CSS(`[data-cancel]`)))
			b.focusRings("order")
			b.run(chromedp.Click(chromedp.CSS(`[data-cancel]`)), chromedp.WaitVisible(chromedp.CSS(`dialog#cancel-dialog[open] textarea`)))
			b.focusRings("order's cancel dialog")
		})
	}
}

// TestE2EPrint: an order and an invoice print on A4 as documents: black on white, their heading,
// facts, lines and totals, and none of the header, menu, footer, buttons or forms.
func TestE2EPrint(t *testing.T) {
	env := testenv.New(t, testenv.Options{Quiet: true})
	b := newBrowser(t, env, desktop)
	b.signIn("cc", "owner@orbis.example")
	// A4 is 210mm wide; less the print stylesheet's 15mm margins, 180mm are 680 CSS pixels.
	const a4Width = 680
	for _, pg := range []struct{ name, list string }{{"order", "orders"}, {"invoice", "invoices"}} {
		b.run(chromedp.Navigate(env.PortalURL+"/cc/"+pg.list), chromedp.WaitVisible(chromedp.CSS(`table[data-list=`+pg.list+`]`)))
		b.run(chromedp.Click(chromedp.CSS(`table[data-list=`+pg.list+`] tbody tr:first-child a`)), chromedp.WaitVisible(chromedp.CSS(`table[data-lines]`)))
		b.run(
			chromedp.EmulateViewport(a4Width, 960),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
				return err
			}),
		)
		check, err := chromedp.Run(b.ctx, chromedp.Evaluate[struct {
			Shown, Hidden, Colours []string
			Width                  int
		}](`(() => {
			const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
			const r = {Shown: [], Hidden: [], Colours: [], Width: document.documentElement.scrollWidth};
			for (const sel of ["header.top", "nav.menu", "footer", "main button", "main form", "main .btn", "[data-preview]", "main input", "main select", "main textarea", "p.back"]) {
				if ([...document.querySelectorAll(sel)].some(shown)) r.Shown.push(sel);
			}
			for (const sel of ["h1", "dl.facts", "table[data-lines] thead", "table[data-lines] tbody tr", "[data-amount]"]) {
				const els = [...document.querySelectorAll(sel)];
				if (!els.length || !els.every(shown)) r.Hidden.push(sel);
			}
			for (const el of document.querySelectorAll("body, body *")) {
				if (!shown(el)) continue;
				const s = getComputedStyle(el);
				const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
				if (own && s.color !== "rgb(0, 0, 0)") r.Colours.push(el.tagName.toLowerCase() + " text " + s.color);
				if (!["rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"].includes(s.backgroundColor)) r.Colours.push(el.tagName.toLowerCase() + " background " + s.backgroundColor);
			}
			r.Colours = r.Colours.slice(0, 10);
			return r;
		})()`))
		if err != nil {
			t.Fatalf("%s in print: %v", pg.name, err)
		}
		if len(check.Shown) > 0 {
			t.Errorf("%s in print shows %s", pg.name, strings.Join(check.Shown, ", "))
		}
		if len(check.Hidden) > 0 {
			t.Errorf("%s in print does not show %s", pg.name, strings.Join(check.Hidden, ", "))
		}
		if len(check.Colours) > 0 {
			t.Errorf("%s in print is not black on white: %s", pg.name, strings.Join(check.Colours, "; "))
		}
		if check.Width > a4Width {
			t.Errorf("%s in print is %dpx wide, more than A4's %dpx: its right side would be cut", pg.name, check.Width, a4Width)
		}
		b.printed(pg.name)
		b.run(
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
				return err
			}),
			chromedp.EmulateViewport(desktop.width, desktop.height),
		)
	}
}

// printed saves the page as an A4 PDF into E2E_SCREENSHOTS when set, to look at.
func (b *browser) printed(name string) {
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		b.t.Errorf("printing %s: %v", name, err)
		return
	}
	_ = os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, fmt.Sprintf("%s-%s.pdf", strings.ReplaceAll(b.t.Name(), "/", "_"), name))
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		b.t.Errorf("printing %s: %v", name, err)
	}
}
