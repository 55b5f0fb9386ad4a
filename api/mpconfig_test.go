package api_test

import (
	"testing"

	"zhilian/internal/testutil"
)

type mpConfigView struct {
	Subscribe        map[string][]string `json:"subscribe"`
	ReferenceVersion string              `json:"reference_version"`
}

func TestMPConfigServesTemplatesFromSettingAndReferenceVersion(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, func(s *testutil.Setup) {
		s.Config.Templates = map[string]string{
			"request_accepted": "tplA", "request_closed": "tplB", "redo_accepted": "tplA",
			"staff_new_item": "tplS", "request_merged": "tplM",
		}
	})
	c := newCity(t, e)
	var cfg mpConfigView
	e.Do("GET", "/api/v1/config", "", nil).Must(t, 200).Decode(t, &cfg)
	if got := cfg.Subscribe["request"]; len(got) != 2 || got[0] != "tplA" || got[1] != "tplB" {
		t.Errorf("request templates %v, want [tplA tplB] (duplicates once)", got)
	}
	if got := cfg.Subscribe["staff_inbox"]; len(got) != 1 || got[0] != "tplS" {
		t.Errorf("staff_inbox templates %v", got)
	}
	if got, okk := cfg.Subscribe["booking"]; !okk || len(got) != 0 {
		t.Errorf("booking templates %v, want an empty list", got)
	}
	if len(cfg.ReferenceVersion) != 16 {
		t.Fatalf("reference_version %q", cfg.ReferenceVersion)
	}

	var again mpConfigView
	e.Do("GET", "/api/v1/config", "", nil).Must(t, 200).Decode(t, &again)
	if again.ReferenceVersion != cfg.ReferenceVersion {
		t.Fatalf("version changed without a change: %q → %q", cfg.ReferenceVersion, again.ReferenceVersion)
	}
	e.Do("POST", "/api/v1/admin/categories", c.admin, map[string]any{"name": "噪音扰民", "code": "noise", "accept_days": 1, "resolve_days": 7}).Must(t, 201)
	e.Do("GET", "/api/v1/config", "", nil).Must(t, 200).Decode(t, &again)
	if again.ReferenceVersion == cfg.ReferenceVersion {
		t.Fatal("reference_version unchanged after a new category")
	}
}
