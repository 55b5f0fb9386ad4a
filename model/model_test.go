package model_test

import (
	"testing"

	"zhilian/model"
)

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"Init-2026-zl": true, "Zumiao2026cadre": true, "滨江路7号院2026": true,
		"Init12345": false, "abc12345": false, "12345678": false, "abcdefghij": false, "a1": false,
		"password1": false, "aaaaaaa1": false, // the two the issue found accepted
		"password12": false, "Password2026!": false, "qwertyuiop1": false, "1qaz2wsx3edc": false, // common, or common with digits around
		string(make([]byte, 80)): false,
	} {
		if err := model.ValidatePassword(pw, "someone"); (err == nil) != ok {
			t.Errorf("%q: err=%v", pw, err)
		}
	}
	for _, pw := range []string{"Alice12345", "xxALICE12345", "12345alice!x"} {
		if model.ValidatePassword(pw, "alice") == nil {
			t.Errorf("%q contains the username and was accepted", pw)
		}
	}
	if n := model.CommonPasswordCount(); n < 10000 {
		t.Fatalf("common-password list has %d entries, want at least 10,000", n)
	}
}

func TestNormalizeUsername(t *testing.T) {
	for in, want := range map[string]string{"fS_NaTrEs": "fs_natres", " fs_natres ": "fs_natres", "admin": "admin"} {
		if got := model.NormalizeUsername(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
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
