package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/clientcenter/clientcenter/internal/cache"
)

const requestIDKey = "request_id"

// requestID gives every request an id, shown on error pages and in the log. An incoming
// X-Request-Id from a proxy is kept when it looks sane.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if len(id) < 8 || len(id) > 64 || !isToken(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Header("X-Request-Id", id)
		// The request reads the replicas' shared generations once (see cache.WithRequest).
		c.Request = c.Request.WithContext(cache.WithRequest(c.Request.Context()))
		c.Next()
	}
}

func isToken(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// accessLog writes one line per request, at a level chosen by status. It logs the path without
// the query string, and never cookies or tokens.
func accessLog(log *zap.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := zapcore.InfoLevel
		switch {
		case status >= 500:
			level = zapcore.ErrorLevel
		case status >= 400 && status != http.StatusNotFound:
			level = zapcore.WarnLevel
		case c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz" || len(c.Request.URL.Path) > 7 && c.Request.URL.Path[:8] == "/static/":
			level = zapcore.DebugLevel
		}
		if ce := log.Check(level, "request"); ce != nil {
			ce.Write(zap.String("id", c.GetString(requestIDKey)), zap.String("method", c.Request.Method),
				zap.String("path", c.Request.URL.Path), zap.String("route", c.FullPath()), zap.Int("status", status),
				zap.Duration("duration", time.Since(start)), zap.Int("bytes", c.Writer.Size()))
		}
	}
}

// recovery turns a panic into the generic error page and logs the stack; the person sees only the request id.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic", zap.String("id", c.GetString(requestIDKey)), zap.String("panic", fmt.Sprint(v)), zap.ByteString("stack", debug.Stack()))
				if !c.Writer.Written() {
					s.renderError(c, errInternal)
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// securityHeaders sets a strict CSP (no inline script), frame denial, no-sniff and a referrer policy.
func (s *Server) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		formAction := "'self'"
		if a := s.formActionOrigin(); a != "" {
			formAction += " " + a // sign-out redirects to the identity server
		}
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; frame-src 'self'; frame-ancestors 'self'; form-action "+formAction)
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		c.Next()
	}
}

// noStore keeps pages with customer data out of shared caches and the back-forward cache after sign-out.
func noStore() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.Next()
	}
}
