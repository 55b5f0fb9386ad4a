package api_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// categoryIDs maps the seeded categories' codes to their ids.
func categoryIDs(t testing.TB, e *testutil.Env) map[string]int64 {
	t.Helper()
	var out struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &out)
	m := map[string]int64{}
	for _, c := range out.Items {
		m[c.Code] = c.ID
	}
	return m
}

type topicsOut struct {
	Since         string  `json:"since"`
	LastSessionAt *string `json:"last_session_at"`
	Items         int     `json:"items"`
	Ungrouped     int     `json:"ungrouped"`
	Topics        []struct {
		Keywords      []string `json:"keywords"`
		Count         int      `json:"count"`
		Open          int      `json:"open"`
		OpenShare     float64  `json:"open_share"`
		NonHukou      int      `json:"non_hukou"`
		NonHukouShare float64  `json:"non_hukou_share"`
		RequestIDs    []int64  `json:"request_ids"`
	} `json:"topics"`
}

// TestTopics: the hot topics of a point since its last session, of a town
// for given dates, of the city from the daily job; scoped to the caller.
func TestTopics(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	cats := categoryIDs(t, e)
	_, cadre := e.Staff(l.admin, l.town, "cadre", "topic_cadre")
	otherTown := e.Org(l.admin, l.district, "town", "石湾镇街道")
	_, outsider := e.Staff(l.admin, otherTown, "cadre", "topic_outsider")
	post := func(code, content, cat string, residency string) int64 {
		_, tok := e.Resident(testutil.UniqueCode(code))
		if residency != "" {
			e.Do("PUT", "/api/v1/my/profile", tok, map[string]any{"residency": residency}).Must(t, 200)
		}
		return submit(t, e, tok, map[string]any{"category_id": cats[cat], "content": content, "community_id": l.community})
	}
	old := post("t0", "莲花路的路灯坏了好几天，晚上很黑", "roads", "")
	l.clock.Set(time.Date(2026, 9, 23, 9, 0, 0, 0, sep20.Location())) // the day after the 22nd's session
	lamps := []int64{
		post("t1", "莲花路公交站旁边的路灯坏了，晚上黑漆漆的", "roads", "non_hukou"),
		post("t2", "莲花路那一排路灯好几天不亮了，麻烦派人来修", "roads", "hukou"),
		post("t3", "公交站附近路灯不亮，晚上回家一片漆黑", "roads", "non_hukou"),
	}
	bins := []int64{
		post("t4", "莲花新村垃圾桶满了两天没人清运，臭味很大", "sanitation", ""),
		post("t5", "新村楼下垃圾堆成小山，环卫车好几天没来收", "sanitation", ""),
	}
	post("t6", "孩子明年上小学，积分入学要准备哪些材料", "school_enrolment", "")
	e.Do("POST", fmt.Sprintf("/api/v1/work/requests/%d/accept", lamps[0]), cadre, nil).Must(t, 200)
	e.Do("POST", fmt.Sprintf("/api/v1/work/requests/%d/resolve", lamps[0]), cadre, map[string]any{"result": "已修复"}).Must(t, 200)

	var rep topicsOut
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?point_id=%d", l.point), cadre, nil).Must(t, 200).Decode(t, &rep)
	if rep.Since != "last_session" || rep.LastSessionAt == nil || rep.Items != 6 || len(rep.Topics) != 2 || rep.Ungrouped != 1 {
		t.Fatalf("point topics = %+v (the item %d before the last session must be left out)", rep, old)
	}
	lampTopic, binTopic := rep.Topics[0], rep.Topics[1]
	slices.Sort(lampTopic.RequestIDs)
	slices.Sort(binTopic.RequestIDs)
	if !slices.Equal(lampTopic.RequestIDs, lamps) || !slices.Equal(binTopic.RequestIDs, bins) {
		t.Fatalf("topics %v and %v, want %v and %v", lampTopic.RequestIDs, binTopic.RequestIDs, lamps, bins)
	}
	if !slices.Contains(lampTopic.Keywords, "路灯") || lampTopic.Open != 2 || lampTopic.NonHukou != 2 ||
		lampTopic.OpenShare != 0.667 || lampTopic.NonHukouShare != 0.667 {
		t.Fatalf("lamp topic = %+v", lampTopic)
	}

	// A town for given dates takes every item of the period.
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?org_id=%d&from=2026-09-20&to=2026-09-24", l.town), cadre, nil).
		Must(t, 200).Decode(t, &rep)
	if rep.Since != "query" || rep.Items != 7 || rep.Topics[0].Count != 4 {
		t.Fatalf("town topics = %+v", rep)
	}

	// Scope and input.
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?point_id=%d", l.point), outsider, nil).MustErr(t, 404, "not_found")
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?org_id=%d", l.town), outsider, nil).MustErr(t, 404, "not_found")
	_, resTok := e.Resident(testutil.UniqueCode("tr"))
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?org_id=%d", l.town), resTok, nil).MustErr(t, 403, "forbidden")
	for _, bad := range []string{
		"/api/v1/work/topics",
		fmt.Sprintf("/api/v1/work/topics?org_id=%d&point_id=%d", l.town, l.point),
		fmt.Sprintf("/api/v1/work/topics?org_id=%d&from=2026-09-24&to=2026-09-20", l.town),
		fmt.Sprintf("/api/v1/work/topics?org_id=%d&from=2026-01-01&to=2026-09-20", l.town),
		fmt.Sprintf("/api/v1/work/topics?org_id=%d&from=20260920", l.town),
		fmt.Sprintf("/api/v1/work/topics?org_id=%d&period=week", l.town),
		fmt.Sprintf("/api/v1/work/topics?org_id=%d&from=2026-09-20", l.district),
		fmt.Sprintf("/api/v1/work/topics?org_id=%d&period=year", l.district),
	} {
		e.Do("GET", bad, l.admin, nil).MustErr(t, 400, "invalid_argument")
	}

	// The city and districts: the daily job's report.
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?org_id=%d", e.RootOrgID()), l.admin, nil).MustErr(t, 409, "conflict")
	l.clock.Set(time.Date(2026, 9, 24, 2, 30, 0, 0, sep20.Location()))
	if err := e.App.Jobs.RefreshTopics(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?org_id=%d", e.RootOrgID()), l.admin, nil).Must(t, 200).Decode(t, &rep)
	if rep.Since != "daily" || rep.Items != 7 || len(rep.Topics) != 2 || rep.Topics[0].Count != 4 {
		t.Fatalf("city topics = %+v", rep)
	}
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?org_id=%d&period=month", l.district), l.admin, nil).Must(t, 200).Decode(t, &rep)
	if rep.Items != 7 {
		t.Fatalf("district month topics = %+v", rep)
	}
	e.Do("GET", fmt.Sprintf("/api/v1/work/topics?org_id=%d", l.district), outsider, nil).MustErr(t, 404, "not_found")
}
