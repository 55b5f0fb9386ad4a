package service

import (
	"context"
	"fmt"
	"time"

	"zhilian/model"
)

// DeskRepo is what cadres use at the session.
type DeskRepo interface {
	SessionReader
	// Work lists sessions from a date on at points in a subtree or hosted by an account.
	Work(ctx context.Context, f model.SessionFilter) (model.Page[model.LiaisonSession], error)
	Slots(ctx context.Context, sessionID int64) ([]model.Slot, error)
	Roster(ctx context.Context, sessionID int64) ([]model.Booking, error)
	IsHost(ctx context.Context, pointID, accountID int64) (bool, error)
	// CheckIn locks the session's booking with this code and lets change check it in.
	CheckIn(ctx context.Context, sessionID int64, code string, change func(*model.LiaisonSession, *model.Booking) error) (*model.Booking, error)
	// Close locks the session and its bookings that are not cancelled, counts
	// the items recorded at it and lets change close it.
	Close(ctx context.Context, sessionID int64, change func(*model.LiaisonSession, []*model.Booking, model.SessionTally) (*model.AuditLog, error)) (*model.LiaisonSession, error)
	// MarkNoShows applies change to booked bookings of sessions ended by now, in batches.
	MarkNoShows(ctx context.Context, now time.Time, change func(*model.Booking) error) (int, error)
}

// ItemRecorder records an item on someone's behalf (the cadre workflow).
type ItemRecorder interface {
	Record(ctx context.Context, p *model.Principal, actor model.Actor, in StaffItemInput) (*WorkDetail, error)
}

// Desk is the cadre's side of a session: today's list, the roster,
// check-in, walk-in items and closing with a summary.
type Desk struct {
	repo  DeskRepo
	items ItemRecorder
	cache SessionsCache
	now   func() time.Time
}

// NewDesk builds the desk service.
func NewDesk(repo DeskRepo, items ItemRecorder, cache SessionsCache, now func() time.Time) *Desk {
	return &Desk{repo: repo, items: items, cache: cache, now: now}
}

// WalkInInput is an item raised at the session. With a booking code the item
// goes to that resident's account (they follow it in the mini-program);
// without one, the name, phone and residency stand for someone without WeChat.
type WalkInInput struct {
	CategoryID  int64
	Content     string
	CommunityID int64 // default: the point's community
	BookingCode string
	Name        string
	Phone       string
	Residency   *model.Residency
	Address     string
}

// WalkIn records an item raised at the session, on its day, while it is open:
// a request with source session, linked to the session, handled like any other.
func (s *Desk) WalkIn(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in WalkInInput) (*WorkDetail, error) {
	sess, err := s.reach(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := sess.CanCheckIn(s.now()); err != nil {
		return nil, err
	}
	item := StaffItemInput{CategoryID: in.CategoryID, Content: in.Content, CommunityID: in.CommunityID,
		Source: model.SourceSession, SessionID: &sess.ID, Name: in.Name, Phone: in.Phone, Residency: in.Residency, Address: in.Address}
	if item.CommunityID == 0 {
		item.CommunityID = sess.OrgID
	}
	if in.BookingCode != "" {
		code, err := model.ParseCheckin(id, in.BookingCode)
		if err != nil {
			return nil, err
		}
		roster, err := s.repo.Roster(ctx, id)
		if err != nil {
			return nil, err
		}
		var booked *model.Booking
		for i := range roster {
			if roster[i].Code == code && roster[i].Status != model.BookingCancelled {
				booked = &roster[i]
			}
		}
		if booked == nil {
			return nil, model.E(model.CodeNotFound, "签到码不正确，未找到本场接访的这条预约")
		}
		item.ResidentID = &booked.ResidentID
		if booked.Status == model.BookingBooked { // raising an item at the desk is being there
			if _, err := s.CheckIn(ctx, p, id, code); err != nil && !model.IsCode(err, model.CodeInvalidTransition) {
				return nil, err
			}
		}
	}
	return s.items.Record(ctx, p, actor, item)
}

// reach loads a session at a point in the staff member's subtree or hosted by them.
func (s *Desk) reach(ctx context.Context, p *model.Principal, id int64) (*model.LiaisonSession, error) {
	sess, err := s.repo.GetSession(ctx, id)
	notFound := model.E(model.CodeNotFound, "接访场次不存在")
	if model.IsCode(err, model.CodeNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if p.Reaches(sess.OrgPath) {
		return sess, nil
	}
	host, err := s.repo.IsHost(ctx, sess.PointID, p.ID)
	if err != nil {
		return nil, err
	}
	if !host {
		return nil, notFound
	}
	return sess, nil
}

// List lists today's and upcoming sessions of the cadre's points.
func (s *Desk) List(ctx context.Context, p *model.Principal, cursor string, size int) (model.Page[model.LiaisonSession], error) {
	return s.repo.Work(ctx, model.SessionFilter{FromDate: model.FormatDate(s.now()), StaffPath: p.OrgPath, HostID: p.ID,
		Cursor: cursor, Size: size})
}

// Roster is a session with its slots and its bookings.
type Roster struct {
	Session  *model.LiaisonSession
	Bookings []model.Booking
}

// Get returns a session's roster: bookings with topics and check-in state.
func (s *Desk) Get(ctx context.Context, p *model.Principal, id int64) (*Roster, error) {
	sess, err := s.reach(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if sess.Slots, err = s.repo.Slots(ctx, id); err != nil {
		return nil, err
	}
	bookings, err := s.repo.Roster(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Roster{Session: sess, Bookings: bookings}, nil
}

// CheckIn checks a resident in by code (or QR payload), on the session's day only.
func (s *Desk) CheckIn(ctx context.Context, p *model.Principal, id int64, input string) (*model.Booking, error) {
	sess, err := s.reach(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := sess.CanCheckIn(now); err != nil {
		return nil, err
	}
	code, err := model.ParseCheckin(id, input)
	if err != nil {
		return nil, err
	}
	b, err := s.repo.CheckIn(ctx, id, code, func(sess *model.LiaisonSession, b *model.Booking) error {
		if err := sess.CanCheckIn(now); err != nil {
			return err
		}
		return b.CheckIn(p.ID, now)
	})
	if model.IsCode(err, model.CodeNotFound) {
		return nil, model.E(model.CodeNotFound, "签到码不正确，未找到本场接访的这条预约")
	}
	return b, err
}

// Close ends the session on its day with a summary: bookings not checked in
// become no_show, and the attendance figures are recorded.
func (s *Desk) Close(ctx context.Context, p *model.Principal, actor model.Actor, id int64, summary string) (*model.LiaisonSession, error) {
	sess, err := s.reach(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := sess.OnSessionDay(now); err != nil {
		return nil, err
	}
	out, err := s.repo.Close(ctx, id, func(sess *model.LiaisonSession, bookings []*model.Booking, t model.SessionTally) (*model.AuditLog, error) {
		for _, b := range bookings {
			if b.Status == model.BookingBooked {
				if err := b.MarkNoShow(now); err != nil {
					return nil, err
				}
			}
			switch b.Status {
			case model.BookingCheckedIn:
				t.CheckedIn++
			case model.BookingNoShow:
				t.NoShows++
			}
		}
		if err := sess.Close(summary, t, p.ID, now); err != nil {
			return nil, err
		}
		return actor.Audit("session.close", "session", sess.ID, fmt.Sprintf("attendees=%d no_shows=%d collected=%d solved_on_spot=%d",
			*sess.Attendees, t.NoShows, t.Collected, t.SolvedOnSpot), now), nil
	})
	if err != nil {
		return nil, err
	}
	s.cache.Drop(ctx, out.PointID)
	return out, nil
}

// MarkNoShows marks bookings of ended sessions that were never checked in as
// no_show (the job; idempotent: a marked booking is no longer booked).
func (s *Desk) MarkNoShows(ctx context.Context) (int, error) {
	now := s.now()
	return s.repo.MarkNoShows(ctx, now, func(b *model.Booking) error { return b.MarkNoShow(now) })
}
