package portal

import "github.com/clientcenter/clientcenter/internal/erpnet"

// langOf is the viewer's language, or the instance's first language when none was chosen (or
// there is no viewer yet).
func (s *Service) langOf(v *Viewer) string {
	if v != nil && v.Lang != "" {
		return v.Lang
	}
	return s.lang
}

// text is a multi-language value in the viewer's language.
func (s *Service) text(v *Viewer, m erpnet.MLString) string { return m.In(s.langOf(v)) }
