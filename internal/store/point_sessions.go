package store

import (
	"context"

	"zhilian/model"
	"zhilian/service"
)

var _ service.SessionRange = (*Schedules)(nil)

// Between lists a point's sessions dated in [from, to), whatever their
// status, with their current slots (withdrawn ones left out), by date.
func (r *Schedules) Between(ctx context.Context, pointID int64, from, to string) ([]model.LiaisonSession, error) {
	db := r.s.db.WithContext(ctx)
	var out []model.LiaisonSession
	err := sessionsJoined(db).Where("liaison_sessions.point_id = ? AND liaison_sessions.date >= ? AND liaison_sessions.date < ?",
		pointID, from, to).Order("liaison_sessions.date").Find(&out).Error
	if err != nil || len(out) == 0 {
		return []model.LiaisonSession{}, translate(err)
	}
	ids := make([]int64, len(out))
	idx := make(map[int64]int, len(out))
	for i := range out {
		ids[i] = out[i].ID
		idx[out[i].ID] = i
		out[i].Slots = []model.Slot{}
	}
	var slots []model.Slot
	if err := db.Where("session_id IN ? AND withdrawn = 0", ids).Order("start_at").Find(&slots).Error; err != nil {
		return nil, translate(err)
	}
	for _, s := range slots {
		i := idx[s.SessionID]
		out[i].Slots = append(out[i].Slots, s)
	}
	return out, nil
}
