// Package web holds the portal's pages, as templ components with their view models (the
// generated *_templ.go files are committed; make generate writes them), and its static files,
// embedded into the binary.
package web

import "embed"

// FS holds static/ (CSS, JS, icons).
//
//go:embed static
var FS embed.FS
