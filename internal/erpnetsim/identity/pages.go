package identity

import (
	"bytes"
	"html/template"
	"net/http"
)

// signInView is what the sign-in form shows.
type signInView struct {
	Request  *authRequest
	Username string
	Error    string
}

// PageTitle is the window title after "Erp.Net — ".
func (signInView) PageTitle() string { return "Sign in" }

// The pages are parsed once, at package start, so a broken template stops the program, not a request.
var (
	signInPage = template.Must(template.New("signin").Parse(pageHead + `
<h1>Sign in</h1>
<p class="note">This is a <strong>simulated</strong> Erp.Net instance. Demo users sign in with the password <code>demo</code>.</p>
{{with .Error}}<p class="error" role="alert">{{.}}</p>{{end}}
<form method="post" action="authorize">
  {{with .Request}}
  <input type="hidden" name="client_id" value="{{.ClientID}}">
  <input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
  <input type="hidden" name="response_type" value="{{.ResponseType}}">
  <input type="hidden" name="scope" value="{{.Scope}}">
  <input type="hidden" name="state" value="{{.State}}">
  <input type="hidden" name="nonce" value="{{.Nonce}}">
  <input type="hidden" name="code_challenge" value="{{.CodeChallenge}}">
  <input type="hidden" name="code_challenge_method" value="{{.CodeChallengeMethod}}">
  {{end}}
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" value="{{.Username}}" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <div class="buttons">
    <button type="submit" name="button" value="login">Sign in</button>
    <button type="submit" name="button" value="cancel" class="secondary" formnovalidate>Cancel</button>
  </div>
</form>
</main></body></html>`))

	messagePage = template.Must(template.New("message").Parse(pageHead + `
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
</main></body></html>`))
)

// pageHead is the shared top of the identity server's pages.
const pageHead = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Erp.Net — {{.PageTitle}}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f3f5f8;color:#1d2733;margin:0}
main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #b8c2cc;border-radius:4px}
.buttons{margin-top:1.2rem;display:flex;gap:.5rem}
button{padding:.5rem 1rem;border:0;border-radius:4px;background:#1f6feb;color:#fff;cursor:pointer}
button.secondary{background:#e1e6eb;color:#1d2733}
.note{font-size:.9rem;color:#52606d}
.error{background:#fde8e8;color:#9b1c1c;padding:.5rem;border-radius:4px}
</style></head><body><main>
<p class="brand">Erp.Net</p>`

// showSignInForm renders the sign-in form.
func showSignInForm(w http.ResponseWriter, status int, v signInView) {
	renderIdentityPage(w, status, signInPage, v)
}

// showMessagePage renders a page with a title and one sentence (errors, signed out).
func showMessagePage(w http.ResponseWriter, status int, title, text string) {
	renderIdentityPage(w, status, messagePage, map[string]string{"PageTitle": title, "Title": title, "Text": text})
}

// renderIdentityPage renders into a buffer first, so a failing page never sends half a document.
func renderIdentityPage(w http.ResponseWriter, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		http.Error(w, "rendering the page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
