package kit

import (
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
)

// The JSON shapes more than one room uses. A shape used by one room
// belongs in that room.

// Enum is a string schema with the given values.
func Enum[T ~string](desc string, values ...T) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: desc}
	for _, v := range values {
		s.Enum = append(s.Enum, string(v))
	}
	return s
}

// Level is a catalog.Level written as its Roman numeral, "I" to "IV".
type Level string

// Schema lists the levels.
func (Level) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: "Warning/response level: I (red, most severe) to IV (blue)"}
	for _, l := range catalog.Levels {
		s.Enum = append(s.Enum, l.String())
	}
	return s
}

// ToLevel writes l as the API shows it.
func ToLevel(l catalog.Level) Level { return Level(l.String()) }

// Parse returns the level; field names it in the error.
func (l Level) Parse(field string) (catalog.Level, error) {
	v, err := catalog.ParseLevel(string(l))
	if err != nil {
		return 0, fault.Field(field, "must be I, II, III or IV")
	}
	return v, nil
}

// Role is authz.Role with its values in the OpenAPI document.
type Role string

// Schema lists the roles.
func (Role) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: "What the person does in the crisis office"}
	for _, r := range authz.Roles {
		s.Enum = append(s.Enum, string(r))
	}
	return s
}

// Phase is a plan.Phase: the part of a crisis a step or task belongs to.
type Phase string

// Schema lists the phases.
func (Phase) Schema(huma.Registry) *huma.Schema {
	return Enum("warning (預警), response (應急響應) or recovery (后期處置)", plan.Phases...)
}

// ChannelName is a channel a subscriber can choose and a notice is
// delivered on.
type ChannelName string

// Schema lists the channels.
func (ChannelName) Schema(huma.Registry) *huma.Schema {
	return Enum("How notices reach the subscriber", channel.Names...)
}

// TimePtr is nil for the zero time, which encodes as null.
func TimePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Pick returns *p when a patch sets it, else the current value.
func Pick[T any](p *T, current T) T {
	if p != nil {
		return *p
	}
	return current
}
