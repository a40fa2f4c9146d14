package admin

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/account"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
)

// User is a user as the API shows it: never a password hash.
type User struct {
	ID                 int64     `json:"id"`
	Name               string    `json:"name" doc:"Sign-in name, unique, lower case"`
	DisplayName        string    `json:"display_name"`
	Email              string    `json:"email"`
	Role               kit.Role  `json:"role"`
	DepartmentID       int64     `json:"department_id" doc:"0 when in no department"`
	Language           language  `json:"language"`
	Disabled           bool      `json:"disabled"`
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	Version            int64     `json:"version" doc:"Send it back with a change; a stale one is refused with 409"`
}

func toUser(u account.User) User {
	return User{
		ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Email: u.Email, Role: kit.Role(u.Role),
		DepartmentID: u.DepartmentID, Language: language(u.Language), Disabled: u.Disabled,
		MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version,
	}
}

// language is a UI language with its values in the OpenAPI document.
type language string

// Schema lists the languages.
func (language) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: "Preferred UI language; empty to follow the browser", Enum: []any{""}}
	for _, l := range account.Languages {
		s.Enum = append(s.Enum, l)
	}
	return s
}

type userOutput struct {
	Body User
}

type userIDInput struct {
	ID int64 `path:"id"`
}

type listUsersInput struct {
	kit.Page
	Q            string   `query:"q" doc:"Matches the sign-in or display name"`
	Role         kit.Role `query:"role"`
	DepartmentID int64    `query:"department_id" minimum:"0" doc:"Only users of this department"`
}

func (r *Room) listUsers(ctx context.Context, in *listUsersInput) (*kit.ListOutput[User], error) {
	users, total, err := r.Accounts.ListUsers(ctx, account.UserFilter{
		Query: in.Q, Role: authz.Role(in.Role), DepartmentID: in.DepartmentID, Offset: in.Offset, Limit: in.Limit,
	})
	if err != nil {
		return nil, err
	}
	filters := url.Values{"q": {in.Q}, "role": {string(in.Role)}}
	if in.DepartmentID != 0 {
		filters.Set("department_id", strconv.FormatInt(in.DepartmentID, 10))
	}
	return kit.NewList("/users", filters, in.Page, users, total, toUser), nil
}

// newUser is the body that creates a user.
type newUser struct {
	Name         string   `json:"name" doc:"Sign-in name: 2–63 lower-case letters, digits, dot, dash or underscore"`
	DisplayName  string   `json:"display_name,omitempty" doc:"Defaults to the name"`
	Email        string   `json:"email,omitempty"`
	Role         kit.Role `json:"role"`
	DepartmentID int64    `json:"department_id,omitempty" minimum:"0"`
	Language     language `json:"language,omitempty"`
	Password     string   `json:"password,omitempty" doc:"At least 12 characters. Omit it to have one generated: it is returned once, and must be changed at first sign-in."`
}

// CreatedUser is a new user and, when generated, its password.
type CreatedUser struct {
	User
	Password string `json:"password,omitempty" doc:"The generated password, shown only this once"`
}

type createUserInput struct {
	Body newUser
}

type createUserOutput struct {
	Location string `header:"Location"`
	Body     CreatedUser
}

func (r *Room) createUser(ctx context.Context, in *createUserInput) (*createUserOutput, error) {
	b := in.Body
	nu := account.NewUser{
		Name: b.Name, DisplayName: b.DisplayName, Email: b.Email, Role: authz.Role(b.Role),
		DepartmentID: b.DepartmentID, Language: string(b.Language), Password: b.Password,
	}
	var generated string
	if nu.Password == "" {
		generated = account.GeneratePassword()
		nu.Password, nu.MustChangePassword = generated, true
	}
	u, err := r.Accounts.CreateUser(ctx, kit.Actor(ctx), nu)
	if err != nil {
		return nil, err
	}
	return &createUserOutput{
		Location: kit.Prefix + "/users/" + strconv.FormatInt(u.ID, 10),
		Body:     CreatedUser{User: toUser(u), Password: generated},
	}, nil
}

func (r *Room) getUser(ctx context.Context, in *userIDInput) (*userOutput, error) {
	u, err := r.Accounts.User(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &userOutput{Body: toUser(u)}, nil
}

// userPatch changes the fields it names and leaves the others alone.
type userPatch struct {
	DisplayName  *string   `json:"display_name,omitempty"`
	Email        *string   `json:"email,omitempty"`
	Role         *kit.Role `json:"role,omitempty"`
	DepartmentID *int64    `json:"department_id,omitempty" minimum:"0" doc:"0 for no department"`
	Language     *language `json:"language,omitempty"`
	Version      int64     `json:"version" doc:"The version the change is based on"`
}

type updateUserInput struct {
	ID   int64 `path:"id"`
	Body userPatch
}

func (r *Room) updateUser(ctx context.Context, in *updateUserInput) (*userOutput, error) {
	u, err := r.Accounts.User(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	b := in.Body
	up := account.UserUpdate{
		DisplayName: kit.Pick(b.DisplayName, u.DisplayName), Email: kit.Pick(b.Email, u.Email),
		Role: authz.Role(kit.Pick(b.Role, kit.Role(u.Role))), DepartmentID: kit.Pick(b.DepartmentID, u.DepartmentID),
		Language: string(kit.Pick(b.Language, language(u.Language))), Version: b.Version,
	}
	if u, err = r.Accounts.UpdateUser(ctx, kit.Actor(ctx), in.ID, up); err != nil {
		return nil, err
	}
	return &userOutput{Body: toUser(u)}, nil
}

func (r *Room) disableUser(ctx context.Context, in *userIDInput) (*userOutput, error) {
	return r.setDisabled(ctx, in.ID, true)
}

func (r *Room) enableUser(ctx context.Context, in *userIDInput) (*userOutput, error) {
	return r.setDisabled(ctx, in.ID, false)
}

func (r *Room) setDisabled(ctx context.Context, id int64, disabled bool) (*userOutput, error) {
	if err := r.Accounts.SetDisabled(ctx, kit.Actor(ctx), id, disabled); err != nil {
		return nil, err
	}
	return r.getUser(ctx, &userIDInput{ID: id})
}
