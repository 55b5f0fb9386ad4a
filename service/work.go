package service

import (
	"context"
	"log/slog"
	"time"

	"zhilian/model"
)

// WorkRepo is what the cadre side reads beyond requests themselves.
type WorkRepo interface {
	StaffDirectory
	// Inbox lists requests in a jurisdiction by due time, then id.
	Inbox(ctx context.Context, f model.InboxFilter) (model.Page[model.Request], error)
	// DueBetween lists open requests due in (from, to], by id after afterID.
	DueBetween(ctx context.Context, from, to time.Time, afterID int64, limit int) ([]model.Request, error)
	Invitation(ctx context.Context, id int64) (*model.Invitation, error)
	Invitations(ctx context.Context, f model.InvitationFilter) (model.Page[model.Invitation], error)
	// Invited reports whether the department was ever invited on the request.
	Invited(ctx context.Context, requestID, departmentID int64) (bool, error)
	// AnswerInvitation locks the invitation's request, then the invitation,
	// applies change and saves both sides' rows in one transaction.
	AnswerInvitation(ctx context.Context, id int64,
		change func(*model.Invitation, *model.Request) (*model.RequestEvent, []*model.OutboxMessage, error)) (*model.Invitation, error)
	// InvitationCounts counts open invitations per department, for departments
	// in deptPath's subtree or requests in requestPath's subtree.
	InvitationCounts(ctx context.Context, deptPath, requestPath string, now time.Time) ([]model.InvitationCount, error)
}

// ContactPurpose binds sealed phones of items recorded by staff to their field.
const ContactPurpose = "request.contact_phone"

// Work is the cadre side of requests: the inbox of a jurisdiction, the
// state machine's actions, items recorded by staff, and invitations (约请).
type Work struct {
	repo       WorkRepo
	requests   RequestRepo
	residentsS *Requests
	residents  ResidentRepo
	orgs       OrgReader
	accounts   AccountReader
	categories CategoryReader
	calendar   *Calendar
	sealer     PhoneSealer
	now        func() time.Time
	log        *slog.Logger
}

// WorkDeps are the collaborators of Work.
type WorkDeps struct {
	Repo       WorkRepo
	Requests   RequestRepo
	Submitter  *Requests // the resident side: community checks and details
	Residents  ResidentRepo
	Orgs       OrgReader
	Accounts   AccountReader
	Categories CategoryReader
	Calendar   *Calendar
	Sealer     PhoneSealer
	Now        func() time.Time
	Log        *slog.Logger
}

// NewWork builds the cadre side.
func NewWork(d WorkDeps) *Work {
	return &Work{repo: d.Repo, requests: d.Requests, residentsS: d.Submitter, residents: d.Residents, orgs: d.Orgs,
		accounts: d.Accounts, categories: d.Categories, calendar: d.Calendar, sealer: d.Sealer, now: d.Now, log: d.Log}
}

// Now is the service's clock (flags in responses are computed with it).
func (w *Work) Now() time.Time { return w.now() }

// DueClock is the moment flags are computed at: overdue before Now, due soon
// up to SoonLimit (the end of the next working day).
type DueClock struct {
	Now       time.Time
	SoonLimit time.Time
}

func (w *Work) clock(ctx context.Context) (DueClock, error) {
	now := w.now()
	soon, err := w.calendar.SoonLimit(ctx, now)
	return DueClock{Now: now, SoonLimit: soon}, err
}

var _ RequestGuard = (*Work)(nil)
