// Package authz holds crisisdesk's roles, the actions people take, and the one
// permission matrix that decides who may take which.
package authz

import "slices"

// Role is what a person does in the crisis office.
type Role string

// The roles of a crisis office.
const (
	Admin     Role = "admin"     // manages people, departments and settings
	Commander Role = "commander" // leads the response
	Editor    Role = "editor"    // drafts plans and notices (編制)
	Reviewer  Role = "reviewer"  // reviews (審核)
	Approver  Role = "approver"  // approves (批準)
	Liaison   Role = "liaison"   // a department's contact
	Observer  Role = "observer"  // reads everything, changes nothing
)

// Roles lists every role in the order the UI shows them.
var Roles = []Role{Admin, Commander, Editor, Reviewer, Approver, Liaison, Observer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }
