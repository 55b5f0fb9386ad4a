package model

import "testing"

// TestOrgCanDelete: the root never, a node with children or accounts not yet.
func TestOrgCanDelete(t *testing.T) {
	parent := int64(1)
	leaf := &Org{ID: 2, ParentID: &parent}
	root := &Org{ID: 1}
	cases := []struct {
		name               string
		org                *Org
		children, accounts int64
		msg                string
	}{
		{"empty leaf", leaf, 0, 0, ""},
		{"root", root, 0, 0, "不能删除根机构"},
		{"root with children", root, 3, 1, "不能删除根机构"},
		{"children", leaf, 1, 0, "该机构下还有下级机构，不能删除"},
		{"children and accounts", leaf, 1, 2, "该机构下还有下级机构，不能删除"},
		{"accounts", leaf, 0, 1, "该机构下还有账号，不能删除"},
	}
	for _, c := range cases {
		err := c.org.CanDelete(c.children, c.accounts)
		if c.msg == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if e, ok := AsError(err); !ok || e.Code != CodeConflict || e.Msg != c.msg {
			t.Errorf("%s: got %v, want conflict %s", c.name, err, c.msg)
		}
	}
}
