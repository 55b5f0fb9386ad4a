package api

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"zhilian/model"
	"zhilian/service"
)

// statsRoutes adds the statistics routes: an admin's subtree, a cadre's
// jurisdiction, and the exports.
func (s *Server) statsRoutes(g routeGroups) {
	g.admin.GET("/stats", s.getStats)
	g.admin.GET("/stats/export", s.exportStats)
	g.work.GET("/stats", s.getStats)
}

// statsQuery reads org_id, from, to and group and checks the caller's reach.
func (s *Server) statsQuery(c *gin.Context) (model.StatsQuery, error) {
	orgID, err := queryInt(c, "org_id")
	if err != nil {
		return model.StatsQuery{}, err
	}
	return s.d.Stats.Query(c.Request.Context(), principal(c), service.StatsInput{
		OrgID: orgID, From: c.Query("from"), To: c.Query("to"), Group: c.Query("group")})
}

// getStats answers the figures of the caller's org (or org_id below it) for a period.
func (s *Server) getStats(c *gin.Context) {
	q, err := s.statsQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	r, err := s.d.Stats.Report(c.Request.Context(), q)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, statsReportOf(r))
}

// Export content types.
const (
	csvType  = "text/csv; charset=utf-8"
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// exportStats streams the report (or, with detail=items, one row per item)
// as CSV or XLSX.
func (s *Server) exportStats(c *gin.Context) {
	format, detail := c.DefaultQuery("format", "csv"), c.Query("detail")
	if format != "csv" && format != "xlsx" {
		fail(c, model.Invalid("format 须为 csv 或 xlsx"))
		return
	}
	if detail != "" && detail != "items" {
		fail(c, model.Invalid("detail 须为空或 items"))
		return
	}
	q, err := s.statsQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	kind := "stats"
	if detail == "items" {
		kind = "items"
	}
	name := fmt.Sprintf("zhilian-%s-%d-%s-%s.%s", kind, q.Org.ID, model.FormatDate(q.From), model.FormatDate(q.To), format)
	if detail == "items" {
		s.exportItems(c, q, format, name)
		return
	}
	r, err := s.d.Stats.Report(c.Request.Context(), q)
	if err != nil {
		fail(c, err)
		return
	}
	tables := statsTables(r)
	if format == "csv" {
		w := startCSV(c, name)
		for i, t := range tables {
			if i > 0 {
				_ = w.Write(nil)
			}
			_ = w.Write([]string{t.Title})
			_ = w.Write(t.Columns)
			for _, row := range t.Rows {
				_ = w.Write(cells(row))
			}
		}
		endCSV(c, w)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		sw, err := newSheet(f, i, t.Title, t.Columns)
		if err != nil {
			fail(c, err)
			return
		}
		for j, row := range t.Rows {
			if err := setRow(sw, j+2, row); err != nil {
				fail(c, err)
				return
			}
		}
		if err := sw.Flush(); err != nil {
			fail(c, err)
			return
		}
	}
	writeXLSX(c, f, name)
}

// exportItems streams one row per item of the period, read in batches.
func (s *Server) exportItems(c *gin.Context, q model.StatsQuery, format, name string) {
	ctx := c.Request.Context()
	if format == "csv" {
		w := startCSV(c, name)
		_ = w.Write(itemColumns)
		n := 0
		err := s.d.Stats.Items(ctx, q, func(it service.StatsItemRow) error {
			if n++; n%1000 == 0 {
				w.Flush()
				c.Writer.Flush()
			}
			return w.Write(cells(itemCells(it)))
		})
		if err != nil { // the status is sent: cut the body short so the file is not taken as whole
			logger(c).ErrorContext(ctx, "item export failed", "err", err)
			panic(http.ErrAbortHandler)
		}
		endCSV(c, w)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := newSheet(f, 0, itemSheet, itemColumns)
	if err != nil {
		fail(c, err)
		return
	}
	n := 1
	err = s.d.Stats.Items(ctx, q, func(it service.StatsItemRow) error {
		n++
		return setRow(sw, n, itemCells(it))
	})
	if err == nil {
		err = sw.Flush()
	}
	if err != nil { // nothing is sent yet: an ordinary error answer
		fail(c, err)
		return
	}
	writeXLSX(c, f, name)
}

// attachment sets the download headers.
func attachment(c *gin.Context, contentType, name string) {
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
}

// startCSV sends the headers and the UTF-8 byte order mark (so Excel reads Chinese right).
func startCSV(c *gin.Context, name string) *csv.Writer {
	attachment(c, csvType, name)
	_, _ = c.Writer.WriteString("\uFEFF")
	return csv.NewWriter(c.Writer)
}

// endCSV flushes what is left.
func endCSV(c *gin.Context, w *csv.Writer) {
	w.Flush()
	if err := w.Error(); err != nil {
		logger(c).WarnContext(c.Request.Context(), "csv export cut short", "err", err)
	}
}

// cells writes values as CSV fields; numbers keep full precision.
func cells(row []any) []string {
	out := make([]string, len(row))
	for i, v := range row {
		switch x := v.(type) {
		case string:
			out[i] = x
		case int:
			out[i] = strconv.Itoa(x)
		case int64:
			out[i] = strconv.FormatInt(x, 10)
		case float64:
			out[i] = strconv.FormatFloat(x, 'f', -1, 64)
		case nil:
		default:
			out[i] = fmt.Sprint(x)
		}
	}
	return out
}

// newSheet adds the i-th worksheet with a header row and returns its stream writer.
func newSheet(f *excelize.File, i int, title string, columns []string) (*excelize.StreamWriter, error) {
	name := sheetName(title)
	var err error
	if i == 0 {
		err = f.SetSheetName(f.GetSheetName(0), name)
	} else {
		_, err = f.NewSheet(name)
	}
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	head := make([]any, len(columns))
	for j, col := range columns {
		head[j] = col
	}
	return sw, sw.SetRow("A1", head)
}

// setRow writes a row at a 1-based row number.
func setRow(sw *excelize.StreamWriter, n int, row []any) error {
	cell, err := excelize.CoordinatesToCellName(1, n)
	if err != nil {
		return err
	}
	return sw.SetRow(cell, row)
}

// writeXLSX sends the workbook; the stream writers keep rows beyond 16 MB in
// a temporary file, and the archive is compressed straight to the client
// (excelize's Write would build the whole archive in memory first).
func writeXLSX(c *gin.Context, f *excelize.File, name string) {
	attachment(c, xlsxType, name)
	zw := zip.NewWriter(c.Writer)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	if _, err := f.WriteToBuffer(); err != nil { // writes through zw, which it closes
		logger(c).ErrorContext(c.Request.Context(), "xlsx export failed", "err", err)
		panic(http.ErrAbortHandler)
	}
}
