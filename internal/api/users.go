package api

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
)

// User is a user as the API shows it: never a password hash.
type User struct {
	ID                 int64     `json:"id"`
	Name               string    `json:"name" doc:"Sign-in name, unique, lower case"`
	DisplayName        string    `json:"display_name"`
	Email              string    `json:"email"`
	Role               role      `json:"role"`
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
		ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Email: u.Email, Role: role(u.Role),
		DepartmentID: u.DepartmentID, Language: language(u.Language), Disabled: u.Disabled,
		MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version,
	}
}

// role is authz.Role with its values in the OpenAPI document.
type role string

// Schema lists the roles.
func (role) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: "What the person does in the crisis office"}
	for _, r := range authz.Roles {
		s.Enum = append(s.Enum, string(r))
	}
	return s
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
	Page
	Q            string `query:"q" doc:"Matches the sign-in or display name"`
	Role         role   `query:"role"`
	DepartmentID int64  `query:"department_id" minimum:"0" doc:"Only users of this department"`
}

func (a *API) listUsers(ctx context.Context, in *listUsersInput) (*listOutput[User], error) {
	users, total, err := a.accounts.ListUsers(ctx, account.UserFilter{
		Query: in.Q, Role: authz.Role(in.Role), DepartmentID: in.DepartmentID, Offset: in.Offset, Limit: in.Limit,
	})
	if err != nil {
		return nil, err
	}
	filters := url.Values{"q": {in.Q}, "role": {string(in.Role)}}
	if in.DepartmentID != 0 {
		filters.Set("department_id", strconv.FormatInt(in.DepartmentID, 10))
	}
	return newList("/users", filters, in.Page, users, total, toUser), nil
}

// newUser is the body that creates a user.
type newUser struct {
	Name         string   `json:"name" doc:"Sign-in name: 2–63 lower-case letters, digits, dot, dash or underscore"`
	DisplayName  string   `json:"display_name,omitempty" doc:"Defaults to the name"`
	Email        string   `json:"email,omitempty"`
	Role         role     `json:"role"`
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

func (a *API) createUser(ctx context.Context, in *createUserInput) (*createUserOutput, error) {
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
	u, err := a.accounts.CreateUser(ctx, actor(ctx), nu)
	if err != nil {
		return nil, err
	}
	return &createUserOutput{
		Location: Prefix + "/users/" + strconv.FormatInt(u.ID, 10),
		Body:     CreatedUser{User: toUser(u), Password: generated},
	}, nil
}

func (a *API) getUser(ctx context.Context, in *userIDInput) (*userOutput, error) {
	u, err := a.accounts.User(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &userOutput{Body: toUser(u)}, nil
}

// userPatch changes the fields it names and leaves the others alone.
type userPatch struct {
	DisplayName  *string   `json:"display_name,omitempty"`
	Email        *string   `json:"email,omitempty"`
	Role         *role     `json:"role,omitempty"`
	DepartmentID *int64    `json:"department_id,omitempty" minimum:"0" doc:"0 for no department"`
	Language     *language `json:"language,omitempty"`
	Version      int64     `json:"version" doc:"The version the change is based on"`
}

type updateUserInput struct {
	ID   int64 `path:"id"`
	Body userPatch
}

func (a *API) updateUser(ctx context.Context, in *updateUserInput) (*userOutput, error) {
	u, err := a.accounts.User(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	b := in.Body
	up := account.UserUpdate{
		DisplayName: pick(b.DisplayName, u.DisplayName), Email: pick(b.Email, u.Email),
		Role: authz.Role(pick(b.Role, role(u.Role))), DepartmentID: pick(b.DepartmentID, u.DepartmentID),
		Language: string(pick(b.Language, language(u.Language))), Version: b.Version,
	}
	if u, err = a.accounts.UpdateUser(ctx, actor(ctx), in.ID, up); err != nil {
		return nil, err
	}
	return &userOutput{Body: toUser(u)}, nil
}

func (a *API) disableUser(ctx context.Context, in *userIDInput) (*userOutput, error) {
	return a.setDisabled(ctx, in.ID, true)
}

func (a *API) enableUser(ctx context.Context, in *userIDInput) (*userOutput, error) {
	return a.setDisabled(ctx, in.ID, false)
}

func (a *API) setDisabled(ctx context.Context, id int64, disabled bool) (*userOutput, error) {
	if err := a.accounts.SetDisabled(ctx, actor(ctx), id, disabled); err != nil {
		return nil, err
	}
	return a.getUser(ctx, &userIDInput{ID: id})
}

// pick returns *p when a patch sets it, else the current value.
func pick[T any](p *T, current T) T {
	if p != nil {
		return *p
	}
	return current
}
