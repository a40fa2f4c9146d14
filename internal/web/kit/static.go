package kit

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"crisisdesk/internal/httpsec"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files under fingerprinted URLs
// (/static/app.3f9a1c2b7d.css): a new build changes the URL, so browsers may
// keep each file for a year.
type assets struct {
	byURL map[string]asset  // "/static/app.3f9a1c2b7d.css" → file
	urls  map[string]string // "app.css" → "/static/app.3f9a1c2b7d.css"
}

type asset struct {
	name string
	data []byte
	etag string
	gz   []byte // data gzip-compressed, for text files worth it; nil otherwise
}

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".txt") {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])[:10]
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext
		a.urls[name] = url
		f := asset{name: name, data: data, etag: `"` + hash + `"`}
		if ext == ".css" || ext == ".js" || ext == ".svg" {
			if gz := gzipBytes(data); len(data) >= minGzip && len(gz) < len(data) {
				f.gz = gz
			}
		}
		a.byURL[url] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load static files: %w", err)
	}
	return a, nil
}

// URL returns the fingerprinted URL of a static file; templates call it as
// static "app.css". An unknown name is an error, which fails the page
// rather than linking to nothing.
func (a *assets) URL(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return u, nil
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byURL["/static/"+r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	if ct := mime.TypeByExtension(path.Ext(f.name)); ct != "" {
		hd.Set("Content-Type", ct)
	}
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("X-Content-Type-Options", "nosniff")
	data, etag := f.data, f.etag
	if f.gz != nil {
		hd.Set("Vary", "Accept-Encoding")
		if httpsec.AcceptsGzip(r.Header["Accept-Encoding"]) {
			data, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("ETag", etag)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(data))
}

// StaticText returns a static file's content, for the offline copies that
// carry their style sheet inline.
func (k *Kit) StaticText(name string) (string, error) {
	u, err := k.assets.URL(name)
	if err != nil {
		return "", err
	}
	return string(k.assets.byURL[u].data), nil
}
