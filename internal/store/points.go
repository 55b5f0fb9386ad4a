package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

var _ service.PointRepo = (*Points)(nil)

// Points persists liaison points and their host teams.
type Points struct{ s *Store }

// Points returns the point repository.
func (s *Store) Points() *Points { return &Points{s} }

// noLocation sorts points without a location after every located one.
const noLocation = 999999999

func (r *Points) joined(db *gorm.DB) *gorm.DB {
	return db.Table("points").Select("points.*, orgs.path AS org_path, orgs.name AS org_name").
		Joins("JOIN orgs ON orgs.id = points.org_id")
}

// Get loads a point with its org and host team.
func (r *Points) Get(ctx context.Context, id int64) (*model.Point, error) {
	var p model.Point
	db := r.s.db.WithContext(ctx)
	if err := r.joined(db).Where("points.id = ?", id).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	p.Hosts = []model.PointHost{}
	err := db.Table("point_hosts").Select("point_hosts.point_id, point_hosts.account_id, accounts.name").
		Joins("JOIN accounts ON accounts.id = point_hosts.account_id").
		Where("point_hosts.point_id = ?", id).Order("point_hosts.account_id").Find(&p.Hosts).Error
	return &p, translate(err)
}

func setHosts(tx *gorm.DB, pointID int64, ids []int64) error {
	if err := tx.Where("point_id = ?", pointID).Delete(&model.PointHost{}).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	rows := make([]model.PointHost, len(ids))
	for i, id := range ids {
		rows[i] = model.PointHost{PointID: pointID, AccountID: id}
	}
	return tx.Create(&rows).Error
}

func pointDup(err error) error {
	if dupKey(err, "uk_points_org_name") {
		return model.E(model.CodeAlreadyExists, "该社区已有同名驻点")
	}
	return err
}

// Create inserts a point with its host team and audit row.
func (r *Points) Create(ctx context.Context, p *model.Point, hostIDs []int64, audit func(*model.Point) *model.AuditLog) error {
	return r.s.tx(ctx, "Points.Create", func(tx *gorm.DB) error {
		if err := tx.Create(p).Error; err != nil {
			return pointDup(err)
		}
		if err := setHosts(tx, p.ID, hostIDs); err != nil {
			return err
		}
		return tx.Create(audit(p)).Error
	})
}

// Update locks a point, applies change and saves it; a non-nil hostIDs replaces the host team.
func (r *Points) Update(ctx context.Context, id int64, hostIDs []int64, change func(*model.Point) (*model.AuditLog, error)) (*model.Point, error) {
	err := r.s.tx(ctx, fmt.Sprintf("Points.Update %d", id), func(tx *gorm.DB) error {
		var p model.Point
		if err := forUpdate(tx).First(&p, id).Error; err != nil {
			return err
		}
		audit, err := change(&p)
		if err != nil {
			return err
		}
		if err := tx.Model(&p).Select("name", "address", "lat", "lng", "notes", "active", "updated_at").Updates(&p).Error; err != nil {
			return pointDup(err)
		}
		if hostIDs != nil {
			if err := setHosts(tx, id, hostIDs); err != nil {
				return err
			}
		}
		return tx.Create(audit).Error
	})
	if err != nil {
		return nil, err
	}
	return r.Get(ctx, id)
}

// Delete removes a point that never had a booking, with its rule, sessions and slots.
func (r *Points) Delete(ctx context.Context, id int64, audit *model.AuditLog) error {
	return r.s.tx(ctx, fmt.Sprintf("Points.Delete %d", id), func(tx *gorm.DB) error {
		var p model.Point
		if err := forUpdate(tx).First(&p, id).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&model.Booking{}).Where("point_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return model.E(model.CodeConflict, "该驻点已有预约记录，不能删除，请改为停用")
		}
		sessions := tx.Model(&model.LiaisonSession{}).Select("id").Where("point_id = ?", id)
		if err := tx.Where("session_id IN (?)", sessions).Delete(&model.Slot{}).Error; err != nil {
			return err
		}
		if err := tx.Where("point_id = ?", id).Delete(&model.LiaisonSession{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&model.Point{}, id).Error; err != nil {
			return err
		}
		return tx.Create(audit).Error
	})
}

// List lists points in a subtree: by id, or nearest first (metres, keyset on
// distance and id) when a location is given.
func (r *Points) List(ctx context.Context, f model.PointFilter) (model.Page[model.Point], error) {
	var out model.Page[model.Point]
	size := pageSize(f.Size)
	db := r.s.db.WithContext(ctx)
	inner := r.joined(db).Where("orgs.path LIKE ?", escapeLike(f.OrgPath)+"%")
	if f.ActiveOnly {
		inner = inner.Where("points.active = 1 AND orgs.active = 1")
	}
	var q *gorm.DB
	if f.Near != nil {
		var afterDist, afterID int64
		if err := decodeCursor(f.Cursor, &afterDist, &afterID); err != nil {
			return out, err
		}
		dist := "IFNULL(ROUND(6371000 * SQRT(POW(RADIANS(points.lat - ?), 2) + POW(COS(RADIANS(?)) * RADIANS(points.lng - ?), 2))), ?)"
		inner = inner.Select("points.*, orgs.path AS org_path, orgs.name AS org_name, CAST("+dist+" AS SIGNED) AS distance_m",
			f.Near.Lat, f.Near.Lat, f.Near.Lng, noLocation)
		q = db.Table("(?) AS p", inner)
		if f.Cursor != "" {
			q = q.Where("p.distance_m > ? OR (p.distance_m = ? AND p.id > ?)", afterDist, afterDist, afterID)
		}
		q = q.Order("p.distance_m, p.id")
	} else {
		var after int64
		if err := decodeCursor(f.Cursor, &after); err != nil {
			return out, err
		}
		q = inner
		if after > 0 {
			q = q.Where("points.id > ?", after)
		}
		q = q.Order("points.id")
	}
	if err := q.Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	if len(out.Items) > size {
		out.Items = out.Items[:size]
		last := out.Items[size-1]
		if f.Near != nil {
			out.NextCursor = encodeCursor(*last.DistanceM, last.ID)
		} else {
			out.NextCursor = encodeCursor(last.ID)
		}
	}
	for i := range out.Items {
		if d := out.Items[i].DistanceM; d != nil && *d >= noLocation {
			out.Items[i].DistanceM = nil
		}
	}
	return out, nil
}
