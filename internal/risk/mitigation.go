package risk

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// MitigationStatus is where a mitigation stands.
type MitigationStatus string

// A mitigation is planned, under way, done, or dropped.
const (
	Planned    MitigationStatus = "planned"
	InProgress MitigationStatus = "in_progress"
	Done       MitigationStatus = "done"
	Dropped    MitigationStatus = "dropped"
)

// MitigationStatuses lists the statuses in their order.
var MitigationStatuses = []MitigationStatus{Planned, InProgress, Done, Dropped}

// Execution is one update of a mitigation: who said what about its
// execution, and when.
type Execution struct {
	Status  MitigationStatus `json:"status"`
	Note    string           `json:"note,omitempty"`
	ActorID int64            `json:"actor_id"`
	Actor   string           `json:"actor"`
	At      time.Time        `json:"at"`
}

// Mitigation is an action that treats a risk: an owner, a due date and a
// status, with the record of how it was carried out.
type Mitigation struct {
	ID     int64
	RiskID int64
	// Key names a mitigation of the default register; its text is then
	// the catalogues' ("risk.default.RISK.mitigation") until written.
	Key       string
	Text      string
	OwnerID   int64
	Due       time.Time
	Status    MitigationStatus
	Log       []Execution
	DoneAt    time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Overdue reports whether the mitigation is still open after its due date.
func (m Mitigation) Overdue(now time.Time) bool {
	return (m.Status == Planned || m.Status == InProgress) && !m.Due.IsZero() && now.After(m.Due)
}

// NewMitigation checks a new mitigation of risk r by a at now.
func NewMitigation(r Risk, a authz.Actor, now time.Time, in Mitigation) (Mitigation, error) {
	if err := authz.Require(a, authz.EditRisks); err != nil {
		return in, err
	}
	in.Text = strings.TrimSpace(plaintext.Normalize(in.Text))
	var f fault.Fields
	if (in.Text == "" && in.Key == "") || utf8.RuneCountInString(in.Text) > 2000 {
		f.Add("text", "say what is to be done, in at most 2000 characters")
	}
	if in.OwnerID <= 0 {
		f.Add("owner_id", "name the owner")
	}
	if in.Due.IsZero() {
		f.Add("due", "give a due date")
	}
	plaintext.Check(&f, "text", in.Text)
	if err := f.Err(); err != nil {
		return in, err
	}
	in.RiskID, in.Status, in.CreatedAt, in.UpdatedAt = r.ID, Planned, now, now
	in.Log = []Execution{{Status: Planned, ActorID: a.UserID, Actor: a.Name, At: now}}
	return in, nil
}

// Track records the execution of a mitigation: its owner or anyone who
// may work mitigations sets its status with a note.
func Track(m Mitigation, a authz.Actor, now time.Time, status MitigationStatus, note string) (Mitigation, error) {
	if a.UserID == 0 || a.UserID != m.OwnerID {
		if err := authz.Require(a, authz.MitigateRisks); err != nil {
			return m, err
		}
	}
	note = strings.TrimSpace(plaintext.Normalize(note))
	var f fault.Fields
	if !slices.Contains(MitigationStatuses, status) {
		f.Add("status", "choose planned, in progress, done or dropped")
	}
	if utf8.RuneCountInString(note) > 2000 {
		f.Add("note", "say how it went in at most 2000 characters")
	}
	if status == m.Status && note == "" {
		f.Add("note", "say how it went, or change the status")
	}
	plaintext.Check(&f, "note", note)
	if err := f.Err(); err != nil {
		return m, err
	}
	m.Status, m.UpdatedAt = status, now
	m.DoneAt = time.Time{}
	if status == Done {
		m.DoneAt = now
	}
	m.Log = append(m.Log, Execution{Status: status, Note: note, ActorID: a.UserID, Actor: a.Name, At: now})
	return m, nil
}

// AlertKind is why a risk alerts its owner and the risk managers.
type AlertKind string

// The alerts of a risk.
const (
	AlertRaised AlertKind = "raised" // a new risk
	AlertRated  AlertKind = "rated"  // a change of rating
)

// Alert is an in-app alert about a risk to one person.
type Alert struct {
	ID        int64
	UserID    int64
	RiskID    int64
	Kind      AlertKind
	Score     int
	Band      Band
	Trend     Trend
	ActorName string
	CreatedAt time.Time
	ReadAt    time.Time
}
