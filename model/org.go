package model

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgKind is the level of a node in the org tree.
type OrgKind string

// Org kinds: city → district → town → community; departments under a district or the city.
const (
	OrgCity       OrgKind = "city"
	OrgDistrict   OrgKind = "district"
	OrgTown       OrgKind = "town"
	OrgCommunity  OrgKind = "community"
	OrgDepartment OrgKind = "department"
)

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	switch k {
	case OrgCity, OrgDistrict, OrgTown, OrgCommunity, OrgDepartment:
		return true
	}
	return false
}

// Rank orders kinds from the top (city 0) down; departments rank with their parent's children.
func (k OrgKind) Rank() int {
	switch k {
	case OrgCity:
		return 0
	case OrgDistrict:
		return 1
	case OrgTown:
		return 2
	case OrgCommunity:
		return 3
	}
	return 2 // department
}

// CanHold reports whether a node of kind k may have a child of kind child.
func (k OrgKind) CanHold(child OrgKind) bool {
	switch k {
	case OrgCity:
		return child == OrgDistrict || child == OrgDepartment
	case OrgDistrict:
		return child == OrgTown || child == OrgDepartment
	case OrgTown:
		return child == OrgCommunity
	}
	return false
}

// Org is a node of the organisation tree. Path is the materialised path of ids
// ("/1/5/23/"), so a subtree is `path LIKE '/1/5/%'` on an index.
type Org struct {
	ID        int64 `gorm:"primaryKey"`
	ParentID  *int64
	Kind      OrgKind
	Name      string
	Code      *string
	Path      string
	Depth     int
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Contains reports whether other is o or below it.
func (o *Org) Contains(other *Org) bool { return PathContains(o.Path, other.Path) }

// PathContains reports whether the node at path inner lies in the subtree rooted at outer.
func PathContains(outer, inner string) bool {
	return outer != "" && strings.HasPrefix(inner, outer)
}

// ChildPath is the path a child with the given id gets under parent path p.
func ChildPath(p string, id int64) string {
	if p == "" {
		p = "/"
	}
	return p + strconv.FormatInt(id, 10) + "/"
}

// ValidateOrgName checks a node name.
func ValidateOrgName(name string) error {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	if n < 1 || n > 64 {
		return Invalid("机构名称须为 1–64 个字符")
	}
	return nil
}

// NewChildOrg validates and builds a child of parent. The caller fills ID and Path after insert.
func NewChildOrg(parent *Org, kind OrgKind, name string, code *string, now time.Time) (*Org, error) {
	if !kind.Valid() {
		return nil, Invalid("未知的机构类型：%s", kind)
	}
	if err := ValidateOrgName(name); err != nil {
		return nil, err
	}
	if !parent.Active {
		return nil, E(CodeConflict, "上级机构已停用")
	}
	if !parent.Kind.CanHold(kind) {
		return nil, Invalid("%s 下不能设立 %s", parent.Kind, kind)
	}
	if code != nil && (len(*code) == 0 || len(*code) > 32) {
		return nil, Invalid("机构代码须为 1–32 个字符")
	}
	pid := parent.ID
	return &Org{ParentID: &pid, Kind: kind, Name: strings.TrimSpace(name), Code: code,
		Depth: parent.Depth + 1, Active: true, CreatedAt: now, UpdatedAt: now}, nil
}

// Rename changes the node's name.
func (o *Org) Rename(name string, now time.Time) error {
	if err := ValidateOrgName(name); err != nil {
		return err
	}
	o.Name = strings.TrimSpace(name)
	o.UpdatedAt = now
	return nil
}

// Deactivate marks the node inactive; the root cannot be deactivated.
func (o *Org) Deactivate(now time.Time) error {
	if o.ParentID == nil {
		return E(CodeConflict, "不能停用根机构")
	}
	if !o.Active {
		return Transition("停用", "已停用")
	}
	o.Active = false
	o.UpdatedAt = now
	return nil
}

// CanDelete says whether the node may be removed, given how many child nodes
// and accounts it still has: never the root, nor a node with either.
func (o *Org) CanDelete(children, accounts int64) error {
	if o.ParentID == nil {
		return E(CodeConflict, "不能删除根机构")
	}
	if children > 0 {
		return E(CodeConflict, "该机构下还有下级机构，不能删除")
	}
	if accounts > 0 {
		return E(CodeConflict, "该机构下还有账号，不能删除")
	}
	return nil
}

// Activate marks the node active again.
func (o *Org) Activate(now time.Time) error {
	if o.Active {
		return Transition("启用", "已启用")
	}
	o.Active = true
	o.UpdatedAt = now
	return nil
}
