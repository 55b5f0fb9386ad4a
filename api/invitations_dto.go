package api

import "zhilian/model"

// invitationCountDTO is one department's open invitations (schema InvitationCount).
type invitationCountDTO struct {
	DepartmentID   int64  `json:"department_id"`
	DepartmentName string `json:"department_name"`
	Pending        int64  `json:"pending"`
	Accepted       int64  `json:"accepted"`
	Open           int64  `json:"open"`
	Overdue        int64  `json:"overdue"`
}

func newInvitationCountDTO(n model.InvitationCount) invitationCountDTO {
	return invitationCountDTO{DepartmentID: n.DepartmentID, DepartmentName: n.DepartmentName,
		Pending: n.Pending, Accepted: n.Accepted, Open: n.Open, Overdue: n.Overdue}
}

// invitationSummaryDTO is the per-department counts and their open total
// (schema InvitationSummary).
type invitationSummaryDTO struct {
	Items []invitationCountDTO `json:"items"`
	Open  int64                `json:"open"`
}
