package api

import (
	"strings"
	"time"

	"zhilian/model"
	"zhilian/service"
)

// statsTable is a section of a report as readers see it: the form the
// exports take (a CSV section, a worksheet) and the wire form of an extra
// section under `sections`.
type statsTable struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// sectionLayout is how an extra section reads: its title and its column
// labels by column key.
type sectionLayout struct {
	title   string
	columns map[string]string
}

// sectionLayouts are the titles and column labels of the extra sections by
// key; a section or column not listed reads as its key.
var sectionLayouts = map[string]sectionLayout{
	"by_point": {"按驻点", map[string]string{"point_id": "驻点ID", "point": "驻点", "held": "举行场次",
		"cancelled": "取消场次", "booked": "预约", "checked_in": "签到", "no_shows": "爽约",
		"walk_ins": "现场登记(无预约)", "collected": "收集诉求", "solved": "当场解决"}},
	"by_department": {"按职能部门（约请）", map[string]string{"department_id": "部门ID", "department": "部门",
		"received": "收到约请", "answered": "已答复", "declined": "其中婉拒", "open": "未办结", "overdue": "逾期未办结"}},
}

// sectionTable titles an extra section and labels its columns.
func sectionTable(t model.StatsTable) statsTable {
	l, ok := sectionLayouts[t.Key]
	title := t.Key
	if ok {
		title = l.title
	}
	cols := make([]string, len(t.Columns))
	for i, k := range t.Columns {
		if label, ok := l.columns[k]; ok {
			cols[i] = label
		} else {
			cols[i] = k
		}
	}
	return statsTable{Key: t.Key, Title: title, Columns: cols, Rows: t.Rows}
}

// sourceLabel is a source as readers see it.
func sourceLabel(s model.RequestSource) string {
	switch s {
	case model.SourceMiniProgram:
		return "小程序"
	case model.SourceSession:
		return "驻点接访"
	case model.SourceWalkIn:
		return "来访登记"
	case model.SourceStaff:
		return "干部录入"
	case model.SourceOpen311:
		return "Open311"
	}
	return string(s)
}

// residencyLabel is a residency type as readers see it ("" is unknown).
func residencyLabel(r string) string {
	switch model.Residency(r) {
	case model.Hukou:
		return "户籍"
	case model.NonHukou:
		return "非户籍"
	}
	return "未登记"
}

// countColumns are the column titles of model.StatsCounts in exports, in countValues order.
var countColumns = []string{"收集", "占比", "受理", "待受理", "办理中", "长期挂账", "未办结", "已解决", "已答复",
	"不予受理", "已合并", "超期", "解决答复率", "办结", "按时办结", "按时办结率", "评价数", "平均评分", "满意(4–5分)", "满意率",
	"重办次数", "重办件数"}

// countValues lists the figures of c in countColumns order.
func countValues(c model.StatsCounts) []any {
	return []any{c.Collected, c.Share, c.Accepted, c.Pending, c.InProgress, c.LongTerm, c.Open, c.Resolved,
		c.Responded, c.Rejected, c.Merged, c.Overdue, c.Rate, c.Closed, c.OnTime, c.OnTimeRate, c.Rated, c.AvgScore,
		c.Satisfied, c.SatisfiedShare, c.RedoCount, c.Redone}
}

// withCounts is a header followed by more columns and the count columns.
func withCounts(head []string, more ...string) []string {
	return append(append(append([]string{}, head...), more...), countColumns...)
}

// statsTables lists the report as tables, in order: overview, category,
// residency, source, org, series, then the extra sections.
func statsTables(r *model.StatsReport) []statsTable {
	c := r.StatsCounts
	overview := statsTable{Key: "overview", Title: "总体", Columns: []string{"指标", "数值"}, Rows: [][]any{
		{"机构", r.Org.Name}, {"起始日期", r.From}, {"截止日期(不含)", r.To},
		{"统计时点", r.AsOf.In(model.Shanghai).Format(time.RFC3339)},
		{"提交", r.Submitted}, {"撤回", r.Withdrawn},
	}}
	for i, v := range countValues(c) {
		if i == 1 { // share of itself
			continue
		}
		overview.Rows = append(overview.Rows, []any{countColumns[i], v})
	}
	overview.Rows = append(overview.Rows,
		[]any{"受理用时-件数", r.AcceptDays.Count}, []any{"受理用时-平均(工作日)", r.AcceptDays.Avg},
		[]any{"受理用时-中位数(工作日)", r.AcceptDays.Median},
		[]any{"办结用时-件数", r.CloseDays.Count}, []any{"办结用时-平均(工作日)", r.CloseDays.Avg},
		[]any{"办结用时-中位数(工作日)", r.CloseDays.Median})

	cat := statsTable{Key: "by_category", Title: "按类别", Columns: withCounts([]string{"类别ID", "类别"})}
	for _, x := range r.ByCategory {
		cat.Rows = append(cat.Rows, append([]any{x.CategoryID, x.Name}, countValues(x.StatsCounts)...))
	}
	res := statsTable{Key: "by_residency", Title: "按户籍", Columns: withCounts([]string{"户籍类型", "名称"})}
	for _, x := range []struct {
		k string
		c model.StatsCounts
	}{{string(model.Hukou), r.ByResidency.Hukou}, {string(model.NonHukou), r.ByResidency.NonHukou}, {"unknown", r.ByResidency.Unknown}} {
		res.Rows = append(res.Rows, append([]any{x.k, residencyLabel(x.k)}, countValues(x.c)...))
	}
	src := statsTable{Key: "by_source", Title: "按来源", Columns: withCounts([]string{"来源", "名称"})}
	for _, s := range model.StatsSources {
		src.Rows = append(src.Rows, append([]any{string(s), sourceLabel(s)}, countValues(r.BySource[string(s)])...))
	}
	org := statsTable{Key: "by_org", Title: "按下级机构", Columns: withCounts([]string{"机构ID", "机构", "本级"})}
	for _, x := range r.ByOrg {
		self := ""
		if x.Self {
			self = "本级"
		}
		org.Rows = append(org.Rows, append([]any{x.OrgID, x.Name, self}, countValues(x.StatsCounts)...))
	}
	series := statsTable{Key: "series", Title: "时间序列", Columns: []string{"期间", "起始日期", "截止日期(不含)",
		"收集", "受理", "已解决", "已答复", "不予受理", "未办结", "解决答复率"}}
	for _, x := range r.Series {
		series.Rows = append(series.Rows, []any{x.Period, x.From, x.To, x.Collected, x.Accepted, x.Resolved,
			x.Responded, x.Rejected, x.Open, x.Rate})
	}
	out := []statsTable{overview, cat, res, src, org, series}
	for _, t := range r.Sections {
		out = append(out, sectionTable(t))
	}
	return out
}

// itemColumns are the item export's column titles, in itemCells order.
var itemColumns = []string{"编号", "提交时间", "类别", "状态", "来源", "户籍类型", "承办机构", "所属社区",
	"受理时限", "受理时间", "办结时限", "办结时间", "超期", "评分", "重办次数"}

// itemSheet is the item export's worksheet name.
const itemSheet = "诉求明细"

// itemCells lays out an item of the item export in itemColumns order; times
// read as Shanghai wall-clock time.
func itemCells(it service.StatsItemRow) []any {
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(model.Shanghai).Format(time.DateTime)
	}
	overdue, rating := "", any("")
	if it.Overdue {
		overdue = "是"
	}
	if it.Rating != nil {
		rating = *it.Rating
	}
	return []any{it.Number, at(&it.CreatedAt), it.Category, it.Status.Label(),
		sourceLabel(it.Source), residencyLabel(it.Residency), it.HandlingOrg, it.Community,
		at(&it.AcceptDueAt), at(it.AcceptedAt), at(&it.ResolveDueAt), at(it.ClosedAt), overdue, rating,
		it.RedoCount}
}

// sheetName makes a title a valid worksheet name (≤ 31 characters, none of : \ / ? * [ ]).
func sheetName(title string) string {
	title = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, title)
	if r := []rune(title); len(r) > 31 {
		title = string(r[:31])
	}
	return title
}
