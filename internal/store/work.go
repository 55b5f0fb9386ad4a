package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Work is the cadre side's queries: the inbox, reminders, invitations and who to notify.
type Work struct{ s *Store }

// Work returns the cadre-side repository.
func (s *Store) Work() *Work { return &Work{s} }

var _ service.WorkRepo = (*Work)(nil)

// openStatuses are the states cadres still act on.
var openStatuses = []model.RequestStatus{model.StatusSubmitted, model.StatusAccepted, model.StatusLongTerm}

// Inbox lists requests whose handling org is in the subtree, by due time then
// id (keyset), with the filters of model.InboxFilter.
func (r *Work) Inbox(ctx context.Context, f model.InboxFilter) (model.Page[model.Request], error) {
	out := model.Page[model.Request]{Items: []model.Request{}}
	var afterDue time.Time
	var afterID int64
	if f.Cursor != "" {
		if err := decodeCursor(f.Cursor, &afterDue, &afterID); err != nil {
			return out, err
		}
	}
	size := pageSize(f.Size)
	q := r.s.db.WithContext(ctx).Model(&model.Request{}).Where("org_path LIKE ?", escapeLike(f.OrgPath)+"%")
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	} else {
		q = q.Where("status IN ?", openStatuses)
	}
	if f.CategoryID > 0 {
		q = q.Where("category_id = ?", f.CategoryID)
	}
	if f.CommunityID > 0 {
		q = q.Where("community_id = ?", f.CommunityID)
	}
	switch {
	case f.Unassigned:
		q = q.Where("assignee_id IS NULL")
	case f.AssigneeID > 0:
		q = q.Where("assignee_id = ?", f.AssigneeID)
	}
	if f.Overdue || f.DueSoon {
		q = q.Where("status IN ?", openStatuses)
	}
	if f.Overdue {
		q = q.Where("due_at < ?", f.Now)
	}
	if f.DueSoon {
		q = q.Where("due_at >= ? AND due_at <= ?", f.Now, f.SoonLimit)
	}
	if f.Source != "" {
		q = q.Where("source = ?", f.Source)
	}
	if f.NumberPref != "" {
		q = q.Where("number LIKE ?", escapeLike(f.NumberPref)+"%")
	}
	if afterID > 0 {
		q = q.Where("(due_at > ? OR (due_at = ? AND id > ?))", afterDue, afterDue, afterID)
	}
	if err := q.Order("due_at, id").Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	trimPage(&out, size, func(last model.Request) string { return encodeCursor(last.DueAt, last.ID) })
	return out, nil
}

// DueBetween lists open requests due in (from, to], by id after afterID.
func (r *Work) DueBetween(ctx context.Context, from, to time.Time, afterID int64, limit int) ([]model.Request, error) {
	out := []model.Request{}
	err := r.s.db.WithContext(ctx).Where("status IN ? AND due_at > ? AND due_at <= ? AND id > ?", openStatuses, from, to, afterID).
		Order("id").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// Notifiable lists active staff of an org with WeChat bound (role "" = all).
func (r *Work) Notifiable(ctx context.Context, orgID int64, role model.Role) ([]int64, error) {
	ids := []int64{}
	q := r.s.db.WithContext(ctx).Model(&model.Account{}).
		Where("org_id = ? AND status = ? AND wechat_openid IS NOT NULL", orgID, model.AccountActive)
	if role != "" {
		q = q.Where("role = ?", role)
	}
	return ids, translate(q.Order("id").Pluck("id", &ids).Error)
}

// invitations selects invitations with their department's name and request's number.
func (r *Work) invitations(db *gorm.DB) *gorm.DB {
	return db.Table("invitations").
		Select("invitations.*, orgs.name AS department_name, requests.number AS request_number").
		Joins("JOIN orgs ON orgs.id = invitations.department_id").
		Joins("JOIN requests ON requests.id = invitations.request_id")
}

// Invitation loads one invitation.
func (r *Work) Invitation(ctx context.Context, id int64) (*model.Invitation, error) {
	var v model.Invitation
	if err := r.invitations(r.s.db.WithContext(ctx)).Where("invitations.id = ?", id).Take(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// Invitations lists invitations, open ones first, then by due date and id (keyset).
func (r *Work) Invitations(ctx context.Context, f model.InvitationFilter) (model.Page[model.Invitation], error) {
	out := model.Page[model.Invitation]{Items: []model.Invitation{}}
	var rank int
	var due string
	var afterID int64
	if f.Cursor != "" {
		if err := decodeCursor(f.Cursor, &rank, &due, &afterID); err != nil {
			return out, err
		}
	}
	size := pageSize(f.Size)
	q := r.invitations(r.s.db.WithContext(ctx))
	if f.DeptPath != "" {
		q = q.Where("orgs.path LIKE ?", escapeLike(f.DeptPath)+"%")
	}
	if f.RequestPath != "" {
		q = q.Where("requests.org_path LIKE ?", escapeLike(f.RequestPath)+"%")
	}
	if f.RequestID > 0 {
		q = q.Where("invitations.request_id = ?", f.RequestID)
	}
	if f.Status != "" {
		q = q.Where("invitations.status = ?", f.Status)
	}
	if afterID > 0 {
		q = q.Where(`(invitations.open_rank > ? OR (invitations.open_rank = ? AND (invitations.due_date > ?
			OR (invitations.due_date = ? AND invitations.id > ?))))`, rank, rank, due, due, afterID)
	}
	var rows []struct {
		model.Invitation
		OpenRank int
	}
	if err := q.Select("invitations.*, orgs.name AS department_name, requests.number AS request_number, invitations.open_rank").
		Order("invitations.open_rank, invitations.due_date, invitations.id").Limit(size + 1).Scan(&rows).Error; err != nil {
		return out, translate(err)
	}
	for i, row := range rows {
		if i == size {
			last := rows[size-1]
			out.NextCursor = encodeCursor(last.OpenRank, last.DueDate, last.ID)
			break
		}
		out.Items = append(out.Items, row.Invitation)
	}
	return out, nil
}

// Invited reports whether the department was ever invited on the request.
func (r *Work) Invited(ctx context.Context, requestID, departmentID int64) (bool, error) {
	var n int64
	err := r.s.db.WithContext(ctx).Table("invitations").Where("request_id = ? AND department_id = ?", requestID, departmentID).
		Limit(1).Count(&n).Error
	return n > 0, translate(err)
}

// AnswerInvitation locks the request, then the invitation (the order Invite
// takes too), applies change and saves the invitation, the request's timeline
// event and the outbox rows in one transaction.
func (r *Work) AnswerInvitation(ctx context.Context, id int64,
	change func(*model.Invitation, *model.Request) (*model.RequestEvent, []*model.OutboxMessage, error)) (*model.Invitation, error) {
	var v model.Invitation
	err := r.s.tx(ctx, fmt.Sprintf("Work.AnswerInvitation %d", id), func(tx *gorm.DB) error {
		var reqID int64
		if err := tx.Table("invitations").Select("request_id").Where("id = ?", id).Row().Scan(&reqID); err != nil {
			return err
		}
		var req model.Request
		if err := forUpdate(tx).First(&req, reqID).Error; err != nil {
			return err
		}
		if err := forUpdate(tx).Omit("department_name", "request_number").First(&v, id).Error; err != nil {
			return err
		}
		e, msgs, err := change(&v, &req)
		if err != nil {
			return err
		}
		if err := tx.Model(&v).Select("status", "reply", "decline_reason", "session_id", "answered_by", "answered_at",
			"updated_at").Updates(&v).Error; err != nil {
			return err
		}
		if err := insertEvents(tx, req.ID, []*model.RequestEvent{e}); err != nil {
			return err
		}
		return InsertOutbox(tx, msgs...)
	})
	if err != nil {
		return nil, err
	}
	return r.Invitation(ctx, v.ID)
}

// InvitationCounts counts open invitations per department, for departments
// in deptPath's subtree or requests in requestPath's subtree.
func (r *Work) InvitationCounts(ctx context.Context, deptPath, requestPath string, now time.Time) ([]model.InvitationCount, error) {
	out := []model.InvitationCount{}
	today := model.FormatDate(now)
	err := r.s.db.WithContext(ctx).Table("invitations").
		Select(`invitations.department_id, orgs.name AS department_name,
			SUM(invitations.status = ?) AS pending, SUM(invitations.status = ?) AS accepted,
			COUNT(*) AS open, SUM(invitations.due_date < ?) AS overdue`,
			model.InvitationPending, model.InvitationAccepted, today).
		Joins("JOIN orgs ON orgs.id = invitations.department_id").
		Joins("JOIN requests ON requests.id = invitations.request_id").
		Where("invitations.open_rank = 0").
		Where("(orgs.path LIKE ? OR requests.org_path LIKE ?)", escapeLike(deptPath)+"%", escapeLike(requestPath)+"%").
		Group("invitations.department_id, orgs.name").Order("invitations.department_id").Scan(&out).Error
	return out, translate(err)
}

// withdrawOpenInvitations withdraws the open invitations of req (locked by
// the caller, just closed or rejected by actor), each through the model's
// Withdraw, and adds one internal timeline event saying how many.
func withdrawOpenInvitations(tx *gorm.DB, req *model.Request, actor model.Actor, now time.Time) error {
	var open []model.Invitation
	if err := forUpdate(tx).Where("request_id = ? AND status IN ?", req.ID,
		[]model.InvitationStatus{model.InvitationPending, model.InvitationAccepted}).Order("id").Find(&open).Error; err != nil {
		return err
	}
	for i := range open {
		if err := open[i].Withdraw(now); err != nil {
			return err
		}
		if err := tx.Model(&open[i]).Updates(map[string]any{"status": open[i].Status, "updated_at": open[i].UpdatedAt}).Error; err != nil {
			return err
		}
	}
	if len(open) == 0 {
		return nil
	}
	return insertEvents(tx, req.ID, []*model.RequestEvent{req.InvitationsWithdrawn(actor, int64(len(open)), now)})
}
