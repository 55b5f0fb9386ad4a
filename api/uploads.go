package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

func uploadDTO(u *model.Upload) gin.H {
	return gin.H{"id": u.ID, "mime": u.Mime, "size": u.Size, "width": u.Width, "height": u.Height, "sha256": u.SHA256,
		"url": fmt.Sprintf("/api/v1/uploads/%d", u.ID), "created_at": rfc3339(u.CreatedAt)}
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
		ok(c, http.StatusCreated, uploadDTO(u))
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
	defer f.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", u.Mime)
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+u.SHA256+`"`)
	http.ServeContent(c.Writer, c.Request, "", u.CreatedAt, f)
}
