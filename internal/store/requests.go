package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Requests persists requests (诉求), their timelines and photos.
type Requests struct{ s *Store }

// Requests returns the request repository.
func (s *Store) Requests() *Requests { return &Requests{s} }

// errKeyTaken ends a submission whose idempotency key another one claimed first.
var errKeyTaken = errors.New("idempotency key already claimed")

// Submit numbers and inserts a request with its first event and image links in
// one transaction, claiming the idempotency key first. A concurrent submission
// with the same key waits on the key's unique index until the first commits,
// then gets the first one's record back and writes nothing.
//
// No row every submission shares stays locked for a transaction: the number
// is drawn before it (nextNumber, its own autocommit statement), and the
// rollups, sharded by request id, are written last, just before commit.
func (r *Requests) Submit(ctx context.Context, rec service.NewRequestRecord) (*model.IdempotencyRecord, error) {
	req := rec.Request
	seq, err := r.nextNumber(ctx, req.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("Requests.Submit: %w", err)
	}
	err = r.s.tx(ctx, "Requests.Submit", func(tx *gorm.DB) error {
		if rec.Idem != nil {
			if err := tx.Create(rec.Idem).Error; err != nil {
				if dupKey(err, "uk_idempotency_key") {
					return errKeyTaken
				}
				return err
			}
		}
		req.ID = 0 // a retried transaction inserts afresh
		req.Number = model.NumberFor(req.CreatedAt, seq)
		req.DueAt = req.Due()
		if err := tx.Create(req).Error; err != nil {
			return err
		}
		if err := attachImages(tx, req.ID, rec.ImageIDs, "submit", rec.ImageOwner, rec.ImageOwnerID); err != nil {
			return err
		}
		rec.Event.RequestID = req.ID
		if err := tx.Create(rec.Event).Error; err != nil {
			return err
		}
		if rec.Notify != nil {
			if err := InsertOutbox(tx, rec.Notify(req)...); err != nil {
				return err
			}
		}
		if rec.Rows != nil {
			for _, row := range rec.Rows(req) {
				if err := tx.Create(row).Error; err != nil {
					return err
				}
			}
		}
		if rec.Idem != nil {
			status, body, err := rec.Render(req)
			if err != nil {
				return err
			}
			rec.Idem.Status, rec.Idem.Response, rec.Idem.TargetID = status, body, &req.ID
			if err := tx.Model(rec.Idem).Select("status", "response", "target_id").Updates(rec.Idem).Error; err != nil {
				return err
			}
		}
		return rollupMove(tx, nil, req)
	})
	if errors.Is(err, errKeyTaken) {
		return r.Idempotency(ctx, rec.Idem.SubjectKind, rec.Idem.SubjectID, rec.Idem.Scope, rec.Idem.IdemKey)
	}
	return nil, err
}

// nextNumber draws the next number of the submission day in one autocommit
// statement: the counter row is locked only for that statement, never for a
// submission's transaction. LAST_INSERT_ID(expr) hands the new value back in
// the statement's own reply, whichever connection runs it. Numbers stay
// unique; a submission whose transaction then fails leaves its number
// unused (a gap), which the numbering allows.
func (r *Requests) nextNumber(ctx context.Context, at time.Time) (int64, error) {
	sqlDB, err := r.s.db.DB()
	if err != nil {
		return 0, err
	}
	day := at.In(model.Shanghai).Format("20060102")
	res, err := sqlDB.ExecContext(ctx, `INSERT INTO request_counters (day, seq) VALUES (?, LAST_INSERT_ID(1))
		ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + 1)`, day)
	if err != nil {
		return 0, translate(fmt.Errorf("draw request number: %w", err))
	}
	seq, err := res.LastInsertId()
	if err != nil || seq < 1 {
		return 0, fmt.Errorf("draw request number: got %d: %v", seq, err)
	}
	return seq, nil
}

// Idempotency loads the record of a key.
func (r *Requests) Idempotency(ctx context.Context, kind model.SubjectKind, subjectID int64, scope, key string) (*model.IdempotencyRecord, error) {
	var rec model.IdempotencyRecord
	err := r.s.db.WithContext(ctx).Where("subject_kind = ? AND subject_id = ? AND scope = ? AND idem_key = ?",
		kind, subjectID, scope, key).Take(&rec).Error
	if err != nil {
		return nil, translate(err)
	}
	return &rec, nil
}

// Get loads a request.
func (r *Requests) Get(ctx context.Context, id int64) (*model.Request, error) {
	var req model.Request
	if err := r.s.db.WithContext(ctx).First(&req, id).Error; err != nil {
		return nil, translate(err)
	}
	return &req, nil
}

// Change locks the request row, applies change (model methods) and saves the
// request with the events it returns, in one transaction. Two cadres acting at
// once are serialised by the lock: the second sees the first one's state.
func (r *Requests) Change(ctx context.Context, id int64, change func(*model.Request) ([]*model.RequestEvent, error)) (*model.Request, error) {
	return r.Apply(ctx, id, func(req *model.Request) (*service.RequestEffects, error) {
		events, err := change(req)
		return &service.RequestEffects{Events: events}, err
	})
}

// Apply is Change with everything else the change writes in the same
// transaction: timeline events, a new invitation, attached photos and the
// notification outbox rows.
func (r *Requests) Apply(ctx context.Context, id int64, change func(*model.Request) (*service.RequestEffects, error)) (*model.Request, error) {
	var req model.Request
	err := r.s.tx(ctx, fmt.Sprintf("Requests.Apply %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&req, id).Error; err != nil {
			return err
		}
		before := req
		fx, err := change(&req)
		if err != nil {
			return err
		}
		if err := saveRequest(tx, &before, &req); err != nil {
			return err
		}
		if err := followUp(tx, &before, &req); err != nil {
			return err
		}
		if fx == nil {
			return nil
		}
		if err := insertEvents(tx, req.ID, fx.Events); err != nil {
			return err
		}
		if fx.Invitation != nil {
			if err := tx.Omit("department_name", "request_number").Create(fx.Invitation).Error; err != nil {
				if dupKey(err, "uk_invitations_open") {
					return model.E(model.CodeConflict, "已向该部门发出约请，尚未答复")
				}
				return err
			}
		}
		if err := attachImages(tx, req.ID, fx.Images, fx.ImageStage, fx.ImageOwner, fx.ImageOwnerID); err != nil {
			return err
		}
		if fx.WithdrawInvitations {
			if err := withdrawOpenInvitations(tx, &req, fx.Actor, req.UpdatedAt); err != nil {
				return err
			}
		}
		if fx.Notify != nil {
			return InsertOutbox(tx, fx.Notify(&req)...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &req, nil
}

// attachImages links uploads of the owner to a request after its current
// photos; an upload used elsewhere, or not the owner's, is invalid_argument.
func attachImages(tx *gorm.DB, requestID int64, ids []int64, stage string, kind model.SubjectKind, ownerID int64) error {
	if len(ids) == 0 {
		return nil
	}
	var next int
	if err := tx.Raw("SELECT COALESCE(MAX(position) + 1, 0) FROM request_images WHERE request_id = ?", requestID).
		Row().Scan(&next); err != nil {
		return err
	}
	for i, id := range ids {
		res := tx.Exec(`INSERT INTO request_images (request_id, upload_id, position, stage)
			SELECT ?, id, ?, ? FROM uploads WHERE id = ? AND owner_kind = ? AND owner_id = ?`,
			requestID, next+i, stage, id, kind, ownerID)
		if res.Error != nil {
			if dupKey(res.Error, "uk_request_images_upload") {
				return model.Invalid("图片 %d 已用于另一条诉求", id)
			}
			return res.Error
		}
		if res.RowsAffected == 0 {
			return model.Invalid("图片 %d 不存在", id)
		}
	}
	return nil
}

// saveRequest writes every mutable column of a locked request, with the due
// time of its (new) state, and moves its statistics rollup from before (the
// request as it was locked) in the same transaction: every write of a
// request goes through here, so none can leave the rollups behind.
func saveRequest(tx *gorm.DB, before, req *model.Request) error {
	req.DueAt = req.Due()
	if err := tx.Model(req).Select("*").Omit("id", "number", "created_at").Updates(req).Error; err != nil {
		return err
	}
	return rollupMove(tx, before, req)
}

// insertEvents appends timeline rows (a notification outbox insert belongs next to them).
func insertEvents(tx *gorm.DB, requestID int64, events []*model.RequestEvent) error {
	for _, e := range events {
		if e == nil {
			continue
		}
		e.RequestID = requestID
		if err := tx.Create(e).Error; err != nil {
			return err
		}
	}
	return nil
}

// ListByResident lists a resident's requests newest first, keyset-paginated by id.
func (r *Requests) ListByResident(ctx context.Context, f model.RequestFilter) (model.Page[model.Request], error) {
	out := model.Page[model.Request]{Items: []model.Request{}}
	var after int64
	if err := decodeCursor(f.Cursor, &after); err != nil {
		return out, err
	}
	size := pageSize(f.Size)
	q := r.s.db.WithContext(ctx).Where("resident_id = ?", f.ResidentID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if after > 0 {
		q = q.Where("id < ?", after)
	}
	if err := q.Order("id DESC").Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	if len(out.Items) > size {
		out.Items = out.Items[:size]
		out.NextCursor = encodeCursor(out.Items[size-1].ID)
	}
	return out, nil
}

// Events lists a request's timeline in order; publicOnly leaves internal events out.
func (r *Requests) Events(ctx context.Context, requestID int64, publicOnly bool) ([]model.RequestEvent, error) {
	q := r.s.db.WithContext(ctx).Where("request_id = ?", requestID)
	if publicOnly {
		q = q.Where("visibility = ?", model.Public)
	}
	out := []model.RequestEvent{}
	return out, translate(q.Order("id").Find(&out).Error)
}

// Images lists a request's photos in their order, with the stage each was attached at.
func (r *Requests) Images(ctx context.Context, requestID int64) ([]service.RequestImage, error) {
	out := []service.RequestImage{}
	err := r.s.db.WithContext(ctx).Table("request_images").Select("upload_id AS id, stage").
		Where("request_id = ?", requestID).Order("position").Scan(&out).Error
	return out, translate(err)
}

var _ service.RequestRepo = (*Requests)(nil)
