package server

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Bounds of a request body. The portal takes no uploads, so no form it knows comes near these.
const (
	maxFormBytes  = 256 << 10 // a few hundred KiB: the longest form (New Order with many lines) is far below
	maxFormFields = 2000      // values in one urlencoded form
)

var (
	errTooLarge = &appError{Status: http.StatusRequestEntityTooLarge, Heading: "Request too large",
		Message: "What was sent is larger than any form of this portal takes. Nothing was saved; please go back and try again with less."}
	errNoUploads = &appError{Status: http.StatusUnsupportedMediaType, Heading: "Uploads not accepted",
		Message: "This form does not take files. Nothing was saved."}
	errTooManyFields = &appError{Status: http.StatusBadRequest, Heading: "Bad request",
		Message: "The form has more fields than any form of this portal. Nothing was saved."}
)

// boundBody limits every request body and parses forms up front, on the request net/http gave us,
// so that no later copy of the request parses anything on its own. A multipart body (a file
// upload) is refused before a byte of it is read, so nothing can reach the disk.
func (s *Server) boundBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet || r.Method == http.MethodHead {
			c.Next()
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); strings.HasPrefix(mt, "multipart/") {
			r.Body = http.NoBody
			c.Header("Connection", "close") // do not read the rest of a large upload to reuse the connection
			s.fail(c, errNoUploads)
			return
		}
		if r.ContentLength > maxFormBytes {
			c.Header("Connection", "close")
			s.fail(c, errTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(c.Writer, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.fail(c, errTooLarge)
				return
			}
			s.fail(c, errBadRequest)
			return
		}
		fields := 0
		for _, vs := range r.PostForm {
			fields += len(vs)
		}
		if fields > maxFormFields {
			s.fail(c, errTooManyFields)
			return
		}
		c.Next()
	}
}
