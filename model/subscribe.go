package model

// SubscribeGroup is the set of notification events one subscription prompt
// of the mini-program asks for. WeChat shows at most three one-time
// templates in one prompt, so a group lists at most three events.
type SubscribeGroup struct {
	Name   string
	Events []string
}

// SubscribeGroups lists the prompts the mini-program shows, in the taps that
// show them: a resident submitting or following an item (request), booking a
// slot (booking), a cadre opening the inbox (staff_inbox) and accepting an
// item (staff_item).
func SubscribeGroups() []SubscribeGroup {
	return []SubscribeGroup{
		{Name: "request", Events: []string{EventRequestAccepted, EventRequestClosed, EventRedoAccepted}},
		{Name: "booking", Events: []string{EventBookingConfirmed, EventSessionReminder, EventSessionCancelled}},
		{Name: "staff_inbox", Events: []string{EventStaffNewItem, EventStaffAssigned, EventInvitationNew}},
		{Name: "staff_item", Events: []string{EventStaffDueTomorrow, EventStaffOverdue, EventInvitationAnswered}},
	}
}
