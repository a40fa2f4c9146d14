// Package account holds the people of a crisis office: users, departments,
// sessions and API tokens, and the rules for passwords and sign-in.
package account

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// User is a person who signs in to crisisdesk.
type User struct {
	ID                 int64
	Name               string // sign-in name, unique, lower case
	DisplayName        string
	Email              string
	Role               authz.Role
	DepartmentID       int64  // 0 when in no department
	Language           string // preferred UI language, "" to follow the browser
	Disabled           bool
	MustChangePassword bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Version            int64 // optimistic lock: bumped on every change

	// SecondFactor is set when the user has a confirmed TOTP factor.
	SecondFactor bool
	// External is set when the user is linked to the office's identity
	// provider (and may have no password).
	External bool
	// LastSignInAt is the newest completed sign-in, PreviousSignInAt the
	// one before it: what "since your last sign-in" counts from. Zero
	// when there was none.
	LastSignInAt, PreviousSignInAt time.Time
}

// Actor returns the user as an actor for the audit trail and permission
// checks.
func (u User) Actor(src authz.Source) authz.Actor {
	return authz.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Source: src}
}

var nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// Languages are the UI languages crisisdesk speaks.
var Languages = []string{"zh-Hant", "zh-Hans", "en"}

// ValidLanguage reports whether lang is "" (follow the browser) or a known
// language.
func ValidLanguage(lang string) bool {
	if lang == "" {
		return true
	}
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// NewUser is what it takes to create a user.
type NewUser struct {
	Name               string
	DisplayName        string
	Email              string
	Role               authz.Role
	DepartmentID       int64
	Language           string
	Password           string
	MustChangePassword bool
}

// Normalize trims and lower-cases the sign-in name.
func (n *NewUser) Normalize() {
	n.Name = strings.ToLower(strings.TrimSpace(n.Name))
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	n.Email = strings.TrimSpace(n.Email)
	if n.DisplayName == "" {
		n.DisplayName = n.Name
	}
}

// Validate checks every field and returns all problems at once.
func (n NewUser) Validate() error {
	var f fault.Fields
	if !nameRe.MatchString(n.Name) {
		f.Add("name", "must be 2–63 characters: lower-case letters, digits, dot, dash or underscore, starting with a letter or digit")
	}
	validateProfile(&f, n.DisplayName, n.Email, n.Role, n.Language)
	if err := CheckPassword(n.Password); err != nil {
		f = append(f, fault.As(err))
	}
	return f.Err()
}

// UserUpdate is an admin's change to a user. Version must match the stored
// version, or the change is refused as stale.
type UserUpdate struct {
	DisplayName  string
	Email        string
	Role         authz.Role
	DepartmentID int64
	Language     string
	Version      int64
}

// Validate checks the update.
func (u UserUpdate) Validate() error {
	var f fault.Fields
	validateProfile(&f, strings.TrimSpace(u.DisplayName), strings.TrimSpace(u.Email), u.Role, u.Language)
	return f.Err()
}

func validateProfile(f *fault.Fields, display, email string, role authz.Role, lang string) {
	if display == "" || utf8.RuneCountInString(display) > 100 {
		f.Add("display_name", "must be 1–100 characters")
	}
	if email != "" && (len(email) > 254 || !strings.Contains(email, "@") || strings.ContainsAny(email, " <>\r\n")) {
		f.Add("email", "is not an e-mail address")
	}
	if !role.Valid() {
		f.Add("role", "must be one of admin, commander, editor, reviewer, approver, liaison, observer")
	}
	if !ValidLanguage(lang) {
		f.Add("language", "must be zh-Hant, zh-Hans, en or empty")
	}
}

// UserFilter selects users for a list.
type UserFilter struct {
	Query        string // matches name or display name
	DepartmentID int64
	Role         authz.Role
	Offset       int
	Limit        int
}
