// Package webui serves the built staff console under /console/ and the API
// reference under /docs from files embedded at build time (dist/, written by
// `make console`). A fresh clone without Node has only dist/README.md: the
// server then answers a placeholder page naming the command that builds them.
package webui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

//go:embed placeholder.html
var placeholder []byte

// Embedded is the console and docs built into this binary (dist/).
func Embedded() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil { // cannot happen: dist is a literal directory of the embed
		panic(err)
	}
	return sub
}

// CSP is the Content-Security-Policy of every page and file served here: only
// this origin's scripts, styles, images (plus data:/blob: for uploaded photos
// and generated downloads) and API calls; no framing, no plugins.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Cache policies: hashed file names never change content, so they are kept a
// year; everything else (index.html) is revalidated on every load so a new
// release is picked up at once.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// Site serves the two trees of a built web UI: console/ (a single-page app
// with client-side routes) and docs/ (the API reference).
type Site struct {
	files fs.FS
}

// New serves the files of fsys (Embedded() in the server; a test FS in tests).
func New(fsys fs.FS) *Site { return &Site{files: fsys} }

// Built reports whether the console was built into fsys.
func (s *Site) Built() bool {
	_, err := fs.Stat(s.files, "console/index.html")
	return err == nil
}

// Console serves /console/…: a file of the build when one matches, else
// index.html so the app's own router shows the page (history mode).
func (s *Site) Console() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/console" {
			http.Redirect(w, r, "/console/", http.StatusMovedPermanently)
			return
		}
		s.serve(w, r, "console", strings.TrimPrefix(r.URL.Path, "/console"))
	})
}

// Docs serves /docs and its files.
func (s *Site) Docs() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, "docs", strings.TrimPrefix(r.URL.Path, "/docs"))
	})
}

// placeholderCSS styles the placeholder page (no inline style under the CSP).
var placeholderCSS = []byte("body{font:16px/1.6 system-ui,sans-serif;color:#303133;background:#f5f7fa}" +
	"main{max-width:40rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:8px}code{background:#f0f2f5;padding:0 .3em}")

func (s *Site) serve(w http.ResponseWriter, r *http.Request, tree, rel string) {
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if _, err := fs.Stat(s.files, tree+"/index.html"); err != nil {
		h.Set("Cache-Control", cacheRevalidate)
		if rel == "placeholder.css" {
			s.write(w, r, "placeholder.css", placeholderCSS)
			return
		}
		s.write(w, r, "placeholder.html", placeholder)
		return
	}
	name := tree + "/" + rel
	if rel == "" || rel == "." {
		name = tree + "/index.html"
	}
	if st, err := fs.Stat(s.files, name); err != nil || st.IsDir() {
		// A path of the app's router, not a file: the app itself answers,
		// except under assets/ where a missing file is a real 404.
		if strings.HasPrefix(rel, "assets/") || path.Ext(rel) != "" {
			http.NotFound(w, r)
			return
		}
		name = tree + "/index.html"
	}
	immutable := strings.HasPrefix(name, tree+"/assets/")
	if immutable {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheRevalidate)
	}
	h.Add("Vary", "Accept-Encoding")
	if immutable && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if gz, err := fs.ReadFile(s.files, name+".gz"); err == nil {
			h.Set("Content-Encoding", "gzip")
			s.write(w, r, name, gz)
			return
		}
	}
	body, err := fs.ReadFile(s.files, name)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if !immutable {
		// Revalidated files answer 304 while unchanged.
		sum := sha256.Sum256(body)
		h.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	}
	s.write(w, r, name, body)
}

// types covers what a Vite build and Swagger UI ship that Go's built-in table
// (used when /etc/mime.types is absent, as in the distroless image) lacks.
var types = map[string]string{
	".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".ico": "image/x-icon",
	".map": "application/json", ".txt": "text/plain; charset=utf-8",
}

func (s *Site) write(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	ct := mime.TypeByExtension(path.Ext(name))
	if t, ok := types[path.Ext(name)]; ok {
		ct = t
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	// ServeContent answers Range and If-Modified-Since; the zero time leaves
	// Last-Modified out (embedded files carry none).
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
