package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/clock"
	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// post sends body to path as a same-origin browser would, with the given content type.
func post(t *testing.T, b *testenv.Browser, path, contentType string, body io.Reader) (int, string) {
	t.Helper()
	status, text, err := tryPost(b, path, contentType, body)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	return status, text
}

// tryPost is post for a body the server may stop reading: the error is the caller's to judge.
func tryPost(b *testenv.Browser, path, contentType string, body io.Reader) (int, string, error) {
	req, _ := http.NewRequest(http.MethodPost, b.Abs(path), body)
	req.Header.Set("Content-Type", contentType)
	u, _ := url.Parse(req.URL.String())
	req.Header.Set("Origin", u.Scheme+"://"+u.Host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.Client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw), nil
}

// multipartBody is a form with a file part of size bytes, streamed.
func multipartBody(size int) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("lang", "bg")
		fw, err := mw.CreateFormFile("file", "big.bin")
		if err != nil { // the server stopped reading before the file part began
			pw.CloseWithError(err)
			return
		}
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for n := 0; n < size; n += len(chunk) {
			if _, err := fw.Write(chunk); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		mw.Close()
		pw.Close()
	}()
	return pr, mw.FormDataContentType()
}

func TestUploadsLeaveNothingOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where net/http would spill a multipart file part
	env := testenv.New(t, testenv.Options{Quiet: true})
	anon := env.NewBrowser(t)
	signedIn, _ := env.SignIn(t, "cc", "owner@orbis.example")
	for _, tt := range []struct {
		name string
		b    *testenv.Browser
		path string
	}{
		{"signed out, language switch", anon, "/cc/lang"},
		{"signed in, column chooser", signedIn, "/cc/orders/columns"},
		{"signed in, customer switch", signedIn, "/cc/customer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartBody(100 << 10)
			status, text := post(t, tt.b, tt.path, ct, body)
			if status != http.StatusUnsupportedMediaType {
				t.Errorf("multipart POST %s: %d, want 415", tt.path, status)
			}
			if !strings.Contains(text, "does not take files") {
				t.Errorf("the answer does not say why: %.300s", text)
			}
			// A large upload is answered the same way, or its connection is closed before the
			// rest is read; either way none of it is kept.
			body, ct = multipartBody(40 << 20)
			if status, _, err := tryPost(tt.b, tt.path, ct, body); err == nil && status != http.StatusUnsupportedMediaType {
				t.Errorf("40 MiB multipart POST %s: %d, want 415 or a closed connection", tt.path, status)
			}
		})
	}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		t.Errorf("left on disk: %s", e.Name())
	}
}

func TestOversizedFormsAreRefusedWithAMessage(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	big := "notes=" + strings.Repeat("a", 300<<10)
	many := strings.Repeat("a=1&", 3000) + "lang=bg"
	for _, tt := range []struct {
		name, body string
		want       int
		says       string
	}{
		{"over 256 KiB", big, http.StatusRequestEntityTooLarge, "larger than any form"},
		{"too many fields", many, http.StatusBadRequest, "more fields"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, text := post(t, b, "/cc/lang", "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			if status != tt.want {
				t.Errorf("status %d, want %d", status, tt.want)
			}
			if !strings.Contains(text, tt.says) {
				t.Errorf("the answer does not say %q: %.300s", tt.says, text)
			}
		})
	}
	// A chunked body (no Content-Length) is cut at the limit too.
	status, _ := post(t, b, "/cc/lang", "application/x-www-form-urlencoded", io.MultiReader(strings.NewReader(big)))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked oversized form: %d, want 413", status)
	}
	// An ordinary form still works.
	if p := b.Post("/cc/lang", url.Values{"lang": {"bg"}, "return": {"/cc/"}}); p.Status != http.StatusOK {
		t.Errorf("ordinary language switch: %s", p)
	}
}

func TestPagingOverflowIsClamped(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	b, _ := env.SignIn(t, "cc", "owner@orbis.example")
	for _, list := range []string{"/cc/orders", "/cc/invoices", "/cc/due-payments", "/cc/payments", "/cc/orders.csv", "/cc/invoices.csv"} {
		for _, page := range []string{"368934881474191033", "9223372036854775807", "-9223372036854775808", "4611686018427387904"} {
			p := b.Get(fmt.Sprintf("%s?page=%s&size=50", list, page))
			if p.Status != http.StatusOK {
				t.Errorf("%s page %s: %d, want 200", list, page, p.Status)
			}
		}
	}
}

func TestReadyzSpendsNoBudget(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Now())
	env := testenv.New(t, testenv.Options{Quiet: true, Now: clk.Now})
	anon := env.NewBrowser(t)
	env.Sim.ResetCalls()
	for range 600 {
		if p := anon.Get("/readyz"); p.Status != http.StatusOK {
			t.Fatalf("readyz: %s", p)
		}
	}
	if got := env.Sim.TotalAPICalls(); got > 1 {
		t.Errorf("600 /readyz made %d calls to Erp.Net, want at most 1", got)
	}
	t.Logf("600 /readyz: %d Erp.Net calls", env.Sim.TotalAPICalls())

	state := func() string {
		p := anon.Get("/readyz")
		if p.Status != http.StatusOK {
			t.Fatalf("readyz: %s, want 200 whatever Erp.Net does", p)
		}
		var body struct {
			Status string `json:"status"`
			ERP    struct {
				Status string `json:"status"`
			} `json:"erpnet"`
		}
		if err := json.Unmarshal([]byte(p.Body), &body); err != nil {
			t.Fatalf("readyz body: %v: %s", err, p.Body)
		}
		return body.Status + "/" + body.ERP.Status
	}
	if got := state(); got != "ready/up" {
		t.Errorf("Erp.Net up: %s, want ready/up", got)
	}
	env.Sim.SetFaults(erpnetsim.Faults{Outage: true})
	clk.Advance(11 * time.Second)
	if got := state(); got != "ready/down" {
		t.Errorf("Erp.Net down: %s, want ready/down", got)
	}
	env.Sim.SetFaults(erpnetsim.Faults{})
	clk.Advance(11 * time.Second)
	if got := state(); got != "ready/up" {
		t.Errorf("Erp.Net back: %s, want ready/up", got)
	}
}

func TestMetricsNeedATokenByDefault(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		configure func(*config.Config)
		want      int
	}{
		{"no token set", func(*config.Config) {}, http.StatusForbidden},
		{"anonymous allowed", func(c *config.Config) { c.Metrics.AllowAnonymous = true }, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Quiet: true, Configure: tt.configure})
			if p := env.NewBrowser(t).Get("/metrics"); p.Status != tt.want {
				t.Errorf("/metrics: %d, want %d", p.Status, tt.want)
			}
		})
	}
}
