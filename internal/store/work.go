package store

import (
	"context"
	"fmt"
	"strings"
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
//
// The subtree's items are read as ordered index ranges: for each status asked
// for and each handling org path in the subtree, the first page of
// idx_requests_status_path_due (status, org_path, due_at, id, assignee_id)
// in order, ids only, merged by one small sort of at most a page per range;
// then the page's rows. No plan sorts a town's items
// or scans them; a subtree with more ranges than inboxMaxRanges (a city's or
// a district's cadre) is read with one range over the path prefix instead.
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
	statuses := openStatuses
	if f.Status != "" {
		statuses = []model.RequestStatus{f.Status}
		if (f.Overdue || f.DueSoon) && !f.Status.Open() {
			return out, nil // overdue and due soon are open items only
		}
	}
	db := r.s.db.WithContext(ctx)
	var paths []string
	if err := db.Raw("SELECT DISTINCT org_path FROM requests WHERE org_path LIKE ?", escapeLike(f.OrgPath)+"%").
		Scan(&paths).Error; err != nil {
		return out, translate(err)
	}
	where, args := inboxFilters(f, afterDue, afterID)
	var sb strings.Builder
	var all []any
	if len(paths)*len(statuses) <= inboxMaxRanges {
		for _, st := range statuses {
			for _, p := range paths {
				if sb.Len() > 0 {
					sb.WriteString(" UNION ALL ")
				}
				sb.WriteString("(SELECT id, due_at FROM requests FORCE INDEX (idx_requests_status_path_due) WHERE status = ? AND org_path = ?" +
					where + " ORDER BY due_at, id LIMIT ?)")
				all = append(append(append(all, st, p), args...), size+1)
			}
		}
	} else {
		sb.WriteString("(SELECT id, due_at FROM requests WHERE status IN ? AND org_path LIKE ?" + where + " ORDER BY due_at, id LIMIT ?)")
		all = append(append(append(all, statuses, escapeLike(f.OrgPath)+"%"), args...), size+1)
	}
	if len(paths) > 0 {
		// The ranges read the index alone (it covers the default filters and
		// the assignee); only the page's rows are read from the table.
		q := "SELECT requests.* FROM (SELECT id, due_at FROM (" + sb.String() + ") ranges ORDER BY due_at, id LIMIT ?) page " +
			"JOIN requests ON requests.id = page.id ORDER BY page.due_at, page.id"
		if err := db.Raw(q, append(all, size+1)...).Scan(&out.Items).Error; err != nil {
			return out, translate(err)
		}
	}
	trimPage(&out, size, func(last model.Request) string { return encodeCursor(last.DueAt, last.ID) })
	return out, nil
}

// inboxMaxRanges bounds the ranges one inbox page reads (statuses × paths):
// a town with its communities has a few dozen.
const inboxMaxRanges = 200

// inboxFilters is the WHERE tail of every range of an inbox page.
func inboxFilters(f model.InboxFilter, afterDue time.Time, afterID int64) (string, []any) {
	var sb strings.Builder
	var args []any
	add := func(cond string, a ...any) {
		sb.WriteString(" AND " + cond)
		args = append(args, a...)
	}
	if f.CategoryID > 0 {
		add("category_id = ?", f.CategoryID)
	}
	if f.CommunityID > 0 {
		add("community_id = ?", f.CommunityID)
	}
	switch {
	case f.Unassigned:
		add("assignee_id IS NULL")
	case f.AssigneeID > 0:
		add("assignee_id = ?", f.AssigneeID)
	}
	if f.Overdue {
		add("due_at < ?", f.Now)
	}
	if f.DueSoon {
		add("due_at >= ? AND due_at <= ?", f.Now, f.SoonLimit)
	}
	if f.Source != "" {
		add("source = ?", f.Source)
	}
	if f.NumberPref != "" {
		add("number LIKE ?", escapeLike(f.NumberPref)+"%")
	}
	if afterID > 0 {
		add("(due_at > ? OR (due_at = ? AND id > ?))", afterDue, afterDue, afterID)
	}
	return sb.String(), args
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
