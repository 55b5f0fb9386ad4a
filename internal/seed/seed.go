// Package seed fills a database with a realistic city's worth of residents and
// requests, fast (multi-row INSERTs on a few connections), for benchmarks and
// load tests. It is never run by the server.
package seed

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"zhilian/internal/config"
	"zhilian/internal/pii"
	"zhilian/internal/store"
	"zhilian/model"
	"zhilian/service"
)

// Options say how much to generate.
type Options struct {
	Requests  int
	Residents int
	Year      int // requests are submitted during this year (up to now)
	Seed      uint64
	Batch     int // rows per INSERT; 0: 1000
	Workers   int // connections inserting at once; 0: 2
	Now       time.Time
	Log       *slog.Logger
	DataKeys  [][]byte // seal the demo staff's phone numbers; nil: the development key
}

// Result tells what was written.
type Result struct {
	Orgs, Residents, Requests int
	Took                      time.Duration
}

// Run builds the demo city (with ten communities per town), then inserts the
// residents and requests. The database must be migrated.
func Run(ctx context.Context, db *gorm.DB, o Options) (Result, error) {
	start := time.Now()
	if o.Batch == 0 {
		o.Batch = 1000
	}
	if o.Workers == 0 {
		o.Workers = 2
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	st := store.New(db)
	now := func() time.Time { return o.Now }
	keys := o.DataKeys
	if keys == nil {
		dev, err := base64.StdEncoding.DecodeString(config.DevDataKey)
		if err != nil {
			return Result{}, err
		}
		keys = [][]byte{dev}
	}
	sealer, err := pii.New(keys)
	if err != nil {
		return Result{}, err
	}
	boot := service.NewBootstrap(st.Orgs(), st.Accounts(), service.NewPasswords(4), service.NewStaffPhones(sealer, o.Log), now, o.Log)
	root, err := boot.Root(ctx, "佛山市", "440600")
	if err != nil {
		return Result{}, err
	}
	if _, err := boot.Demo(ctx, root); err != nil {
		return Result{}, err
	}
	tree, err := st.Orgs().Subtree(ctx, root.Path, false)
	if err != nil {
		return Result{}, err
	}
	w := world{}
	for i := range tree {
		o := tree[i]
		switch o.Kind {
		case model.OrgTown:
			w.towns = append(w.towns, &o)
		case model.OrgDepartment:
			w.depts = append(w.depts, &o)
		}
	}
	// Ten communities per town.
	for _, t := range w.towns {
		kids, err := st.Orgs().Children(ctx, t.ID, false)
		if err != nil {
			return Result{}, err
		}
		for i := len(kids); i < 10; i++ {
			c, err := model.NewChildOrg(t, model.OrgCommunity, fmt.Sprintf("%s第%d社区", t.Name, i+1), nil, o.Now)
			if err != nil {
				return Result{}, err
			}
			if err := st.Orgs().Create(ctx, c, t.Path, func(c *model.Org) *model.AuditLog {
				return model.Actor{Name: "seed"}.Audit("org.create", "org", c.ID, "seed", o.Now)
			}); err != nil {
				return Result{}, err
			}
			kids = append(kids, *c)
		}
		for i := range kids {
			w.communities = append(w.communities, &kids[i])
			w.townOf = append(w.townOf, t)
		}
	}
	cats, err := st.Categories().List(ctx, true)
	if err != nil {
		return Result{}, err
	}
	for _, c := range cats {
		w.cats = append(w.cats, c)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return Result{}, err
	}
	var firstResident int64
	if err := sqlDB.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM residents").Scan(&firstResident); err != nil {
		return Result{}, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	if err := w.residents(ctx, sqlDB, o, rng); err != nil {
		return Result{}, err
	}
	if err := w.requests(ctx, sqlDB, o, rng, firstResident); err != nil {
		return Result{}, err
	}
	// The bulk insert bypasses the request writes that keep the statistics rollups.
	if err := st.Stats().RebuildRollups(ctx); err != nil {
		return Result{}, err
	}
	if tree, err = st.Orgs().Subtree(ctx, root.Path, false); err != nil {
		return Result{}, err
	}
	return Result{Orgs: len(tree), Residents: o.Residents, Requests: o.Requests, Took: time.Since(start)}, nil
}

type world struct {
	towns, depts []*model.Org
	communities  []*model.Org
	townOf       []*model.Org // the town of each community
	cats         []model.Category
	residency    []string // of each seeded resident
	community    []int    // index into communities of each seeded resident
}

// insert runs batches of rows as multi-row INSERTs on o.Workers connections,
// with foreign-key checks off for the session (the generator only refers to
// rows that exist).
func insert(ctx context.Context, db *sql.DB, o Options, head string, batches <-chan [][]any) error {
	var wg sync.WaitGroup
	errs := make(chan error, o.Workers)
	for i := 0; i < o.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
				errs <- err
				return
			}
			for rows := range batches {
				var sb strings.Builder
				sb.WriteString(head)
				args := make([]any, 0, len(rows)*len(rows[0]))
				ph := "(" + strings.TrimSuffix(strings.Repeat("?,", len(rows[0])), ",") + ")"
				for j, r := range rows {
					if j > 0 {
						sb.WriteByte(',')
					}
					sb.WriteString(ph)
					args = append(args, r...)
				}
				if _, err := conn.ExecContext(ctx, sb.String(), args...); err != nil {
					errs <- err
					for range batches { // drain so the producer ends
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// residents inserts o.Residents residents: 55% hukou, 45% non-hukou (Foshan
// has about as many non-hukou residents as hukou ones).
func (w *world) residents(ctx context.Context, db *sql.DB, o Options, rng *rand.Rand) error {
	batches := make(chan [][]any, 4)
	go func() {
		defer close(batches)
		var rows [][]any
		for i := 0; i < o.Residents; i++ {
			res := "hukou"
			if rng.IntN(100) < 45 {
				res = "non_hukou"
			}
			ci := rng.IntN(len(w.communities))
			w.residency = append(w.residency, res)
			w.community = append(w.community, ci)
			at := o.Now.AddDate(-2, 0, 0).Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			rows = append(rows, []any{fmt.Sprintf("seed_%d_%d", o.Seed, i), w.communities[ci].ID, res, at, at})
			if len(rows) == o.Batch || i == o.Residents-1 {
				batches <- rows
				rows = nil
			}
		}
	}()
	return insert(ctx, db, o, "INSERT INTO residents (openid, community_id, residency, created_at, updated_at) VALUES ", batches)
}

// requests inserts o.Requests requests spread over the year, with the
// outcome mix of the city's report (about 96.5% resolved or responded).
func (w *world) requests(ctx context.Context, db *sql.DB, o Options, rng *rand.Rand, firstResident int64) error {
	from := time.Date(o.Year, 1, 1, 0, 0, 0, 0, model.Shanghai)
	to := from.AddDate(1, 0, 0)
	if to.After(o.Now) {
		to = o.Now
	}
	span := int64(to.Sub(from))
	seq := map[string]int64{}
	sources := []model.RequestSource{model.SourceMiniProgram, model.SourceMiniProgram, model.SourceMiniProgram,
		model.SourceSession, model.SourceSession, model.SourceWalkIn, model.SourceStaff, model.SourceOpen311}
	batches := make(chan [][]any, 4)
	go func() {
		defer close(batches)
		var rows [][]any
		for i := 0; i < o.Requests; i++ {
			created := from.Add(time.Duration(rng.Int64N(span)))
			day := created.Format("20060102")
			seq[day]++
			cat := w.cats[rng.IntN(len(w.cats))]
			src := sources[rng.IntN(len(sources))]
			var resident, residency any
			ci := rng.IntN(len(w.communities))
			if src == model.SourceMiniProgram || rng.IntN(2) == 0 {
				ri := rng.IntN(o.Residents)
				if src == model.SourceMiniProgram {
					resident = firstResident + int64(ri)
				}
				residency, ci = w.residency[ri], w.community[ri]
			}
			comm := w.communities[ci]
			handling := w.townOf[ci]
			switch p := rng.IntN(100); {
			case p < 5:
				handling = comm
			case p < 9 && len(w.depts) > 0:
				handling = w.depts[rng.IntN(len(w.depts))]
			}
			acceptDue := model.EndOfDay(created.AddDate(0, 0, cat.AcceptDays+1))
			resolveDue := model.EndOfDay(created.AddDate(0, 0, cat.ResolveDays*7/5+1))
			status := model.StatusResolved
			switch p := rng.IntN(1000); {
			case p < 20:
				status = model.StatusWithdrawn
			case p < 30:
				status = model.StatusRejected
			case p < 35:
				status = model.StatusSubmitted
			case p < 45:
				status = model.StatusAccepted
			case p < 53:
				status = model.StatusLongTerm
			case p < 380:
				status = model.StatusResponded
			}
			if created.Add(72*time.Hour).After(o.Now) && status != model.StatusWithdrawn {
				status = model.StatusSubmitted
			}
			var accepted, closed, rejected, withdrawn, parked, rating, ratedAt, review any
			redo := 0
			acc := created.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
			switch status {
			case model.StatusWithdrawn:
				withdrawn = created.Add(time.Hour)
			case model.StatusRejected:
				rejected = acc
			case model.StatusAccepted:
				accepted = acc
			case model.StatusLongTerm:
				accepted, parked, review = acc, acc.Add(240*time.Hour), model.FormatDate(o.Now.AddDate(0, 2, 0))
			case model.StatusResolved, model.StatusResponded:
				accepted = acc
				c := acc.Add(time.Duration(rng.Int64N(int64(cat.ResolveDays+3) * int64(24*time.Hour))))
				if c.After(o.Now) {
					c = o.Now
				}
				closed = c
				if rng.IntN(100) < 60 {
					score := []int{5, 5, 5, 5, 4, 4, 4, 3, 2, 1}[rng.IntN(10)]
					rating, ratedAt = score, c.Add(time.Hour)
				}
				if rng.IntN(100) < 2 {
					redo = 1
				}
			}
			updated := created
			for _, t := range []any{accepted, closed, rejected, withdrawn, parked} {
				if t, ok := t.(time.Time); ok && t.After(updated) {
					updated = t
				}
			}
			rows = append(rows, []any{model.NumberFor(created, seq[day]), resident, string(src), cat.ID,
				"座谈中反映的问题（生成数据）", comm.ID, handling.ID, handling.Path, residency, string(status),
				acceptDue.UTC(), resolveDue.UTC(), utc(accepted), utc(closed), utc(rejected), utc(withdrawn), utc(parked),
				review, rating, utc(ratedAt), redo, created.UTC(), updated.UTC()})
			if len(rows) == o.Batch || i == o.Requests-1 {
				batches <- rows
				rows = nil
			}
		}
	}()
	err := insert(ctx, db, o, `INSERT INTO requests (number, resident_id, source, category_id, content, community_id,
		handling_org_id, org_path, residency, status, accept_due_at, resolve_due_at, accepted_at, closed_at, rejected_at,
		withdrawn_at, parked_at, review_date, rating, rated_at, redo_count, created_at, updated_at) VALUES `, batches)
	if err != nil {
		return err
	}
	for day, n := range seq {
		if _, err := db.ExecContext(ctx, `INSERT INTO request_counters (day, seq) VALUES (?, ?)
			ON DUPLICATE KEY UPDATE seq = GREATEST(seq, VALUES(seq))`, day, n); err != nil {
			return err
		}
	}
	return nil
}

// utc turns a time into UTC for the DATETIME columns; nil stays nil.
func utc(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.UTC()
	}
	return v
}
