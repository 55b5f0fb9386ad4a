package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// uploadDTO is a stored image as its uploader sees it, with a short-lived link.
type uploadDTO struct {
	ID        int64  `json:"id"`
	Mime      string `json:"mime"`
	Size      int64  `json:"size"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	SHA256    string `json:"sha256"`
	URL       string `json:"url"`
	CreatedAt string `json:"created_at"`
}

func toUpload(u *model.Upload, link imageLinker) uploadDTO {
	return uploadDTO{ID: u.ID, Mime: u.Mime, Size: u.Size, Width: u.Width, Height: u.Height, SHA256: u.SHA256,
		URL: link(u.ID), CreatedAt: rfc3339(u.CreatedAt)}
}

// imageLinker renders the link of an image the caller may see.
type imageLinker func(id int64) string

// imageURL is a short-lived signed link to an image (GET /api/v1/images/{id}).
func (s *Server) imageURL(id int64) string {
	exp, sig := s.d.Uploads.Link(id)
	return fmt.Sprintf("/api/v1/images/%d?exp=%d&sig=%s", id, exp, sig)
}

// upload stores the multipart field "file" as a cleaned image.
func (s *Server) upload(c *gin.Context) {
	if !strings.HasPrefix(c.GetHeader("Content-Type"), "multipart/form-data") {
		fail(c, model.Invalid("请以 multipart/form-data 上传，文件字段名为 file"))
		return
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		fail(c, model.Invalid("请以 multipart/form-data 上传，文件字段名为 file"))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				fail(c, err)
				return
			}
			fail(c, model.Invalid("上传内容无法解析"))
			return
		}
		if part.FormName() != "file" {
			continue
		}
		u, err := s.d.Uploads.Upload(c.Request.Context(), principal(c), part)
		if err != nil {
			fail(c, err)
			return
		}
		ok(c, http.StatusCreated, toUpload(u, s.imageURL))
		return
	}
	fail(c, model.Invalid("缺少文件字段 file"))
}

// getUpload serves an image to whoever may see it (404 to anyone else).
func (s *Server) getUpload(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	u, f, err := s.d.Uploads.Open(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	serveImage(c, u, f, "private, max-age=86400")
}

// getImage serves an image through a signed link (no sign-in): 403 when the
// link was tampered with or has expired.
func (s *Server) getImage(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	exp, _ := strconv.ParseInt(c.Query("exp"), 10, 64) // not a number: 0, long expired
	u, f, err := s.d.Uploads.OpenLink(c.Request.Context(), id, exp, c.Query("sig"))
	if err != nil {
		fail(c, err)
		return
	}
	// Cached by the client no longer than the link lives.
	left := max(exp-s.d.Uploads.Now().Unix(), 0)
	serveImage(c, u, f, fmt.Sprintf("private, max-age=%d", left))
}

func serveImage(c *gin.Context, u *model.Upload, f io.ReadSeekCloser, cacheControl string) {
	defer f.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", u.Mime)
	h.Set("Cache-Control", cacheControl)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+u.SHA256+`"`)
	http.ServeContent(c.Writer, c.Request, "", u.CreatedAt, f)
}

// uploadRoutes registers uploads (with their own body limit) and image links.
func (s *Server) uploadRoutes(g routeGroups) {
	g.upload.POST("/uploads", s.upload)
	g.signed.GET("/uploads/:id", s.getUpload)
	g.v1.GET("/images/:id", s.getImage)
}
