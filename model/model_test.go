package model_test

import (
	"testing"

	"zhilian/model"
)

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"Init12345": true, "abc12345": true, "12345678": false, "abcdefgh": false, "a1": false,
		"admin1234": true, string(make([]byte, 80)): false,
	} {
		if err := model.ValidatePassword(pw, "someone"); (err == nil) != ok {
			t.Errorf("%q: err=%v", pw, err)
		}
	}
	if model.ValidatePassword("Alice123", "alice123") == nil {
		t.Error("password equal to username accepted")
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "138****5678", "": "", "123": "****"} {
		if got := model.MaskPhone(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestOrgKinds(t *testing.T) {
	cases := []struct {
		parent, child model.OrgKind
		ok            bool
	}{
		{model.OrgCity, model.OrgDistrict, true}, {model.OrgCity, model.OrgDepartment, true},
		{model.OrgDistrict, model.OrgTown, true}, {model.OrgDistrict, model.OrgDepartment, true},
		{model.OrgTown, model.OrgCommunity, true}, {model.OrgTown, model.OrgDepartment, false},
		{model.OrgCommunity, model.OrgCommunity, false}, {model.OrgDepartment, model.OrgTown, false},
		{model.OrgCity, model.OrgTown, false},
	}
	for _, c := range cases {
		if c.parent.CanHold(c.child) != c.ok {
			t.Errorf("%s holds %s: want %v", c.parent, c.child, c.ok)
		}
	}
	if !model.PathContains("/1/2/", "/1/2/3/") || model.PathContains("/1/2/", "/1/23/") || model.PathContains("", "/1/") {
		t.Error("PathContains")
	}
}
