package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/clientcenter/clientcenter/web"
)

// assetsHash names the embedded static files by their content, for the ?v= of asset URLs: a
// browser fetches them again exactly when they change, and the URL tells nothing of the version.
func assetsHash(files fs.FS) string {
	h := sha256.New()
	var names []string
	_ = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return nil
	})
	sort.Strings(names)
	for _, name := range names {
		b, _ := fs.ReadFile(files, name)
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// filesOnly is a file system that has no directories to list: opening one is "not found".
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}

// staticFiles serves "GET /static/*file": the embedded CSS and scripts, never a listing. A URL
// naming the current content hash may be kept by the browser for good.
func (s *Server) staticFiles() gin.HandlerFunc {
	static, _ := fs.Sub(web.FS, "static")
	files := http.StripPrefix("/static", http.FileServer(http.FS(filesOnly{static})))
	return func(c *gin.Context) {
		if c.Query("v") == s.assets {
			c.Header("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(c.Writer, c.Request)
	}
}
