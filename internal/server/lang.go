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

// languageNames are the languages as their speakers write them.
var languageNames = map[string]string{"en": "English", "bg": "Български"}

// returnOf is where a form posted from any page goes back to: its "return" field (the footer's
// switcher names the page it is on), else the page it was posted from, which the same-origin
// referrer policy sends with the post.
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
