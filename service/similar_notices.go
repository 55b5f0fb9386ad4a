package service

import (
	"fmt"
	"time"

	"zhilian/model"
)

// pageFollowed is the mini-program page of an item a resident follows.
const pageFollowed = "pages/follow/follow?id=%d"

// FollowerNotices are the notifications the followers of r get for its move
// from `before`: accepted, closed, reopened (the steps its own resident is
// told of). They name the item by number only: its text and result may
// speak of its resident, so followers read them masked in the mini-program.
// The store writes them in the change's transaction.
func FollowerNotices(before, r *model.Request, followers []int64, now time.Time) []*model.OutboxMessage {
	var event string
	var fields map[string]string
	switch {
	case before.Status == model.StatusSubmitted && r.Status == model.StatusAccepted:
		event, fields = model.EventRequestAccepted, map[string]string{"character_string1": r.Number,
			"thing2": "您关注的诉求已受理", "phrase3": r.Status.Label(), "time4": noticeTime(now)}
	case r.Status.Closed() && !before.Status.Closed():
		event, fields = model.EventRequestClosed, map[string]string{"character_string1": r.Number,
			"phrase2": r.Status.Label(), "thing3": "办理结果请在小程序中查看", "time4": noticeTime(now),
			"thing5": "您关注的诉求已办结"}
	case before.Status.Closed() && r.Status == model.StatusAccepted:
		event, fields = model.EventRedoAccepted, map[string]string{"character_string1": r.Number,
			"phrase2": r.Status.Label(), "time3": noticeTime(r.ResolveDueAt)}
	default:
		return nil
	}
	out := make([]*model.OutboxMessage, 0, len(followers))
	for _, id := range followers {
		out = append(out, model.Notify(event, model.SubjectResident, id,
			fmt.Sprintf("follow:%s:%d:%d:%d", event, r.ID, r.RedoCount, id), fmt.Sprintf(pageFollowed, r.ID), fields, now))
	}
	return out
}

// noticeMerged tells a merged item's resident which item now carries it.
func noticeMerged(dup, primary *model.Request, now time.Time) *model.OutboxMessage {
	return toResident(dup, model.EventRequestMerged, fmt.Sprintf("request_merged:%d", dup.ID), map[string]string{
		"character_string1": dup.Number, "phrase2": dup.Status.Label(), "character_string3": primary.Number,
		"time4": noticeTime(now),
	}, now)
}
