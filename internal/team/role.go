package team

import (
	"regexp"
	"slices"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// The built-in team roles the plan names; the office adds its own.
const (
	Spokesperson       = "spokesperson"        // 發言人
	CommCoordinator    = "comm_coordinator"    // 溝通協調人
	ProjectCoordinator = "project_coordinator" // 項目協調人
	MediaLiaison       = "media_liaison"       // 媒體聯絡
	SocialMedia        = "social_media"        // 社交媒體
	Hotline            = "hotline"             // 熱線
	Translator         = "translator"          // 翻譯
)

// BuiltIn lists the built-in roles in the order pages show them. Their
// names are the message keys "team.role.KEY".
var BuiltIn = []string{Spokesperson, CommCoordinator, ProjectCoordinator, MediaLiaison, SocialMedia, Hotline, Translator}

// IsBuiltIn reports whether key is a built-in role.
func IsBuiltIn(key string) bool { return slices.Contains(BuiltIn, key) }

// Role is a team role: built in, or one the office added with its own
// name. Deputies stand in, in their order, when nobody is on duty;
// Requires are the courses whose valid certificate the person on duty
// must hold.
type Role struct {
	ID       int64
	Key      string
	Name     string // the office's name for a role it added; "" for a built-in one
	BuiltIn  bool
	Deputies []int64 // member ids, first deputy first
	Requires []int64 // course ids
	Version  int64
}

// RoleInput is what staff write to add a role or change one.
type RoleInput struct {
	Key      string
	Name     string
	Deputies []int64
	Requires []int64
	Version  int64
}

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Validate checks a role the office adds or changes.
func (in RoleInput) Validate(builtIn bool) error {
	var f fault.Fields
	if !keyPattern.MatchString(in.Key) {
		f.Add("key", "2–40 lower-case letters, digits or _, starting with a letter")
	}
	if !builtIn {
		if n := utf8.RuneCountInString(in.Name); n == 0 || n > MaxText {
			f.Add("name", "must be 1–%d characters", MaxText)
		}
		plaintext.CheckLine(&f, "name", in.Name)
	}
	if len(in.Deputies) > MaxRows {
		f.Add("deputies", "at most %d deputies", MaxRows)
	}
	for i, id := range in.Deputies {
		if id <= 0 || slices.Contains(in.Deputies[:i], id) {
			f.Add("deputies", "each deputy once")
			break
		}
	}
	return f.Err()
}
