package account

import (
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Department is a unit of the institution (部門): public works, health,
// communications. Users belong to one; plans and notices address them.
type Department struct {
	ID        int64
	Code      string // short, unique, e.g. "health"
	Name      string
	Email     string // the department's own contact address
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// DepartmentInput is what an admin writes to create or change a department.
type DepartmentInput struct {
	Code    string
	Name    string
	Email   string
	Version int64 // for updates: must match the stored version
}

// Normalize trims the fields.
func (d *DepartmentInput) Normalize() {
	d.Code = strings.ToLower(strings.TrimSpace(d.Code))
	d.Name = strings.TrimSpace(d.Name)
	d.Email = strings.TrimSpace(d.Email)
}

// Validate checks the input.
func (d DepartmentInput) Validate() error {
	var f fault.Fields
	if !nameRe.MatchString(d.Code) {
		f.Add("code", "must be 2–63 characters: lower-case letters, digits, dot, dash or underscore")
	}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 100 {
		f.Add("name", "must be 1–100 characters")
	}
	plaintext.CheckLine(&f, "name", d.Name)
	if d.Email != "" && (!strings.Contains(d.Email, "@") || strings.ContainsAny(d.Email, " <>\r\n")) {
		f.Add("email", "is not an e-mail address")
	}
	return f.Err()
}
