package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Open311 persists service definitions and reads requests as GeoReport v2 shows them.
type Open311 struct{ s *Store }

// Open311 returns the Open311 repository.
func (s *Store) Open311() *Open311 { return &Open311{s} }

var _ service.Open311Repo = (*Open311)(nil)

// attrRow is a service attribute as stored: the choices as JSON.
type attrRow struct {
	model.ServiceAttribute
	ValuesJSON *string `gorm:"column:values_json"`
}

func (attrRow) TableName() string { return "service_attributes" }

type attrChoice struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Attributes lists a category's service definition in order.
func (r *Open311) Attributes(ctx context.Context, categoryID int64) ([]model.ServiceAttribute, error) {
	var rows []attrRow
	if err := r.s.db.WithContext(ctx).Where("category_id = ?", categoryID).Order("position").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]model.ServiceAttribute, len(rows))
	for i, row := range rows {
		out[i] = row.ServiceAttribute
		if row.ValuesJSON == nil {
			continue
		}
		var cs []attrChoice
		if err := json.Unmarshal([]byte(*row.ValuesJSON), &cs); err != nil {
			return nil, fmt.Errorf("service attribute %d/%s: %w", categoryID, row.Code, err)
		}
		for _, c := range cs {
			out[i].Values = append(out[i].Values, model.AttrValue{Key: c.Key, Name: c.Name})
		}
	}
	return out, nil
}

// DefinedCategories lists the ids of categories with a service definition.
func (r *Open311) DefinedCategories(ctx context.Context) (map[int64]bool, error) {
	var ids []int64
	if err := r.s.db.WithContext(ctx).Raw("SELECT DISTINCT category_id FROM service_attributes").Scan(&ids).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// SetAttributes replaces a category's definition under the category's row lock, with the audit row.
func (r *Open311) SetAttributes(ctx context.Context, categoryID int64, attrs []model.ServiceAttribute, audit *model.AuditLog) error {
	return r.s.tx(ctx, "Open311.SetAttributes", func(tx *gorm.DB) error {
		var c model.Category
		if err := forUpdate(tx).First(&c, categoryID).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM service_attributes WHERE category_id = ?", categoryID).Error; err != nil {
			return err
		}
		for _, a := range attrs {
			row := attrRow{ServiceAttribute: a}
			if a.Datatype.List() {
				cs := make([]attrChoice, len(a.Values))
				for i, v := range a.Values {
					cs[i] = attrChoice{Key: v.Key, Name: v.Name}
				}
				b, err := json.Marshal(cs)
				if err != nil {
					return err
				}
				s := string(b)
				row.ValuesJSON = &s
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
		return tx.Create(audit).Error
	})
}

// NearestCommunity is the org of the active liaison point nearest to (lat,
// lng) inside scopePath, within radius metres (equirectangular distance, as
// the point list computes it); a bounding box keeps the scan to nearby points.
func (r *Open311) NearestCommunity(ctx context.Context, scopePath string, lat, lng float64, radius int) (int64, error) {
	dLat := float64(radius) / 111320
	dLng := dLat / math.Max(math.Cos(lat*math.Pi/180), 0.01)
	var ids []int64
	err := r.s.db.WithContext(ctx).Raw(`SELECT p.org_id FROM points p JOIN orgs o ON o.id = p.org_id
		WHERE p.active = 1 AND o.active = 1 AND o.kind = ? AND o.path LIKE ?
		  AND p.lat BETWEEN ? AND ? AND p.lng BETWEEN ? AND ?
		  AND 6371000 * SQRT(POW(RADIANS(p.lat - ?), 2) + POW(COS(RADIANS(?)) * RADIANS(p.lng - ?), 2)) <= ?
		ORDER BY POW(RADIANS(p.lat - ?), 2) + POW(COS(RADIANS(?)) * RADIANS(p.lng - ?), 2), p.id LIMIT 1`,
		model.OrgCommunity, scopePath+"%", lat-dLat, lat+dLat, lng-dLng, lng+dLng,
		lat, lat, lng, radius, lat, lat, lng).Scan(&ids).Error
	if err != nil {
		return 0, translate(err)
	}
	if len(ids) == 0 {
		return 0, model.ErrNotFound
	}
	return ids[0], nil
}

// CommunitiesNamedIn lists active communities inside scopePath whose name the
// address contains, with their towns' names.
func (r *Open311) CommunitiesNamedIn(ctx context.Context, scopePath, address string) ([]model.Org, []string, error) {
	type row struct {
		model.Org
		TownName string
	}
	var rows []row
	err := r.s.db.WithContext(ctx).Raw(`SELECT c.*, t.name AS town_name FROM orgs c JOIN orgs t ON t.id = c.parent_id
		WHERE c.kind = ? AND c.active = 1 AND c.path LIKE ? AND LOCATE(c.name, ?) > 0
		ORDER BY c.id LIMIT 20`, model.OrgCommunity, scopePath+"%", address).Scan(&rows).Error
	if err != nil {
		return nil, nil, translate(err)
	}
	orgs, towns := make([]model.Org, len(rows)), make([]string, len(rows))
	for i := range rows {
		orgs[i], towns[i] = rows[i].Org, rows[i].TownName
	}
	return orgs, towns, nil
}

// open311Cols are the columns of a request as GeoReport v2 shows it.
// Nothing personal is read: no resident, contact or assignee.
const open311Cols = `r.id, r.number, r.source, r.category_id, r.content, r.community_id, r.handling_org_id,
	r.address, r.lat, r.lng, r.status, r.accept_due_at, r.resolve_due_at, r.due_at, r.review_date, r.result,
	r.flagged_for_review, r.anonymized_at, r.created_at, r.updated_at, c.code AS service_code, c.name AS service_name, c.accept_days, c.resolve_days,
	h.name AS agency_name, cm.name AS community_name, l.media_url, COALESCE(l.address_id, '') AS address_id`

// Find lists requests by numbers, or by submission window, codes and
// statuses; newest first, at most f.Limit.
func (r *Open311) Find(ctx context.Context, f model.Open311Filter) ([]model.Open311Item, error) {
	var where []string
	var args []any
	if len(f.Numbers) > 0 {
		where, args = append(where, "r.number IN ?"), append(args, f.Numbers)
	} else {
		where, args = append(where, "r.created_at >= ? AND r.created_at <= ?"), append(args, f.From.UTC(), f.To.UTC())
		if len(f.Codes) > 0 {
			where, args = append(where, "c.code IN ?"), append(args, f.Codes)
		}
		if len(f.Statuses) > 0 {
			where, args = append(where, "r.status IN ?"), append(args, f.Statuses)
		}
	}
	args = append(args, f.Limit)
	out := []model.Open311Item{}
	err := r.s.db.WithContext(ctx).Raw(`SELECT `+open311Cols+` FROM requests r
		JOIN categories c ON c.id = r.category_id
		JOIN orgs h ON h.id = r.handling_org_id
		JOIN orgs cm ON cm.id = r.community_id
		LEFT JOIN open311_requests l ON l.request_id = r.id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, args...).Scan(&out).Error
	return out, translate(err)
}
