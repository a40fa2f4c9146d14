package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/team"
)

func scanCourse(r rowScanner) (team.Course, error) {
	var c team.Course
	err := r.Scan(&c.ID, &c.Title, &c.Description, &c.ValidMonths, &c.CreatedAt)
	c.CreatedAt = utc(c.CreatedAt)
	return c, err
}

func (t *teamStore) Courses(ctx context.Context) ([]team.Course, error) {
	return queryAll(ctx, t.s.reader, "courses", scanCourse, `SELECT id, title, description, valid_months, created_at FROM training_courses ORDER BY title, id`)
}

func (t *teamStore) AddCourse(ctx context.Context, a authz.Actor, c team.Course) (team.Course, error) {
	if err := authz.Require(a, authz.ManageTraining); err != nil {
		return c, err
	}
	c.Title, c.Description = strings.TrimSpace(plaintext.Normalize(c.Title)), strings.TrimSpace(plaintext.Normalize(c.Description))
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := t.s.InTx(ctx, func(tx *Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO training_courses (title, description, valid_months, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			c.Title, c.Description, c.ValidMonths, tx.Now).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert course: %w", err)
		}
		c.CreatedAt = tx.Now
		return tx.Audit(ctx, a, "team.course.add", "training_course", strconv.FormatInt(c.ID, 10), nil, c)
	})
	return c, err
}

func (t *teamStore) Sessions(ctx context.Context, courseID int64) ([]team.Session, error) {
	q := `SELECT id, course_id, starts_at, ends_at, trainer, venue FROM training_sessions`
	args := []any{}
	if courseID != 0 {
		q += ` WHERE course_id = $1`
		args = append(args, courseID)
	}
	list, err := queryAll(ctx, t.s.reader, "training sessions", scanSession, q+` ORDER BY starts_at DESC, id`, args...)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Attendees, err = attendees(ctx, t.s.reader, list[i].ID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func scanSession(r rowScanner) (team.Session, error) {
	var s team.Session
	var end sql.NullTime
	err := r.Scan(&s.ID, &s.CourseID, &s.StartsAt, &end, &s.Trainer, &s.Venue)
	s.StartsAt, s.EndsAt = utc(s.StartsAt), timeOf(end)
	return s, err
}

func attendees(ctx context.Context, q querier, sessionID int64) ([]int64, error) {
	return queryAll(ctx, q, "attendance", func(r rowScanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT member_id FROM training_attendance WHERE session_id = $1 ORDER BY member_id`, sessionID)
}

func (t *teamStore) AddSession(ctx context.Context, a authz.Actor, s team.Session) (team.Session, error) {
	if err := authz.Require(a, authz.ManageTraining); err != nil {
		return s, err
	}
	s.Trainer, s.Venue = strings.TrimSpace(plaintext.Normalize(s.Trainer)), strings.TrimSpace(plaintext.Normalize(s.Venue))
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	if err := s.Validate(); err != nil {
		return s, err
	}
	err := t.s.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM training_courses WHERE id = $1`, s.CourseID).Scan(&n); err != nil || n == 0 {
			return fault.Field("course_id", "no such course")
		}
		if err := tx.QueryRow(ctx, `INSERT INTO training_sessions (course_id, starts_at, ends_at, trainer, venue) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			s.CourseID, s.StartsAt, nullTime(s.EndsAt), s.Trainer, s.Venue).Scan(&s.ID); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return tx.Audit(ctx, a, "team.session.add", "training_session", strconv.FormatInt(s.ID, 10), nil, s)
	})
	return s, err
}

func (t *teamStore) SetAttendance(ctx context.Context, a authz.Actor, sessionID int64, members []int64, certify bool) (team.Session, error) {
	if err := authz.Require(a, authz.ManageTraining); err != nil {
		return team.Session{}, err
	}
	var s team.Session
	err := t.s.InTx(ctx, func(tx *Tx) error {
		var err error
		if s, err = scanSession(tx.QueryRow(ctx, `SELECT id, course_id, starts_at, ends_at, trainer, venue FROM training_sessions WHERE id = $1`, sessionID)); err != nil {
			return notFound(err, "training session", sessionID)
		}
		var c team.Course
		if c, err = scanCourse(tx.QueryRow(ctx, `SELECT id, title, description, valid_months, created_at FROM training_courses WHERE id = $1`, s.CourseID)); err != nil {
			return notFound(err, "course", s.CourseID)
		}
		before, err := attendees(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM training_attendance WHERE session_id = $1`, sessionID); err != nil {
			return fmt.Errorf("attendance: %w", err)
		}
		seen := []int64{}
		for _, id := range members {
			if id <= 0 || slices.Contains(seen, id) {
				continue
			}
			if m, err := txMember(ctx, tx, id); err != nil || m.Anonymised {
				return fault.Field("members", "member %d is not on the team", id)
			}
			seen = append(seen, id)
			if _, err := tx.Exec(ctx, `INSERT INTO training_attendance (session_id, member_id) VALUES ($1, $2)`, sessionID, id); err != nil {
				return fmt.Errorf("attendance: %w", err)
			}
			var have int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM training_certificates WHERE session_id = $1 AND member_id = $2`, sessionID, id).Scan(&have); err != nil {
				return fmt.Errorf("certificates: %w", err)
			}
			if certify && have == 0 {
				issued := s.StartsAt
				if !s.EndsAt.IsZero() {
					issued = s.EndsAt
				}
				var expires time.Time
				if c.ValidMonths > 0 {
					expires = issued.AddDate(0, c.ValidMonths, 0)
				}
				if _, err := insertCertificate(ctx, tx, team.Certificate{MemberID: id, CourseID: c.ID, SessionID: sessionID, IssuedAt: issued, ExpiresAt: expires}); err != nil {
					return err
				}
			}
		}
		s.Attendees = seen
		return tx.Audit(ctx, a, "team.session.attendance", "training_session", strconv.FormatInt(sessionID, 10), before, seen)
	})
	return s, err
}

const certColumns = `c.id, c.member_id, c.course_id, c.session_id, c.issued_at, c.expires_at, c.reference, m.name, m.anonymised, k.title`

const certFrom = ` FROM training_certificates c JOIN team_members m ON m.id = c.member_id JOIN training_courses k ON k.id = c.course_id`

func scanCertificate(r rowScanner) (team.Certificate, error) {
	var c team.Certificate
	var session sql.NullInt64
	var expires sql.NullTime
	var anon bool
	err := r.Scan(&c.ID, &c.MemberID, &c.CourseID, &session, &c.IssuedAt, &expires, &c.Reference, &c.MemberName, &anon, &c.CourseTitle)
	c.SessionID, c.IssuedAt, c.ExpiresAt = session.Int64, utc(c.IssuedAt), timeOf(expires)
	if anon {
		c.MemberName = "#" + strconv.FormatInt(c.MemberID, 10)
	}
	return c, err
}

func (t *teamStore) Certificates(ctx context.Context, memberID int64) ([]team.Certificate, error) {
	q := `SELECT ` + certColumns + certFrom
	args := []any{}
	if memberID != 0 {
		q += ` WHERE c.member_id = $1`
		args = append(args, memberID)
	}
	return queryAll(ctx, t.s.reader, "certificates", scanCertificate, q+` ORDER BY m.name, k.title, c.issued_at DESC, c.id`, args...)
}

func insertCertificate(ctx context.Context, tx *Tx, c team.Certificate) (team.Certificate, error) {
	if err := tx.QueryRow(ctx, `INSERT INTO training_certificates (member_id, course_id, session_id, issued_at, expires_at, reference)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.MemberID, c.CourseID, nullInt(c.SessionID), c.IssuedAt.UTC(), nullTime(c.ExpiresAt.UTC()),
		c.Reference).Scan(&c.ID); err != nil {
		return c, fmt.Errorf("insert certificate: %w", err)
	}
	return c, certificateClock(ctx, tx, c)
}

// certificateClock meets the renewal clocks of the member's earlier
// certificates of the course, and starts this certificate's: it asks for
// the renewal 30 days before the certificate lapses, so that its alerts
// (at 80 % and when due) fall 60 and 30 days before. The person is its
// owner when they have an account; the communication coordinators on the
// team watch it.
func certificateClock(ctx context.Context, tx *Tx, c team.Certificate) error {
	earlier, err := queryAll(ctx, tx, "certificates", func(r rowScanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT id FROM training_certificates WHERE member_id = $1 AND course_id = $2 AND id <> $3`, c.MemberID, c.CourseID, c.ID)
	if err != nil {
		return err
	}
	for _, id := range earlier {
		if err := tx.MeetDeadline(ctx, team.ExpiryKind, deadline.Subject{Kind: "certificate", ID: id}); err != nil {
			return err
		}
	}
	if c.ExpiresAt.IsZero() {
		return nil
	}
	m, err := txMember(ctx, tx, c.MemberID)
	if err != nil {
		return err
	}
	var course string
	if err := tx.QueryRow(ctx, `SELECT title FROM training_courses WHERE id = $1`, c.CourseID).Scan(&course); err != nil {
		return fmt.Errorf("course %d: %w", c.CourseID, err)
	}
	coordinators, err := queryAll(ctx, tx, "coordinators", func(r rowScanner) (team.Member, error) { return scanMember(r) },
		`SELECT `+memberColumns+` FROM team_members WHERE anonymised = FALSE AND active = TRUE AND user_id IS NOT NULL`)
	if err != nil {
		return err
	}
	var watchers []int64
	for _, x := range coordinators {
		if x.HasRole(team.CommCoordinator) && x.UserID != m.UserID {
			watchers = append(watchers, x.UserID)
		}
	}
	due := c.ExpiresAt.Add(-team.ExpiryAlerts[1])
	span := time.Duration(float64(team.ExpiryAlerts[0]-team.ExpiryAlerts[1]) / (1 - deadline.WarnFraction))
	_, err = tx.StartDeadline(ctx, deadline.Deadline{Kind: team.ExpiryKind, Subject: deadline.Subject{Kind: "certificate", ID: c.ID},
		OwnerID: m.UserID, Watchers: watchers, Link: "/desk/team/training",
		Args:      map[string]string{"member": m.Name, "course": course, "expires": c.ExpiresAt.UTC().Format("2006-01-02")},
		StartedAt: due.Add(-span), DueAt: due})
	return err
}

func (t *teamStore) AddCertificate(ctx context.Context, a authz.Actor, c team.Certificate) (team.Certificate, error) {
	if err := authz.Require(a, authz.ManageTraining); err != nil {
		return c, err
	}
	c.Reference = strings.TrimSpace(plaintext.Normalize(c.Reference))
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := t.s.InTx(ctx, func(tx *Tx) error {
		if m, err := txMember(ctx, tx, c.MemberID); err != nil || m.Anonymised {
			return fault.Field("member_id", "member %d is not on the team", c.MemberID)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM training_courses WHERE id = $1`, c.CourseID).Scan(&n); err != nil || n == 0 {
			return fault.Field("course_id", "no such course")
		}
		var err error
		if c, err = insertCertificate(ctx, tx, c); err != nil {
			return err
		}
		if c, err = scanCertificate(tx.QueryRow(ctx, `SELECT `+certColumns+certFrom+` WHERE c.id = $1`, c.ID)); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "team.certificate.add", "training_certificate", strconv.FormatInt(c.ID, 10), nil, c)
	})
	return c, err
}

func (t *teamStore) Lapsing(ctx context.Context, at time.Time, d time.Duration) ([]team.Certificate, error) {
	return queryAll(ctx, t.s.reader, "certificates", scanCertificate, `SELECT `+certColumns+certFrom+`
		WHERE m.anonymised = FALSE AND c.expires_at IS NOT NULL AND c.expires_at > $1 AND c.expires_at <= $2 ORDER BY c.expires_at, c.id`,
		at.UTC(), at.Add(d).UTC())
}

// maxTrainingDrills bounds the drills a training record reads.
const maxTrainingDrills = 500

func (t *teamStore) Training(ctx context.Context, memberID int64) ([]team.Record, error) {
	q := `SELECT a.member_id, k.title, s.starts_at, s.id FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
		JOIN training_courses k ON k.id = s.course_id`
	args := []any{}
	if memberID != 0 {
		q += ` WHERE a.member_id = $1`
		args = append(args, memberID)
	}
	out, err := queryAll(ctx, t.s.reader, "training record", func(r rowScanner) (team.Record, error) {
		x := team.Record{Kind: "session"}
		err := r.Scan(&x.MemberID, &x.Title, &x.At, &x.RefID)
		x.At = utc(x.At)
		return x, err
	}, q, args...)
	if err != nil {
		return nil, err
	}
	// Drill participation counts as training: staff by their account,
	// outside members by their name on the drill.
	members, err := t.Members(ctx, false)
	if err != nil {
		return nil, err
	}
	ds, _, err := t.s.Drills().List(ctx, drill.Filter{Limit: maxTrainingDrills})
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.StartedAt.IsZero() {
			continue
		}
		for _, m := range members {
			if memberID != 0 && m.ID != memberID {
				continue
			}
			took := slices.ContainsFunc(d.Participants, func(p drill.Participant) bool {
				return (m.UserID != 0 && p.UserID == m.UserID) || (p.UserID == 0 && p.Name != "" && p.Name == m.Name)
			}) || (m.UserID != 0 && slices.Contains(d.People(), m.UserID))
			if took {
				out = append(out, team.Record{MemberID: m.ID, Kind: "drill", Title: d.Title, At: d.StartedAt, RefID: d.ID})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b team.Record) int { return b.At.Compare(a.At) })
	return out, nil
}

func (t *teamStore) Materials(ctx context.Context) ([]team.Material, error) {
	return queryAll(ctx, t.s.reader, "materials", scanMaterial, `SELECT id, title, description, version, updated_at FROM training_materials ORDER BY title, id`)
}

func scanMaterial(r rowScanner) (team.Material, error) {
	var m team.Material
	err := r.Scan(&m.ID, &m.Title, &m.Description, &m.Version, &m.UpdatedAt)
	m.UpdatedAt = utc(m.UpdatedAt)
	return m, err
}

func (t *teamStore) Material(ctx context.Context, id int64) (team.Material, error) {
	m, err := scanMaterial(t.s.reader.QueryRowContext(ctx, `SELECT id, title, description, version, updated_at FROM training_materials WHERE id = $1`, id))
	if err != nil {
		return m, notFound(err, "material", id)
	}
	m.Versions, err = queryAll(ctx, t.s.reader, "material versions", func(r rowScanner) (team.MaterialVersion, error) {
		var v team.MaterialVersion
		err := r.Scan(&v.MaterialID, &v.Number, &v.FileName, &v.ContentType, &v.Size, &v.UploadedBy, &v.UploadedAt)
		v.UploadedAt = utc(v.UploadedAt)
		return v, err
	}, `SELECT material_id, number, file_name, content_type, size, uploaded_by, uploaded_at FROM training_material_versions
		WHERE material_id = $1 ORDER BY number DESC`, id)
	return m, err
}

func (t *teamStore) Upload(ctx context.Context, a authz.Actor, id int64, title, description, fileName, contentType string, body io.Reader, size int64) (team.Material, error) {
	if err := authz.Require(a, authz.ShareMaterials); err != nil {
		return team.Material{}, err
	}
	title, description = strings.TrimSpace(plaintext.Normalize(title)), strings.TrimSpace(plaintext.Normalize(description))
	fileName = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == '/' || r == '\\' || r == 0x7f {
			return -1
		}
		return r
	}, fileName))
	if err := team.ValidateUpload(title, fileName, size); err != nil {
		return team.Material{}, err
	}
	data, err := io.ReadAll(io.LimitReader(body, team.MaxMaterial+1))
	if err != nil {
		return team.Material{}, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > team.MaxMaterial {
		return team.Material{}, fault.Field("file", "at most 50 MB")
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	err = t.s.InTx(ctx, func(tx *Tx) error {
		if id == 0 {
			if err := tx.QueryRow(ctx, `INSERT INTO training_materials (title, description, version, updated_at) VALUES ($1, $2, 0, $3) RETURNING id`,
				title, description, tx.Now).Scan(&id); err != nil {
				return fmt.Errorf("insert material: %w", err)
			}
		}
		var n int
		if err := tx.QueryRow(ctx, `UPDATE training_materials SET title = $1, description = $2, version = version + 1, updated_at = $3
			WHERE id = $4 RETURNING version`, title, description, tx.Now, id).Scan(&n); err != nil {
			return notFound(err, "material", id)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO training_material_versions (material_id, number, file_name, content_type, size, body, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, n, fileName, contentType, len(data), data, a.UserID, tx.Now); err != nil {
			return fmt.Errorf("insert material version: %w", err)
		}
		return tx.Audit(ctx, a, "team.material.upload", "training_material", strconv.FormatInt(id, 10), nil,
			map[string]any{"title": title, "version": n, "file": fileName, "size": len(data)})
	})
	if err != nil {
		return team.Material{}, err
	}
	return t.Material(ctx, id)
}

func (t *teamStore) MaterialFile(ctx context.Context, id int64, number int) (team.MaterialVersion, []byte, error) {
	var v team.MaterialVersion
	var body []byte
	err := t.s.reader.QueryRowContext(ctx, `SELECT material_id, number, file_name, content_type, size, uploaded_by, uploaded_at, body
		FROM training_material_versions WHERE material_id = $1 AND number = $2`, id, number).Scan(&v.MaterialID, &v.Number, &v.FileName,
		&v.ContentType, &v.Size, &v.UploadedBy, &v.UploadedAt, &body)
	if err != nil {
		return v, nil, notFound(err, "material version", fmt.Sprintf("%d/%d", id, number))
	}
	v.UploadedAt = utc(v.UploadedAt)
	return v, body, nil
}

func (t *teamStore) RenewalClocks(ctx context.Context) (map[int64]deadline.Deadline, error) {
	ds, err := t.s.Deadlines(ctx, deadline.Filter{Kind: team.ExpiryKind, SubjectKind: "certificate", Limit: 5000})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]deadline.Deadline, len(ds))
	for _, d := range ds {
		if prev, ok := out[d.Subject.ID]; !ok || d.ID > prev.ID {
			out[d.Subject.ID] = d
		}
	}
	return out, nil
}
