// Package e2e drives the portal in a real browser: the system Chromium through chromedp, with the
// simulator and the portal in-process. Screenshots are saved when a test fails, and always when
// E2E_SCREENSHOTS names a folder.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// viewport is a screen a person uses.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1366, 900, false}
	phone   = viewport{"phone", 390, 844, true}
)

// chromium finds the system browser. CI installs it; elsewhere the browser tests are skipped
// when it is missing, and fail in CI.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it")
	}
	t.Skip("chromium is not installed")
	return ""
}

// stepTimeout bounds one step of a test, so a broken page fails the test instead of hanging it.
const stepTimeout = 20 * time.Second

// browser is one Chromium tab at a viewport, against a running environment.
type browser struct {
	t   *testing.T
	ctx context.Context
	env *testenv.Env
	vp  viewport
	n   int
	// axeNoted is set once the test has been told that axe-core is missing.
	axeNoted bool
}

func newBrowser(t *testing.T, env *testenv.Env, vp viewport) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(vp.width), int(vp.height)),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser; its context must outlive every step, so it has no timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: %v", err)
	}
	b := &browser{t: t, ctx: ctx, env: env, vp: vp}
	var emu []chromedp.EmulateViewportOption
	if vp.mobile {
		emu = append(emu, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.run(chromedp.EmulateViewport(vp.width, vp.height, emu...))
	// Confirmation dialogs are accepted, as a person who means it would.
	acceptDialogs(ctx)
	return b
}

// run performs actions, saving a screenshot and failing the test on error.
func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.screenshot("failure")
		b.t.Fatalf("browser (%s): %v", b.vp.name, err)
	}
}

// shot marks a page state the test has reached: axe-core and the measurements of a11y check it
// for accessibility, and it is saved as a screenshot.
func (b *browser) shot(name string) {
	b.t.Helper()
	b.axe(name)
	b.a11y(name)
	b.screenshot(name)
}

// screenshot saves a full-page screenshot: into E2E_SCREENSHOTS when set, else (once the test has
// failed) a temp folder.
func (b *browser) screenshot(name string) {
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		if !b.t.Failed() && name != "failure" {
			return
		}
		dir = filepath.Join(os.TempDir(), "clientcenter-e2e")
	}
	_ = os.MkdirAll(dir, 0o755)
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	b.n++
	file := filepath.Join(dir, strings.ReplaceAll(b.t.Name(), "/", "_")+"-"+b.vp.name+"-"+name+".png")
	if os.WriteFile(file, png, 0o644) == nil && os.Getenv("E2E_SCREENSHOTS") == "" {
		b.t.Logf("screenshot: %s", file)
	}
}

// signIn opens the instance, fills in the simulator's sign-in form and waits for the portal.
func (b *browser) signIn(instance, login string) {
	b.t.Helper()
	b.run(
		chromedp.Navigate(b.env.PortalURL+"/"+instance+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), login),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), erpnetsim.DemoPassword),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.menu`)),
	)
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.screenshot("failure")
		b.t.Fatalf("browser (%s): text of %s: %v", b.vp.name, sel, err)
	}
	return strings.TrimSpace(s)
}

// count is the number of elements matching sel.
func (b *browser) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(sel)+`).length`))
	if err != nil {
		b.t.Fatalf("browser (%s): count %s: %v", b.vp.name, sel, err)
	}
	return n
}

// attr is the value of an attribute of the first element matching sel.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		b.t.Fatalf("browser (%s): attribute %s of %s: %v", b.vp.name, name, sel, err)
	}
	return res.Value
}

// waitFor waits until a JavaScript expression is true on the page.
func (b *browser) waitFor(expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	// Evaluated again and again: a navigation in between only means "not yet".
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
			b.screenshot("failure")
			b.t.Fatalf("browser (%s): waiting for %s: %v", b.vp.name, expr, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
