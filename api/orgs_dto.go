package api

import (
	"zhilian/model"
	"zhilian/service"
)

// orgDTO is an org on the wire (schema Org).
type orgDTO struct {
	ID        int64   `json:"id"`
	ParentID  *int64  `json:"parent_id"`
	Kind      string  `json:"kind"`
	Name      string  `json:"name"`
	Code      *string `json:"code,omitempty"`
	Path      string  `json:"path"`
	Depth     int     `json:"depth"`
	Active    bool    `json:"active"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
}

func newOrgDTO(o model.Org) orgDTO {
	return orgDTO{ID: o.ID, ParentID: o.ParentID, Kind: string(o.Kind), Name: o.Name, Code: o.Code, Path: o.Path,
		Depth: o.Depth, Active: o.Active, CreatedAt: rfc3339(o.CreatedAt), UpdatedAt: rfc3339(o.UpdatedAt)}
}

// orgNodeDTO is an org with its children (schema OrgNode).
type orgNodeDTO struct {
	orgDTO
	Children []orgNodeDTO `json:"children"`
}

func newOrgNodeDTO(n *service.OrgNode) orgNodeDTO {
	out := orgNodeDTO{orgDTO: newOrgDTO(n.Org), Children: make([]orgNodeDTO, len(n.Children))}
	for i, k := range n.Children {
		out.Children[i] = newOrgNodeDTO(k)
	}
	return out
}
