package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/i18n"
)

const (
	langKey    = "lang"
	langCookie = "cc_lang"
)

// languagesOf are the languages a request may be answered in: its Client Center's, or every
// language the portal speaks on the pages shared by all of them (sign-in, the index).
func languagesOf(c *gin.Context) []string {
	if in := instanceOf(c); in != nil && len(in.cfg.Languages) > 0 {
		return in.cfg.Languages
	}
	return config.SupportedLanguages
}

// chooseLang is the person's language: the one they chose (a cookie), else the best match of
// their browser's languages, else the first offered. A choice the offer no longer has is ignored.
func chooseLang(c *gin.Context) string {
	offered := languagesOf(c)
	if ck, err := c.Request.Cookie(langCookie); err == nil && slices.Contains(offered, ck.Value) {
		return ck.Value
	}
	if l := i18n.Match(c.GetHeader("Accept-Language"), offered); l != "" {
		return l
	}
	return offered[0]
}

// langOf is the request's language, chosen once per request.
func langOf(c *gin.Context) string {
	if l := c.GetString(langKey); l != "" {
		return l
	}
	l := chooseLang(c)
	c.Set(langKey, l)
	return l
}

// tr is key in the request's language (see i18n.T).
func tr(c *gin.Context, key string, args ...any) string { return i18n.T(langOf(c), key, args...) }

// T is key in the page's language, for templates: {{$.T "Orders"}}.
func (v *view) T(key string, args ...any) string { return i18n.T(v.Lang, key, args...) }

// langChoice is one entry of the footer's language switcher.
type langChoice struct {
	Code, Name string
	Current    bool
}

// languageNames are the languages as their speakers write them.
var languageNames = map[string]string{"en": "English", "bg": "Български"}

// Langs are the languages the switcher offers, when there is a choice at all.
func (v *view) Langs() []langChoice {
	if v.Inst == nil || len(v.offered) < 2 {
		return nil
	}
	out := make([]langChoice, 0, len(v.offered))
	for _, l := range v.offered {
		out = append(out, langChoice{Code: l, Name: languageNames[l], Current: l == v.Lang})
	}
	return out
}

// returnOf is where a form posted from any page goes back to: its "return" field, else the page
// it was posted from. The switcher sits in the footer of pages that are kept whole, so it names
// no page of its own; the same-origin referrer policy sends the page's address with the post.
func returnOf(c *gin.Context) string {
	if r := c.PostForm("return"); r != "" {
		return r
	}
	u, err := url.Parse(c.GetHeader("Referer"))
	if err != nil || u.Host != c.Request.Host {
		return ""
	}
	return u.RequestURI()
}

// chooseLanguage handles "POST /:cc/lang": remembers the person's language in a cookie and goes
// back where they were. Only a language of this Client Center can be chosen.
func (s *Server) chooseLanguage(c *gin.Context) {
	in := instanceOf(c)
	lang := c.PostForm("lang")
	if !slices.Contains(in.cfg.Languages, lang) {
		s.fail(c, errBadRequest)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.secure, HttpOnly: true})
	back := safeReturn(returnOf(c))
	if !strings.HasPrefix(back, in.base+"/") {
		back = in.base + "/"
	}
	redirectSeeOther(c, back)
}
