package service

import (
	"context"
	"fmt"

	"zhilian/model"
)

// DemoPoint is a liaison point of the demo city, hosted by a demo cadre.
type DemoPoint struct {
	CommunityCode string
	Name          string
	Address       string
	Lat, Lng      float64
	Host          string // username
}

// DemoPoints are three points in the demo communities, each with the usual
// Tuesday rule: 09:00–12:00 and an evening window 19:00–21:00 for working
// residents, 30-minute slots of 5 seats, booking open 28 days ahead and
// closing 2 hours before a slot.
func DemoPoints() []DemoPoint {
	return []DemoPoint{
		{"440604010001", "兆祥社区党群服务中心驻点", "佛山市禅城区祖庙街道兆祥路 18 号", 23.0305, 113.1146, "zumiao_cadre"},
		{"440605011001", "夏东社区党群服务中心驻点", "佛山市南海区桂城街道夏东路 6 号", 23.0373, 113.1556, "guicheng_cadre"},
		{"440606001001", "金榜社区居委会驻点", "佛山市顺德区大良街道金榜路 2 号", 22.8419, 113.2541, "daliang_cadre"},
	}
}

// SeedDemoPoints creates the demo points and their weekly rules once, as the
// root admin (sessions are generated as for any rule). It returns how many
// points it created.
func SeedDemoPoints(ctx context.Context, b *Bootstrap, points *Points, schedules *Schedules, adminUsername string) (int, error) {
	admin, err := b.accounts.ByUsername(ctx, model.NormalizeUsername(adminUsername))
	if err != nil {
		return 0, err
	}
	p := StaffPrincipal(admin)
	actor := model.Actor{ID: admin.ID, Name: "demo", OrgPath: admin.OrgPath}
	created := 0
	for _, d := range DemoPoints() {
		org, err := b.orgs.ByCode(ctx, d.CommunityCode)
		if err != nil {
			return created, fmt.Errorf("demo point %s: %w", d.Name, err)
		}
		host, err := b.accounts.ByUsername(ctx, d.Host)
		if err != nil {
			return created, fmt.Errorf("demo point host %s: %w", d.Host, err)
		}
		lat, lng := d.Lat, d.Lng
		hosts := []int64{host.ID}
		pt, err := points.Create(ctx, p, actor, PointInput{OrgID: org.ID, HostIDs: &hosts,
			Fields: model.PointFields{Name: d.Name, Address: d.Address, Lat: &lat, Lng: &lng, Notes: "每周二驻点接访（演示数据）"}})
		if model.IsCode(err, model.CodeAlreadyExists) {
			continue // seeded before
		}
		if err != nil {
			return created, fmt.Errorf("demo point %s: %w", d.Name, err)
		}
		minutes, capacity, ahead, cutoff := 30, 5, 28, 2
		if _, err := schedules.Put(ctx, p, actor, pt.ID, ScheduleInput{Weekday: 2,
			Windows:     [][2]string{{"09:00", "12:00"}, {"19:00", "21:00"}},
			SlotMinutes: &minutes, SlotCapacity: &capacity, OpenDaysAhead: &ahead, CutoffHours: &cutoff}); err != nil {
			return created, fmt.Errorf("demo schedule %s: %w", d.Name, err)
		}
		created++
	}
	return created, nil
}
