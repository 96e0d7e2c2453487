package portal

import (
	"context"

	"github.com/clientcenter/clientcenter/internal/erpnet"
)

type langKey struct{}

// WithLang carries the language the person reads in: Erp.Net's multi-language values on the
// pages of this request are shown in it, in English where a value has none.
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey{}, lang)
}

// langOf is the request's language, or the instance's first language when none was chosen.
func (s *Service) langOf(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok && l != "" {
		return l
	}
	return s.lang
}

// text is a multi-language value in the request's language.
func (s *Service) text(ctx context.Context, m erpnet.MLString) string { return m.In(s.langOf(ctx)) }
