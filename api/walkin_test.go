package api_test

import (
	"fmt"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// TestWalkInsAndSessionLedger: items raised at the session become requests
// with source session (one followed by the booked resident in the app), and
// the close figures count them.
func TestWalkInsAndSessionLedger(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	_, cadre := e.Staff(l.admin, l.town, "cadre", "walkin_cadre")
	_, resTok := e.Resident(testutil.UniqueCode("wk"))
	b := l.book(t, resTok, s1.Slots[0].ID, "楼道灯坏了")
	_, res2 := e.Resident(testutil.UniqueCode("wk"))
	b2 := l.book(t, res2, s1.Slots[1].ID, "")
	var cats struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &cats)
	cat := cats.Items[0].ID
	path := fmt.Sprintf("/api/v1/work/sessions/%d", s1.ID)
	item := map[string]any{"category_id": cat, "content": "楼道灯坏了三个月没人修"}
	e.Do("POST", path+"/walk-ins", cadre, item).MustErr(t, 409, "not_session_day")

	l.clock.Set(time.Date(2026, 9, 22, 9, 10, 0, 0, sep20.Location()))
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": b.Code}).Must(t, 200)
	// 1. The booked resident's item goes to their account.
	item["booking_code"] = b.Code
	var withBooking struct {
		ID        int64  `json:"id"`
		Source    string `json:"source"`
		SessionID *int64 `json:"session_id"`
		Status    string `json:"status"`
	}
	e.Do("POST", path+"/walk-ins", cadre, item).Must(t, 201).Decode(t, &withBooking)
	if withBooking.Source != "session" || withBooking.SessionID == nil || *withBooking.SessionID != s1.ID || withBooking.Status != "submitted" {
		t.Fatalf("walk-in = %+v", withBooking)
	}
	e.Do("GET", fmt.Sprintf("/api/v1/my/requests/%d", withBooking.ID), resTok, nil).Must(t, 200)
	// 2 and 3. People without WeChat: name, phone, residency.
	second := e.Do("POST", path+"/walk-ins", cadre, map[string]any{"category_id": cat, "content": "出租屋消防通道被占用",
		"name": "王阿姨", "phone": "13900001234", "residency": "non_hukou"}).Must(t, 201).ID(t)
	third := e.Do("POST", path+"/walk-ins", cadre, map[string]any{"category_id": cat, "content": "咨询子女入学材料",
		"name": "李先生"}).Must(t, 201).ID(t)
	// The third is answered on the spot.
	e.Do("POST", fmt.Sprintf("/api/v1/work/requests/%d/accept", third), cadre, map[string]any{}).Must(t, 200)
	e.Do("POST", fmt.Sprintf("/api/v1/work/requests/%d/respond", third), cadre, map[string]any{"result": "已现场告知所需材料清单"}).Must(t, 200)
	_ = second
	// Recording an item with a booking not yet checked in checks the resident in.
	e.Do("POST", path+"/walk-ins", cadre, map[string]any{"category_id": cat, "content": "想了解加装电梯补贴", "booking_code": b2.Code}).Must(t, 201)
	// A second item for 王阿姨 (same phone) is the same person at the desk.
	e.Do("POST", path+"/walk-ins", cadre, map[string]any{"category_id": cat, "content": "楼下商铺油烟扰民",
		"name": "王阿姨", "phone": "13900001234"}).Must(t, 201)

	e.Do("POST", path+"/walk-ins", cadre, map[string]any{"category_id": cat, "content": "错误签到码测试", "booking_code": "ZZZZZZ"}).MustErr(t, 404, "not_found")
	e.Do("POST", path+"/walk-ins", cadre, map[string]any{"category_id": cat, "content": "短"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", path+"/walk-ins", resTok, item).MustErr(t, 403, "forbidden")

	var closed struct {
		Attendees    int `json:"attendees"`
		NoShows      int `json:"no_shows"`
		Collected    int `json:"collected"`
		SolvedOnSpot int `json:"solved_on_spot"`
	}
	e.Do("POST", path+"/close", cadre, map[string]string{"summary": "收集 5 条，现场答复 1 条"}).Must(t, 200).Decode(t, &closed)
	// 2 checked in + 2 people without a booking (王阿姨 twice, 李先生); 5 items.
	if closed.Attendees != 4 || closed.NoShows != 0 || closed.Collected != 5 || closed.SolvedOnSpot != 1 {
		t.Fatalf("ledger = %+v", closed)
	}
	e.Do("POST", path+"/walk-ins", cadre, map[string]any{"category_id": cat, "content": "结束后再登记"}).MustErr(t, 409, "invalid_transition")
}

// TestBookingLinksOwnRequestOnly: a booking may name the resident's own request, not another's.
func TestBookingLinksOwnRequestOnly(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	var cats struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &cats)
	_, mine := e.Resident(testutil.UniqueCode("own"))
	_, other := e.Resident(testutil.UniqueCode("oth"))
	for _, tok := range []string{mine, other} {
		e.Do("PUT", "/api/v1/my/profile", tok, map[string]any{"name": "居民", "community_id": l.community, "residency": "hukou"}).Must(t, 200)
	}
	req := e.Do("POST", "/api/v1/my/requests", mine, map[string]any{"category_id": cats.Items[0].ID,
		"content": "小区门口路灯不亮", "community_id": l.community}).Must(t, 201).ID(t)
	e.Do("POST", "/api/v1/my/bookings", other, map[string]any{"slot_id": s1.Slots[0].ID, "request_id": req}).MustErr(t, 404, "not_found")
	var b bookingOut
	e.Do("POST", "/api/v1/my/bookings", mine, map[string]any{"slot_id": s1.Slots[0].ID, "request_id": req}).Must(t, 201).Decode(t, &b)
	if b.RequestID == nil || *b.RequestID != req {
		t.Fatalf("booking = %+v", b)
	}
}
