package team

import (
	"context"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/team"
)

// Course is a training course.
type Course struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	ValidMonths int    `json:"valid_months" doc:"How long a certificate stays valid; 0: it does not lapse"`
}

func toCourse(c team.Course) Course {
	return Course{ID: c.ID, Title: c.Title, Description: c.Description, ValidMonths: c.ValidMonths}
}

func (r *Room) courses(ctx context.Context, _ *struct{}) (*Items[Course], error) {
	cs, err := r.Team.Courses(ctx)
	if err != nil {
		return nil, err
	}
	return items(cs, toCourse), nil
}

type addCourseInput struct {
	Body struct {
		Title       string `json:"title"`
		Description string `json:"description,omitempty"`
		ValidMonths int    `json:"valid_months,omitempty"`
	}
}

type courseOutput struct {
	Body Course
}

func (r *Room) addCourse(ctx context.Context, in *addCourseInput) (*courseOutput, error) {
	c, err := r.Team.AddCourse(ctx, kit.Actor(ctx), team.Course{Title: in.Body.Title, Description: in.Body.Description, ValidMonths: in.Body.ValidMonths})
	if err != nil {
		return nil, err
	}
	return &courseOutput{Body: toCourse(c)}, nil
}

// Certificate is a member's certificate of a course.
type Certificate struct {
	ID        int64      `json:"id"`
	MemberID  int64      `json:"member_id"`
	Member    string     `json:"member"`
	CourseID  int64      `json:"course_id"`
	Course    string     `json:"course"`
	IssuedAt  time.Time  `json:"issued_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Reference string     `json:"reference"`
}

func toCertificate(c team.Certificate) Certificate {
	out := Certificate{ID: c.ID, MemberID: c.MemberID, Member: c.MemberName, CourseID: c.CourseID, Course: c.CourseTitle, IssuedAt: c.IssuedAt, Reference: c.Reference}
	if !c.ExpiresAt.IsZero() {
		e := c.ExpiresAt
		out.ExpiresAt = &e
	}
	return out
}

type certificatesInput struct {
	MemberID    int64 `query:"member_id"`
	LapsingDays int   `query:"lapsing_days" minimum:"0" maximum:"3660"`
}

func (r *Room) certificates(ctx context.Context, in *certificatesInput) (*Items[Certificate], error) {
	var cs []team.Certificate
	var err error
	if in.LapsingDays > 0 {
		cs, err = r.Team.Lapsing(ctx, time.Now(), time.Duration(in.LapsingDays)*24*time.Hour)
	} else {
		cs, err = r.Team.Certificates(ctx, in.MemberID)
	}
	if err != nil {
		return nil, err
	}
	return items(cs, toCertificate), nil
}

type addCertificateInput struct {
	Body struct {
		MemberID  int64     `json:"member_id"`
		CourseID  int64     `json:"course_id"`
		IssuedAt  time.Time `json:"issued_at"`
		ExpiresAt time.Time `json:"expires_at,omitzero" doc:"Must come after issued_at; absent: it does not lapse"`
		Reference string    `json:"reference,omitempty"`
	}
}

type certificateOutput struct {
	Body Certificate
}

func (r *Room) addCertificate(ctx context.Context, in *addCertificateInput) (*certificateOutput, error) {
	b := in.Body
	c, err := r.Team.AddCertificate(ctx, kit.Actor(ctx), team.Certificate{MemberID: b.MemberID, CourseID: b.CourseID, IssuedAt: b.IssuedAt,
		ExpiresAt: b.ExpiresAt, Reference: b.Reference})
	if err != nil {
		return nil, err
	}
	return &certificateOutput{Body: toCertificate(c)}, nil
}
