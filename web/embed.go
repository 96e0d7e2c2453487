// Package web holds the portal's templates and static files, embedded into the binary.
package web

import "embed"

// FS holds templates/ (html/template files) and static/ (CSS, JS, icons).
//
//go:embed templates static
var FS embed.FS
