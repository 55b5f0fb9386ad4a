package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"zhilian/internal/store"
	"zhilian/internal/testutil"
	"zhilian/model"
)

// bookingFixture is a migrated database with a point and one open session
// three days after now, cut into two 30-minute slots of the given capacity.
type bookingFixture struct {
	db    *gorm.DB
	st    *store.Store
	now   time.Time
	slots []model.Slot
}

func newBookingFixture(t *testing.T, capacity int) *bookingFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, model.Shanghai)
	db, err := store.Open(ctx, testutil.MigratedDatabase(t), func() time.Time { return now }, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	st := store.New(db)
	root, err := st.Orgs().EnsureRoot(ctx, func() model.Org {
		return model.Org{Kind: model.OrgCity, Name: "测试市", Active: true, CreatedAt: now, UpdatedAt: now}
	})
	if err != nil {
		t.Fatal(err)
	}
	point := &model.Point{OrgID: root.ID, Name: "测试驻点", Address: "测试路 1 号", Active: true, CreatedAt: now, UpdatedAt: now}
	if err := db.Omit("Hosts").Create(point).Error; err != nil {
		t.Fatal(err)
	}
	sess, err := model.NewSession(point.ID, now.AddDate(0, 0, 3), model.SessionRegular,
		model.Windows{{Start: 9 * 60, End: 10 * 60}}, 30, capacity, time.Hour, "", now)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := st.Schedules().InsertSession(ctx, sess, nil); err != nil || !ok {
		t.Fatalf("insert session: %v %v", ok, err)
	}
	return &bookingFixture{db: db, st: st, now: now, slots: sess.Slots}
}

func (f *bookingFixture) resident(t *testing.T) int64 {
	t.Helper()
	r, _, err := f.st.Residents().FindOrCreate(context.Background(), model.NewResident(testutil.UniqueCode("openid_"), "", f.now))
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// book books slot for resident with the service's rule (Slot.CanBook).
func (f *bookingFixture) book(resident, slot int64) (*model.Booking, error) {
	b, _, err := f.st.Bookings().Book(context.Background(), nil, resident, slot, f.now,
		func(sess *model.LiaisonSession, sl *model.Slot, future int) (*model.Booking, error) {
			if err := sl.CanBook(sess, future, f.now); err != nil {
				return nil, err
			}
			return model.NewBooking(resident, sl, sess, "", nil, f.now), nil
		})
	return b, err
}

func (f *bookingFixture) booked(t *testing.T, slot int64) int {
	t.Helper()
	var s model.Slot
	if err := f.db.First(&s, slot).Error; err != nil {
		t.Fatal(err)
	}
	return s.Booked
}

// TestBookKeepsTheSlotWithinCapacity: residents racing for a slot of three
// seats get three bookings and slot_full for everyone else.
func TestBookKeepsTheSlotWithinCapacity(t *testing.T) {
	t.Parallel()
	f := newBookingFixture(t, 3)
	slot := f.slots[0].ID
	residents := make([]int64, 8)
	for i := range residents {
		residents[i] = f.resident(t)
	}
	errs := make([]error, len(residents))
	var wg sync.WaitGroup
	for i, r := range residents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.book(r, slot)
		}()
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !model.IsCode(err, model.CodeSlotFull):
			t.Errorf("resident %d: %v, want slot_full", i, err)
		}
	}
	if ok != 3 || f.booked(t, slot) != 3 {
		t.Fatalf("%d bookings, slot counts %d booked; want 3 and 3", ok, f.booked(t, slot))
	}
	var rows int64
	f.db.Model(&model.Booking{}).Where("slot_id = ?", slot).Count(&rows)
	if rows != 3 {
		t.Fatalf("%d booking rows, want 3", rows)
	}
}

// TestBookOneActiveBookingPerResidentAndSession: a second booking of the same
// slot, or of another slot of the session, is already_booked and takes no seat.
func TestBookOneActiveBookingPerResidentAndSession(t *testing.T) {
	t.Parallel()
	f := newBookingFixture(t, 5)
	r := f.resident(t)
	if _, err := f.book(r, f.slots[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, sl := range f.slots {
		_, err := f.book(r, sl.ID)
		if !model.IsCode(err, model.CodeAlreadyBooked) {
			t.Fatalf("second booking of slot %d: %v, want already_booked", sl.ID, err)
		}
	}
	if a, b := f.booked(t, f.slots[0].ID), f.booked(t, f.slots[1].ID); a != 1 || b != 0 {
		t.Fatalf("seats taken %d and %d, want 1 and 0", a, b)
	}
}

// TestCancelFreesTheSeat: a full slot takes a booking again once one is
// cancelled, and the cancelled resident may book again.
func TestCancelFreesTheSeat(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newBookingFixture(t, 1)
	slot := f.slots[0].ID
	first, second := f.resident(t), f.resident(t)
	b, err := f.book(first, slot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.book(second, slot); !model.IsCode(err, model.CodeSlotFull) {
		t.Fatalf("booking a full slot: %v, want slot_full", err)
	}
	if _, err := f.st.Bookings().Cancel(ctx, b.ID, first, func(b *model.Booking) error {
		return b.Cancel("有事", false, f.now)
	}); err != nil {
		t.Fatal(err)
	}
	if n := f.booked(t, slot); n != 0 {
		t.Fatalf("after cancel %d seats taken, want 0", n)
	}
	if _, err := f.book(second, slot); err != nil {
		t.Fatalf("booking the freed seat: %v", err)
	}
	if _, err := f.book(first, f.slots[1].ID); err != nil {
		t.Fatalf("the cancelled resident booking again: %v", err)
	}
	// Cancelling twice gives nothing back twice.
	_, err = f.st.Bookings().Cancel(ctx, b.ID, first, func(b *model.Booking) error { return b.Cancel("", false, f.now) })
	if !model.IsCode(err, model.CodeInvalidTransition) || f.booked(t, slot) != 1 {
		t.Fatalf("second cancel: %v, %d seats taken", err, f.booked(t, slot))
	}
	if want := fmt.Sprintf("Bookings.Cancel %d: ", b.ID); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %q not wrapped with %q", err, want)
	}
}
