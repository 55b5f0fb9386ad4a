package model

import (
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// BookingStatus of a booking: booked → checked_in | cancelled | no_show.
type BookingStatus string

// Booking statuses.
const (
	BookingBooked    BookingStatus = "booked"
	BookingCheckedIn BookingStatus = "checked_in"
	BookingCancelled BookingStatus = "cancelled"
	BookingNoShow    BookingStatus = "no_show"
)

func (st BookingStatus) text() string {
	switch st {
	case BookingBooked:
		return "已预约"
	case BookingCheckedIn:
		return "已签到"
	case BookingCancelled:
		return "已取消"
	case BookingNoShow:
		return "未到场"
	}
	return string(st)
}

// MaxFutureBookings is how many upcoming bookings a resident may hold at once.
const MaxFutureBookings = 2

// Booking is a resident's seat in a slot of a session.
type Booking struct {
	ID           int64 `gorm:"primaryKey"`
	ResidentID   int64
	SlotID       int64
	SessionID    int64
	PointID      int64
	Status       BookingStatus
	Code         string
	Topic        string
	RequestID    *int64
	StartsAt     time.Time
	ClosesAt     time.Time
	CancelledAt  *time.Time
	CancelReason string
	CheckedInAt  *time.Time
	CheckedInBy  *int64
	NoShowAt     *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Read-only, filled by joins.
	EndsAt       time.Time `gorm:"->"`
	Date         string    `gorm:"->"`
	PointName    string    `gorm:"->"`
	PointAddress string    `gorm:"->"`
	ResidentName string    `gorm:"->"`
}

// codeAlphabet has 32 characters without 0/O and 1/I: easy to read aloud and type.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// CodeLength is the length of a check-in code.
const CodeLength = 6

// NewCheckinCode draws a random check-in code.
func NewCheckinCode() string {
	b := make([]byte, CodeLength)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// qrPrefix starts a booking's QR payload.
const qrPrefix = "ZLBK:"

// QRPayload is what the booking's QR code encodes: the session and the code.
func (b *Booking) QRPayload() string {
	return qrPrefix + strconv.FormatInt(b.SessionID, 10) + ":" + b.Code
}

// ParseCheckin reads what a cadre entered or scanned: a code, or a QR payload
// of the given session. It returns the normalised code.
func ParseCheckin(sessionID int64, s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(s, qrPrefix); ok {
		sid, code, found := strings.Cut(rest, ":")
		if !found || sid != strconv.FormatInt(sessionID, 10) {
			return "", Invalid("二维码不属于本场接访")
		}
		s = code
	}
	if len(s) != CodeLength || strings.Trim(s, codeAlphabet) != "" {
		return "", Invalid("签到码须为 %d 位字母或数字（不含 0、O、1、I）", CodeLength)
	}
	return s, nil
}

// ValidateTopic checks a booking topic (optional, at most 200 characters).
func ValidateTopic(topic string) (string, error) {
	topic = strings.TrimSpace(topic)
	if utf8.RuneCountInString(topic) > 200 {
		return "", Invalid("预约事由不能超过 200 个字符")
	}
	return topic, nil
}

// NewBooking is a resident's booking of a slot.
func NewBooking(residentID int64, slot *Slot, sess *LiaisonSession, topic string, requestID *int64, now time.Time) *Booking {
	return &Booking{ResidentID: residentID, SlotID: slot.ID, SessionID: sess.ID, PointID: sess.PointID, Status: BookingBooked,
		Code: NewCheckinCode(), Topic: topic, RequestID: requestID, StartsAt: slot.StartAt, ClosesAt: slot.ClosesAt,
		CreatedAt: now, UpdatedAt: now}
}

// Active reports whether the booking holds a seat that is still to be used.
func (b *Booking) Active() bool { return b.Status == BookingBooked }

// Cancel gives the seat back: by the resident before the cut-off, or by an
// admin cancelling the session (force).
func (b *Booking) Cancel(reason string, force bool, now time.Time) error {
	if b.Status != BookingBooked {
		return Transition("取消预约", b.Status.text())
	}
	if !force && !now.Before(b.ClosesAt) {
		return E(CodeBookingClosed, fmt.Sprintf("已过取消截止时间（%s）", b.ClosesAt.In(Shanghai).Format("01-02 15:04")))
	}
	b.Status, b.CancelledAt, b.CancelReason, b.UpdatedAt = BookingCancelled, &now, reason, now
	return nil
}

// CheckIn marks the resident present; a late arrival already marked no_show is accepted.
func (b *Booking) CheckIn(by int64, now time.Time) error {
	if b.Status != BookingBooked && b.Status != BookingNoShow {
		return Transition("签到", b.Status.text())
	}
	b.Status, b.CheckedInAt, b.CheckedInBy, b.NoShowAt, b.UpdatedAt = BookingCheckedIn, &now, &by, nil, now
	return nil
}

// MarkNoShow records that the resident did not come.
func (b *Booking) MarkNoShow(now time.Time) error {
	if b.Status != BookingBooked {
		return Transition("标记未到场", b.Status.text())
	}
	b.Status, b.NoShowAt, b.UpdatedAt = BookingNoShow, &now, now
	return nil
}

// BookingFilter narrows a resident's bookings.
type BookingFilter struct {
	ResidentID int64
	Status     BookingStatus
	Cursor     string
	Size       int
}

// Notice is the resident's subscribe message about this booking for event
// (booking_confirmed, session_reminder, session_cancelled); one per booking and event.
func (b *Booking) Notice(event string, pointName, note string, now time.Time) *OutboxMessage {
	if note == "" {
		note = b.Topic
	}
	if note == "" {
		note = "驻点接访"
	}
	return Notify(event, SubjectResident, b.ResidentID, fmt.Sprintf("%s:%d", event, b.ID),
		fmt.Sprintf("pages/bookings/bookings?id=%d", b.ID), map[string]string{
			"thing1":            pointName,
			"time2":             b.StartsAt.In(Shanghai).Format("2006-01-02 15:04"),
			"character_string3": b.Code,
			"thing4":            note,
		}, now)
}
