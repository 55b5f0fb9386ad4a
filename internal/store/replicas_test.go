package store_test

import (
	"context"
	"testing"
	"time"

	"zhilian/internal/store"
	"zhilian/internal/testutil"
	"zhilian/model"
)

// TestReplicasTakeOnlyTheLagTolerantReads gives the store a "replica" that
// is another database, so every read shows where it went: the audit log is
// read there, writes and every other read stay on the primary.
func TestReplicasTakeOnlyTheLagTolerantReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	primary, replica := testutil.MigratedDatabase(t), testutil.MigratedDatabase(t)
	db, err := store.Open(ctx, primary, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	rdb, err := store.Open(ctx, replica, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := rdb.DB(); s.Close() })
	closeReplicas, err := store.UseReplicas(db, []string{replica})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeReplicas() })

	now := time.Now()
	onReplica := &model.AuditLog{ActorID: 1, ActorOrgPath: "/1/", Action: "on_replica", TargetType: "org", TargetID: 1, CreatedAt: now}
	if err := store.New(rdb).AuditLogs().Insert(ctx, onReplica); err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	if err := st.AuditLogs().Insert(ctx, &model.AuditLog{ActorID: 1, ActorOrgPath: "/1/", Action: "on_primary",
		TargetType: "org", TargetID: 1, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	page, err := st.AuditLogs().List(ctx, model.AuditFilter{ScopePath: "/", Size: 10})
	if err != nil || len(page.Items) != 1 || page.Items[0].Action != "on_replica" {
		t.Fatalf("audit log read from %+v (%v), want the replica's one row", page.Items, err)
	}
	if err := st.Outbox().Enqueue(ctx, model.Notify(model.EventRequestAccepted, model.SubjectResident, 1, "r:1", "", nil, now)); err != nil {
		t.Fatal(err)
	}
	if n, _, err := st.Outbox().Stats(ctx, now); err != nil || n != 1 {
		t.Fatalf("pending %d (%v): an ordinary read must see the primary's write", n, err)
	}
}
