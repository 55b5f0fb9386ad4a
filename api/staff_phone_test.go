package api_test

import (
	"bytes"
	"context"
	"testing"

	"zhilian/internal/app"
	"zhilian/internal/testutil"
)

// TestStaffPhonesAreEncryptedAtRest: a staff member's phone is stored sealed
// (internal/pii, like residents'), shown to admins in the clear, and numbers
// stored in plain text before are moved into the sealed column at start-up.
func TestStaffPhonesAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	admin := e.AdminToken()
	const phone = "13800001111"
	id := e.Do("POST", "/api/v1/admin/accounts", admin, map[string]any{
		"username": "phone_cadre", "password": testutil.InitPassword, "name": "陈明", "role": "cadre",
		"org_id": e.RootOrgID(), "phone": phone,
	}).Must(t, 201).ID(t)
	if got := e.Do("GET", path("/api/v1/admin/accounts/%d", id), admin, nil).Must(t, 200).M(t)["phone"]; got != phone {
		t.Fatalf("admin sees phone %v", got)
	}
	var row struct {
		Phone    string
		PhoneEnc []byte
	}
	e.App.DB.Raw("SELECT phone, phone_enc FROM accounts WHERE id = ?", id).Scan(&row)
	if row.Phone != "" || len(row.PhoneEnc) == 0 || bytes.Contains(row.PhoneEnc, []byte(phone)) {
		t.Fatalf("stored phone %q, sealed %d bytes (plain inside: %v)", row.Phone, len(row.PhoneEnc), bytes.Contains(row.PhoneEnc, []byte(phone)))
	}
	e.Do("PATCH", path("/api/v1/admin/accounts/%d", id), admin, map[string]any{"phone": "13900002222"}).Must(t, 200)
	if got := e.Do("GET", "/api/v1/admin/accounts?q=phone_cadre", admin, nil).Must(t, 200); !bytes.Contains(got.Raw, []byte("13900002222")) {
		t.Fatalf("list after update: %s", got.Raw)
	}

	// A number left in the plain column by an older version is sealed at start-up.
	e.App.DB.Exec("UPDATE accounts SET phone = ?, phone_enc = NULL WHERE id = ?", "13700003333", id)
	again, err := app.New(context.Background(), e.Config, testutil.Quiet(), app.Options{BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	e.App.DB.Raw("SELECT phone, phone_enc FROM accounts WHERE id = ?", id).Scan(&row)
	if row.Phone != "" || len(row.PhoneEnc) == 0 {
		t.Fatalf("after restart: plain %q, sealed %d bytes", row.Phone, len(row.PhoneEnc))
	}
	if got := e.Do("GET", path("/api/v1/admin/accounts/%d", id), admin, nil).Must(t, 200).M(t)["phone"]; got != "13700003333" {
		t.Fatalf("moved phone reads %v", got)
	}
}
