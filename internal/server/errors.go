package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/internal/erpnet"
	"github.com/clientcenter/clientcenter/internal/portal"
)

// appError is an error with what the person should read: a status, a heading, a message and,
// where the vendor has one, the CC code tenants look up.
type appError struct {
	Status   int
	Heading  string
	Message  string
	Code     string // e.g. CC010
	CodeText string // the vendor's text of the code
	CodeFix  string // the vendor's second sentence: what the administrator does about it
	Args     []any  // the values of Message, a key of the message catalog
	Retry    bool
}

func (e *appError) Error() string { return e.Heading + ": " + e.Message }

var (
	errNotFound = &appError{Status: http.StatusNotFound, Heading: "Not found",
		Message: "There is nothing here. The link may be old, or the page is not part of this Client Center."}
	errForbidden = &appError{Status: http.StatusForbidden, Heading: "Not available for your role",
		Message: "Your role does not open this page. Ask an Admin of your company if you need it."}
	errInternal = &appError{Status: http.StatusInternalServerError, Heading: "Something went wrong",
		Message: "The page could not be shown. Please try again; if it keeps happening, tell us the request id below.", Retry: true}
	errUnavailable = &appError{Status: http.StatusServiceUnavailable, Heading: "Our ERP system is not reachable",
		Message: "The ERP system behind this portal is not answering right now, and there is no saved copy of this page. Please try again in a few minutes.", Retry: true}
	errBadRequest = &appError{Status: http.StatusBadRequest, Heading: "Bad request",
		Message: "The request could not be understood."}
)

// classify maps any error to what the person sees; the details go to the log, never to the page.
func (s *Server) classify(c *gin.Context, err error) *appError {
	var ae *appError
	var pe *portal.Error
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &pe):
		return &appError{Status: statusOf(pe.Kind), Heading: pe.Heading, Message: pe.Message, Args: pe.Args, Code: pe.Code,
			CodeText: portal.CodeTexts[pe.Code], CodeFix: portal.CodeFixes[pe.Code]}
	case errors.Is(err, portal.ErrNotFound), erpnet.IsNotFound(err):
		return errNotFound
	case erpnet.IsUnavailable(err), erpnet.IsRateLimited(err):
		s.log.Warn("erp.net unavailable", zap.String("id", c.GetString(requestIDKey)), zap.Error(err))
		return errUnavailable
	}
	s.log.Error("request failed", zap.String("id", c.GetString(requestIDKey)), zap.String("path", c.Request.URL.Path), zap.Error(err))
	return errInternal
}

// statusOf is the HTTP status of a kind of refusal: the one place the portal's kinds meet HTTP.
func statusOf(k portal.Kind) int {
	switch k {
	case portal.KindNotFound:
		return http.StatusNotFound
	case portal.KindConflict:
		return http.StatusConflict
	case portal.KindInvalid:
		return http.StatusBadRequest
	case portal.KindForbidden:
		return http.StatusForbidden
	case portal.KindUnavailable:
		return http.StatusUnprocessableEntity
	case portal.KindTooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError // KindSetup: the Client Center's settings, not the person
}

// refusal is a portal refusal's message in the request's language.
func refusal(c *gin.Context, pe *portal.Error) string { return tr(c, pe.Message, pe.Args...) }

// fail renders err through the one error path and stops the chain.
func (s *Server) fail(c *gin.Context, err error) {
	s.renderError(c, s.classify(c, err))
	c.Abort()
}

// zapErr are the log fields of a failed request.
func zapErr(c *gin.Context, err error) []zap.Field {
	return []zap.Field{zap.String("id", c.GetString(requestIDKey)), zap.String("path", c.Request.URL.Path), zap.Error(err)}
}
