package authz

import "crisisdesk/internal/fault"

// Source says through which surface a change was made; the audit trail
// records it.
type Source string

// The surfaces that change things.
const (
	SourceUI     Source = "ui"
	SourceAPI    Source = "api"
	SourceCLI    Source = "cli"
	SourceSystem Source = "system"
)

// Actor is who is acting: a signed-in person, a token holder, the command
// line, or crisisdesk itself.
type Actor struct {
	UserID int64 // 0 for the system and the command line
	Name   string
	Role   Role
	Source Source
}

// System returns the actor for crisisdesk's own work and for the command
// line, which runs with the operator's full authority on the machine.
func System(src Source, name string) Actor {
	return Actor{Name: name, Role: Admin, Source: src}
}

// Require returns a forbidden error unless the actor may take action.
func Require(a Actor, action Action) error {
	if Can(a.Role, action) {
		return nil
	}
	return fault.New(fault.Forbidden, "your role (%s) may not %s", a.Role, action)
}
