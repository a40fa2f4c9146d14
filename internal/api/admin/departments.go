package admin

import (
	"context"
	"strconv"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/api/kit"
)

// Department is a department as the API shows it.
type Department struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code" doc:"Short, unique, lower case, e.g. health"`
	Name      string    `json:"name"`
	Email     string    `json:"email" doc:"The department's own contact address"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version" doc:"Send it back with a change; a stale one is refused with 409"`
}

func toDepartment(d account.Department) Department {
	return Department{ID: d.ID, Code: d.Code, Name: d.Name, Email: d.Email,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version}
}

type departmentOutput struct {
	Body Department
}

type departmentIDInput struct {
	ID int64 `path:"id"`
}

type listDepartmentsInput struct {
	kit.Page
}

func (r *Room) listDepartments(ctx context.Context, in *listDepartmentsInput) (*kit.ListOutput[Department], error) {
	deps, total, err := r.Accounts.ListDepartments(ctx, in.Offset, in.Limit)
	if err != nil {
		return nil, err
	}
	return kit.NewList("/departments", nil, in.Page, deps, total, toDepartment), nil
}

// newDepartment is the body that creates a department.
type newDepartment struct {
	Code  string `json:"code" doc:"2–63 lower-case letters, digits, dot, dash or underscore"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

type createDepartmentInput struct {
	Body newDepartment
}

type createDepartmentOutput struct {
	Location string `header:"Location"`
	Body     Department
}

func (r *Room) createDepartment(ctx context.Context, in *createDepartmentInput) (*createDepartmentOutput, error) {
	d, err := r.Accounts.CreateDepartment(ctx, kit.Actor(ctx), account.DepartmentInput{
		Code: in.Body.Code, Name: in.Body.Name, Email: in.Body.Email,
	})
	if err != nil {
		return nil, err
	}
	return &createDepartmentOutput{
		Location: kit.Prefix + "/departments/" + strconv.FormatInt(d.ID, 10),
		Body:     toDepartment(d),
	}, nil
}

func (r *Room) getDepartment(ctx context.Context, in *departmentIDInput) (*departmentOutput, error) {
	d, err := r.Accounts.Department(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &departmentOutput{Body: toDepartment(d)}, nil
}

// departmentPatch changes the fields it names and leaves the others alone.
type departmentPatch struct {
	Code    *string `json:"code,omitempty"`
	Name    *string `json:"name,omitempty"`
	Email   *string `json:"email,omitempty"`
	Version int64   `json:"version" doc:"The version the change is based on"`
}

type updateDepartmentInput struct {
	ID   int64 `path:"id"`
	Body departmentPatch
}

func (r *Room) updateDepartment(ctx context.Context, in *updateDepartmentInput) (*departmentOutput, error) {
	d, err := r.Accounts.Department(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	b := in.Body
	d, err = r.Accounts.UpdateDepartment(ctx, kit.Actor(ctx), in.ID, account.DepartmentInput{
		Code: kit.Pick(b.Code, d.Code), Name: kit.Pick(b.Name, d.Name), Email: kit.Pick(b.Email, d.Email), Version: b.Version,
	})
	if err != nil {
		return nil, err
	}
	return &departmentOutput{Body: toDepartment(d)}, nil
}

func (r *Room) deleteDepartment(ctx context.Context, in *departmentIDInput) (*struct{}, error) {
	if err := r.Accounts.DeleteDepartment(ctx, kit.Actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
