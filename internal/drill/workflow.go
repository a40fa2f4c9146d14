package drill

import (
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// The drill's lifecycle as pure transitions. Each takes the actor and the
// time explicitly, returns the changed drill or a coded error, and changes
// nothing on error. The store checks what needs the database (the plan in
// force, the people) and persists the result.

func step(d Drill, action string, a authz.Actor, now time.Time, note string) []Step {
	return append(append([]Step(nil), d.Steps...), Step{Action: action, ActorID: a.UserID, Actor: a.Name, At: now, Note: note})
}

// New makes a planned drill authored by a.
func New(a authz.Actor, now time.Time, in Details, checklist Checklist) (Drill, error) {
	if err := authz.Require(a, authz.PlanDrill); err != nil {
		return Drill{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return Drill{}, err
	}
	d := Drill{State: Planned, AuthorID: a.UserID, CreatedAt: now, UpdatedAt: now, Lock: 1}
	d = withDetails(d, in)
	d.Safety = Safety{Hazards: append([]string{}, checklist.Hazards...), Measures: append([]string{}, checklist.Measures...)}
	d.Steps = step(d, "plan", a, now, "")
	return d, nil
}

func withDetails(d Drill, in Details) Drill {
	d.Title, d.PlanID, d.Kind, d.Level, d.Objectives, d.Scenario = in.Title, in.PlanID, in.Kind, in.Level, in.Objectives, in.Scenario
	d.StartsAt, d.EndsAt, d.Venue, d.Equipment = in.StartsAt, in.EndsAt, in.Venue, in.Equipment
	d.Participants, d.ControllerID, d.Observers, d.Evaluators = in.Participants, in.ControllerID, in.Observers, in.Evaluators
	return d
}

// editable refuses a change once the drill has started.
func editable(d Drill) error {
	if d.State != Planned && d.State != Ready {
		return fault.New(fault.Conflict, "a %s drill is not changed; only a planned or ready one is", d.State)
	}
	return nil
}

// unsign voids a signed safety gate: the signature covered the drill as
// it was. A ready drill goes back to planned.
func unsign(d Drill, a authz.Actor, now time.Time) Drill {
	if d.Safety.Signed() {
		d.Safety.SignedBy, d.Safety.SignedAt = 0, time.Time{}
		d.State = Planned
		d.Steps = step(d, "unsign", a, now, "changed after the safety gate was signed; sign again")
	}
	return d
}

// Edit changes a planned or ready drill's details. A signed safety gate
// is voided.
func Edit(d Drill, a authz.Actor, now time.Time, in Details) (Drill, error) {
	if err := authz.Require(a, authz.PlanDrill); err != nil {
		return d, err
	}
	if err := editable(d); err != nil {
		return d, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return d, err
	}
	out := unsign(withDetails(d, in), a, now)
	out.UpdatedAt = now
	return out, nil
}

// EditSafety changes the safety assessment; a signed one is voided.
func EditSafety(d Drill, a authz.Actor, now time.Time, s Safety) (Drill, error) {
	if err := authz.Require(a, authz.PlanDrill); err != nil {
		return d, err
	}
	if err := editable(d); err != nil {
		return d, err
	}
	s.Normalize()
	s.SignedBy, s.SignedAt = d.Safety.SignedBy, d.Safety.SignedAt
	out := unsign(d, a, now)
	s.SignedBy, s.SignedAt = out.Safety.SignedBy, out.Safety.SignedAt
	out.Safety = s
	out.UpdatedAt = now
	return out, nil
}

// SignSafety signs the safety gate, making the drill ready. The drill's
// author never signs it, whatever their role.
func SignSafety(d Drill, a authz.Actor, now time.Time) (Drill, error) {
	if err := authz.Require(a, authz.SignDrill); err != nil {
		return d, err
	}
	if d.State != Planned {
		return d, fault.New(fault.Conflict, "only a planned drill's safety gate is signed; this drill is %s", d.State)
	}
	if a.UserID != 0 && a.UserID == d.AuthorID {
		return d, fault.New(fault.Forbidden, "the drill's author cannot sign its safety gate: ask someone else")
	}
	if err := d.Safety.Validate(); err != nil {
		return d, err
	}
	d.Safety.SignedBy, d.Safety.SignedAt = a.UserID, now
	d.State, d.UpdatedAt = Ready, now
	d.Steps = step(d, "sign_safety", a, now, "")
	return d, nil
}

// Start starts a ready drill with its exercise crisis. planApproved says
// whether the plan under test is still in force; the store knows.
func Start(d Drill, a authz.Actor, now time.Time, planApproved bool, crisisID int64) (Drill, error) {
	if err := authz.Require(a, authz.ControlDrill); err != nil {
		return d, err
	}
	switch {
	case d.State == Planned:
		return d, fault.New(fault.Conflict, "the safety gate is not signed: the drill cannot start")
	case d.State != Ready || !d.Safety.Signed():
		return d, fault.New(fault.Conflict, "only a ready drill starts; this drill is %s", d.State)
	case !planApproved:
		return d, fault.Field("plan_id", "the plan under test is not approved: the drill cannot start")
	case crisisID == 0:
		return d, fault.New(fault.Internal, "no exercise crisis")
	}
	d.State, d.CrisisID, d.StartedAt, d.UpdatedAt = Running, crisisID, now, now
	d.Steps = step(d, "start", a, now, "")
	return d, nil
}

// End ends a running drill and starts the report's seven-day clock.
func End(d Drill, a authz.Actor, now time.Time, note string) (Drill, error) {
	if err := authz.Require(a, authz.ControlDrill); err != nil {
		return d, err
	}
	if d.State != Running {
		return d, fault.New(fault.Conflict, "only a running drill ends; this drill is %s", d.State)
	}
	return ended(d, a, now, "end", strings.TrimSpace(note)), nil
}

func ended(d Drill, a authz.Actor, now time.Time, action, note string) Drill {
	d.State, d.EndedAt, d.ReportDue, d.UpdatedAt = Ended, now, now.Add(ReportWithin), now
	d.Steps = step(d, action, a, now, note)
	return d
}

// Stop stops a running drill for safety at once: who, when and why are
// recorded, and the store tells every participant. Anyone who may control
// the drill, and its safety officer, may stop it.
func Stop(d Drill, a authz.Actor, now time.Time, reason string) (Drill, error) {
	if !authz.Can(a.Role, authz.ControlDrill) && (a.UserID == 0 || a.UserID != d.Safety.OfficerID) {
		return d, fault.New(fault.Forbidden, "only a controller or the safety officer stops a drill")
	}
	if d.State != Running {
		return d, fault.New(fault.Conflict, "only a running drill is stopped; this drill is %s", d.State)
	}
	reason = text(reason)
	if reason == "" {
		return d, fault.Field("reason", "say why the drill stops")
	}
	d = ended(d, a, now, "safety_stop", reason)
	d.Stopped, d.StopReason = true, reason
	return d, nil
}

// Evaluate records the approved after-action report.
func Evaluate(d Drill, a authz.Actor, now time.Time) (Drill, error) {
	if err := authz.Require(a, authz.ApproveDrill); err != nil {
		return d, err
	}
	if d.State != Ended {
		return d, fault.New(fault.Conflict, "only an ended drill is evaluated; this drill is %s", d.State)
	}
	d.State, d.EvaluatedAt, d.UpdatedAt = Evaluated, now, now
	d.Steps = step(d, "evaluate", a, now, "")
	return d, nil
}

// Close closes an evaluated drill once openActions, its improvement
// actions not yet closed, is zero.
func Close(d Drill, a authz.Actor, now time.Time, openActions int) (Drill, error) {
	if err := authz.Require(a, authz.ApproveDrill); err != nil {
		return d, err
	}
	if d.State != Evaluated {
		return d, fault.New(fault.Conflict, "only an evaluated drill closes; this drill is %s", d.State)
	}
	if openActions > 0 {
		return d, fault.New(fault.Conflict, "%d improvement action(s) are still open", openActions)
	}
	d.State, d.ClosedAt, d.UpdatedAt = Closed, now, now
	d.Steps = step(d, "close", a, now, "")
	return d, nil
}
