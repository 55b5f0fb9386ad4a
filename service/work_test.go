package service

import (
	"testing"

	"zhilian/model"
)

func TestTransferReach(t *testing.T) {
	cases := []struct {
		from, to string
		want     bool
	}{
		{"/1/2/3/", "/1/2/4/", true},      // a town to a sibling town of its district
		{"/1/2/3/", "/1/2/3/9/", true},    // to one of its communities
		{"/1/2/3/", "/1/5/6/", false},     // another district's town
		{"/1/2/3/9/", "/1/2/3/", true},    // a community up to its town
		{"/1/2/3/9/", "/1/2/4/", false},   // a community to another town
		{"/1/2/", "/1/5/6/", true},        // a district within the city
		{"/1/", "/1/5/6/", true},          // the city: its own subtree
		{"/1/2/3/", "/7/2/4/", false},     // another tree
		{"/1/2/3/", "/1/2/33/", true},     // prefix by id boundary
		{"/1/2/3/", "/1/22/3/", false},    // not a textual prefix trap
		{"/1/2/3/9/", "/1/2/3/99/", true}, // a sibling community
	}
	for _, c := range cases {
		if got := TransferReach(c.from, c.to); got != c.want {
			t.Errorf("%s → %s: %t", c.from, c.to, got)
		}
	}
}

func TestInvitable(t *testing.T) {
	parent := int64(2)
	cases := []struct {
		dept    model.Org
		handled string
		want    bool
	}{
		{model.Org{Kind: model.OrgDepartment, ParentID: &parent, Path: "/1/2/11/"}, "/1/2/3/", true},  // the item's district
		{model.Org{Kind: model.OrgDepartment, ParentID: &parent, Path: "/1/12/"}, "/1/2/3/", true},    // the city
		{model.Org{Kind: model.OrgDepartment, ParentID: &parent, Path: "/1/5/13/"}, "/1/2/3/", false}, // another district
		{model.Org{Kind: model.OrgTown, ParentID: &parent, Path: "/1/2/4/"}, "/1/2/3/", false},        // not a department
	}
	for i, c := range cases {
		if got := invitable(&c.dept, c.handled); got != c.want {
			t.Errorf("case %d: %t", i, got)
		}
	}
}
