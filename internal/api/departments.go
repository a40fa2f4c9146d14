package api

import (
	"context"
	"strconv"
	"time"

	"crisisdesk/internal/account"
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
	Page
}

func (a *API) listDepartments(ctx context.Context, in *listDepartmentsInput) (*listOutput[Department], error) {
	deps, total, err := a.accounts.ListDepartments(ctx, in.Offset, in.Limit)
	if err != nil {
		return nil, err
	}
	return newList("/departments", nil, in.Page, deps, total, toDepartment), nil
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

func (a *API) createDepartment(ctx context.Context, in *createDepartmentInput) (*createDepartmentOutput, error) {
	d, err := a.accounts.CreateDepartment(ctx, actor(ctx), account.DepartmentInput{
		Code: in.Body.Code, Name: in.Body.Name, Email: in.Body.Email,
	})
	if err != nil {
		return nil, err
	}
	return &createDepartmentOutput{
		Location: Prefix + "/departments/" + strconv.FormatInt(d.ID, 10),
		Body:     toDepartment(d),
	}, nil
}

func (a *API) getDepartment(ctx context.Context, in *departmentIDInput) (*departmentOutput, error) {
	d, err := a.accounts.Department(ctx, in.ID)
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

func (a *API) updateDepartment(ctx context.Context, in *updateDepartmentInput) (*departmentOutput, error) {
	d, err := a.accounts.Department(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	b := in.Body
	d, err = a.accounts.UpdateDepartment(ctx, actor(ctx), in.ID, account.DepartmentInput{
		Code: pick(b.Code, d.Code), Name: pick(b.Name, d.Name), Email: pick(b.Email, d.Email), Version: b.Version,
	})
	if err != nil {
		return nil, err
	}
	return &departmentOutput{Body: toDepartment(d)}, nil
}

func (a *API) deleteDepartment(ctx context.Context, in *departmentIDInput) (*struct{}, error) {
	if err := a.accounts.DeleteDepartment(ctx, actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
