package service

import (
	"context"
	"fmt"
	"time"

	"zhilian/model"
)

// StaffDirectory finds the staff a notification goes to: active accounts of
// an org that have bound WeChat (nobody else could receive it).
type StaffDirectory interface {
	// Notifiable lists them; role "" means cadres and admins.
	Notifiable(ctx context.Context, orgID int64, role model.Role) ([]int64, error)
}

// Mini-program pages the notifications open.
const (
	pageMyRequest  = "pages/request/request?id=%d"
	pageWorkItem   = "pages/work/item/item?id=%d"
	pageInvitation = "pages/work/invitations/invitations?id=%d"
)

// noticeTime formats a time for a template's time keyword.
func noticeTime(t time.Time) string { return t.In(model.Shanghai).Format("2006-01-02 15:04") }

func one(m *model.OutboxMessage) []*model.OutboxMessage {
	if m == nil {
		return nil
	}
	return []*model.OutboxMessage{m}
}

// toResident notifies the resident who submitted r (nil for items without one).
func toResident(r *model.Request, event, key string, fields map[string]string, now time.Time) *model.OutboxMessage {
	if r.ResidentID == nil {
		return nil
	}
	return model.Notify(event, model.SubjectResident, *r.ResidentID, key, fmt.Sprintf(pageMyRequest, r.ID), fields, now)
}

// noticeAccepted tells the resident their item was accepted (once: an item is accepted once).
func noticeAccepted(r *model.Request, now time.Time) *model.OutboxMessage {
	return toResident(r, model.EventRequestAccepted, fmt.Sprintf("request_accepted:%d", r.ID), map[string]string{
		"character_string1": r.Number, "thing2": r.Content, "phrase3": r.Status.Label(), "time4": noticeTime(now),
	}, now)
}

// noticeClosed tells the resident the result and invites a rating (once per closure).
func noticeClosed(r *model.Request, now time.Time) *model.OutboxMessage {
	return toResident(r, model.EventRequestClosed, fmt.Sprintf("request_closed:%d:%d", r.ID, r.RedoCount), map[string]string{
		"character_string1": r.Number, "phrase2": r.Status.Label(), "thing3": r.Result, "time4": noticeTime(now),
		"thing5": "请对办理结果进行评价",
	}, now)
}

// noticeRedo tells the resident their redo was accepted (once per redo).
func noticeRedo(r *model.Request, now time.Time) *model.OutboxMessage {
	return toResident(r, model.EventRedoAccepted, fmt.Sprintf("redo_accepted:%d:%d", r.ID, r.RedoCount), map[string]string{
		"character_string1": r.Number, "phrase2": r.Status.Label(), "time3": noticeTime(r.ResolveDueAt),
	}, now)
}

// toStaff builds one message per recipient about request r, leaving out skip (the actor).
func toStaff(r *model.Request, event, key string, recipients []int64, skip int64, fields map[string]string, now time.Time) []*model.OutboxMessage {
	var out []*model.OutboxMessage
	for _, id := range recipients {
		if id == skip {
			continue
		}
		out = append(out, model.Notify(event, model.SubjectStaff, id, fmt.Sprintf("%s:%d", key, id),
			fmt.Sprintf(pageWorkItem, r.ID), fields, now))
	}
	return out
}

func itemFields(r *model.Request, due time.Time) map[string]string {
	return map[string]string{"character_string1": r.Number, "thing2": r.Content, "time3": noticeTime(due)}
}

// staffNewItem tells the handling org's staff of an item that arrived there
// (submitted, recorded or transferred in).
func staffNewItem(r *model.Request, recipients []int64, skip int64, now time.Time) []*model.OutboxMessage {
	return toStaff(r, model.EventStaffNewItem, fmt.Sprintf("staff_new_item:%d:%d:%d", r.ID, r.HandlingOrgID, now.UnixMilli()),
		recipients, skip, itemFields(r, r.Due()), now)
}

// staffAssigned tells a cadre an item is theirs.
func staffAssigned(r *model.Request, assignee, skip int64, now time.Time) []*model.OutboxMessage {
	return toStaff(r, model.EventStaffAssigned, fmt.Sprintf("staff_assigned:%d:%d", r.ID, now.UnixMilli()),
		[]int64{assignee}, skip, itemFields(r, r.Due()), now)
}

// staffReminder is a due-tomorrow or overdue reminder; its key holds the
// business day, so a job run twice on a day queues it once.
func staffReminder(r *model.Request, event string, recipients []int64, now time.Time) []*model.OutboxMessage {
	return toStaff(r, event, fmt.Sprintf("%s:%d:%s", event, r.ID, model.FormatDate(now)), recipients, 0,
		itemFields(r, r.Due()), now)
}

// invitationNew tells a department's staff of an invitation.
func invitationNew(v *model.Invitation, r *model.Request, recipients []int64, now time.Time) []*model.OutboxMessage {
	out := make([]*model.OutboxMessage, 0, len(recipients))
	for _, id := range recipients {
		out = append(out, model.Notify(model.EventInvitationNew, model.SubjectStaff, id,
			fmt.Sprintf("invitation_new:%d:%d", v.ID, id), fmt.Sprintf(pageInvitation, v.ID), map[string]string{
				"character_string1": r.Number, "thing2": v.Message, "date3": v.DueDate,
			}, now))
	}
	return out
}

// invitationAnswered tells the inviter how the department answered (once per answer).
func invitationAnswered(v *model.Invitation, r *model.Request, now time.Time) *model.OutboxMessage {
	answer := v.ReplyText
	if v.Status == model.InvitationDeclined {
		answer = v.DeclineReason
	}
	if answer == "" {
		answer = v.Status.Label()
	}
	return model.Notify(model.EventInvitationAnswered, model.SubjectStaff, v.InviterID,
		fmt.Sprintf("invitation_answered:%d:%s", v.ID, v.Status), fmt.Sprintf(pageWorkItem, v.RequestID), map[string]string{
			"character_string1": r.Number, "phrase2": v.Status.Label(), "thing3": answer, "time4": noticeTime(now),
		}, now)
}
