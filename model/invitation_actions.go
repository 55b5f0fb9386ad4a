package model

import "time"

// Answers lists what the invited department may answer now — "accept",
// "decline", "reply" — by running each answer on a copy, so the state guards
// of Accept, Decline and Reply decide (no second table of allowed moves).
func (v *Invitation) Answers(now time.Time) []string {
	by := Actor{Kind: SubjectStaff, ID: 1}
	out := []string{}
	for _, a := range []struct {
		name string
		try  func(c *Invitation) error
	}{
		{"accept", func(c *Invitation) error { _, err := c.Accept(by, StatusAccepted, now); return err }},
		{"decline", func(c *Invitation) error { _, err := c.Decline(by, "-", StatusAccepted, now); return err }},
		{"reply", func(c *Invitation) error { _, err := c.Reply(by, "-", nil, StatusAccepted, now); return err }},
	} {
		c := *v
		if a.try(&c) == nil {
			out = append(out, a.name)
		}
	}
	return out
}
