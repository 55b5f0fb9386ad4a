package hatest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// world is what the load works on: a community with a liaison point whose
// sessions have a few small "hot" slots, two cadres of the town, residents.
type world struct {
	admin     string
	community int64
	category  int64
	point     int64
	hot       []int64 // slot ids every resident competes for
	cadres    []string
	residents []resident
}

type resident struct {
	id     int64
	openid string
	token  string
	ip     string
}

// must calls and fails the test unless the status is want.
func must(t *testing.T, c *client, want int, method, path, token string, body any) resp {
	t.Helper()
	r := c.call("setup", false, method, path, token, body, "")
	if r.status != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, r.status, r.code, want)
	}
	return r
}

func token(r resp) string {
	var v struct {
		Token string `json:"token"`
	}
	_ = json.Unmarshal(r.data, &v)
	return v.Token
}

func buildWorld(t *testing.T, base string, residents int) *world {
	t.Helper()
	c := newClient(base, &recorder{}, "10.9.0.1")
	w := &world{}
	w.admin = token(must(t, c, 200, "POST", "/api/v1/auth/staff", "", map[string]string{"username": "admin", "password": adminPassword}))
	var me struct {
		Account struct {
			OrgID int64 `json:"org_id"`
		} `json:"account"`
	}
	_ = json.Unmarshal(must(t, c, 200, "GET", "/api/v1/auth/me", w.admin, nil).data, &me)
	if me.Account.OrgID == 0 {
		t.Fatal("the admin has no org")
	}
	org := func(parent int64, kind, name string) int64 {
		return must(t, c, 201, "POST", "/api/v1/admin/orgs", w.admin, map[string]any{"parent_id": parent, "kind": kind, "name": name}).id()
	}
	district := org(me.Account.OrgID, "district", "禅城区")
	town := org(district, "town", "祖庙街道")
	w.community = org(town, "community", "莲花社区")
	var cats struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	_ = json.Unmarshal(must(t, c, 200, "GET", "/api/v1/categories", "", nil).data, &cats)
	for _, x := range cats.Items {
		if x.Code == "roads" {
			w.category = x.ID
		}
	}
	if w.category == 0 {
		t.Fatal("seeded category roads missing")
	}
	w.point = must(t, c, 201, "POST", "/api/v1/admin/points", w.admin, map[string]any{
		"org_id": w.community, "name": "莲花社区党群服务中心", "address": "莲花路 1 号", "lat": 23.0268, "lng": 113.1214,
	}).id()
	must(t, c, 200, "PUT", fmt.Sprintf("/api/v1/admin/points/%d/schedule", w.point), w.admin, map[string]any{
		"weekday": 2, "windows": []map[string]string{{"start": "09:00", "end": "12:00"}},
		"slot_minutes": 30, "slot_capacity": 3, "open_days_ahead": 28, "cutoff_hours": 2})
	var sess struct {
		Items []struct {
			Slots []struct {
				ID       int64 `json:"id"`
				Bookable bool  `json:"bookable"`
			} `json:"slots"`
		} `json:"items"`
	}
	_ = json.Unmarshal(must(t, c, 200, "GET", fmt.Sprintf("/api/v1/points/%d/sessions", w.point), "", nil).data, &sess)
	if len(sess.Items) < 2 {
		t.Fatalf("%d sessions generated", len(sess.Items))
	}
	for _, s := range sess.Items[len(sess.Items)-2:] { // the two furthest sessions, two slots each
		for _, sl := range s.Slots[:2] {
			if !sl.Bookable {
				t.Fatalf("slot %d not bookable", sl.ID)
			}
			w.hot = append(w.hot, sl.ID)
		}
	}
	for i := 0; i < 2; i++ {
		name := fmt.Sprintf("ha_cadre%d", i+1)
		must(t, c, 201, "POST", "/api/v1/admin/accounts", w.admin, map[string]any{
			"username": name, "password": "HaInit-2026-x", "name": "值班干部", "role": "cadre", "org_id": town})
		tok := token(must(t, c, 200, "POST", "/api/v1/auth/staff", "", map[string]string{"username": name, "password": "HaInit-2026-x"}))
		must(t, c, 200, "POST", "/api/v1/auth/password", tok, map[string]string{"old_password": "HaInit-2026-x", "new_password": "HaWork-2026-x"})
		w.cadres = append(w.cadres, tok)
	}
	for i := 0; i < residents; i++ {
		ip := fmt.Sprintf("10.8.%d.%d", i/200, i%200+1)
		rc := newClient(base, &recorder{}, ip)
		code := fmt.Sprintf("ha%d", i)
		r := must(t, rc, 200, "POST", "/api/v1/auth/wechat", "", map[string]string{"code": code})
		var v struct {
			Token    string `json:"token"`
			Resident struct {
				ID int64 `json:"id"`
			} `json:"resident"`
		}
		_ = json.Unmarshal(r.data, &v)
		w.residents = append(w.residents, resident{id: v.Resident.ID, openid: "fake_" + code, token: v.Token, ip: ip})
	}
	return w
}

// month is the current calendar month as a statistics period.
func month(now time.Time) (string, string) {
	loc := time.FixedZone("CST", 8*3600)
	n := now.In(loc)
	first := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	return first.Format("2006-01-02"), first.AddDate(0, 1, 0).Format("2006-01-02")
}
