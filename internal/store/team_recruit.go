package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/team"
)

const openingColumns = `id, role_key, title, description, internal, opened_at, closed_at`

func scanOpening(r rowScanner) (team.Opening, error) {
	var o team.Opening
	var closed sql.NullTime
	err := r.Scan(&o.ID, &o.RoleKey, &o.Title, &o.Description, &o.Internal, &o.OpenedAt, &closed)
	o.OpenedAt, o.ClosedAt = utc(o.OpenedAt), timeOf(closed)
	return o, err
}

func (t *teamStore) Openings(ctx context.Context) ([]team.Opening, error) {
	return queryAll(ctx, t.s.reader, "openings", scanOpening, `SELECT `+openingColumns+` FROM team_openings ORDER BY opened_at DESC, id DESC`)
}

func (t *teamStore) Opening(ctx context.Context, id int64) (team.Opening, error) {
	o, err := scanOpening(t.s.reader.QueryRowContext(ctx, `SELECT `+openingColumns+` FROM team_openings WHERE id = $1`, id))
	if err != nil {
		return o, notFound(err, "opening", id)
	}
	return o, nil
}

func (t *teamStore) AddOpening(ctx context.Context, a authz.Actor, o team.Opening) (team.Opening, error) {
	if err := authz.Require(a, authz.Recruit); err != nil {
		return o, err
	}
	o.Title, o.Description = strings.TrimSpace(plaintext.Normalize(o.Title)), strings.TrimSpace(plaintext.Normalize(o.Description))
	if err := o.Validate(); err != nil {
		return o, err
	}
	err := t.s.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM team_roles WHERE code = $1`, o.RoleKey).Scan(&n); err != nil || n == 0 {
			return fault.Field("role", "%q is not a team role", o.RoleKey)
		}
		if err := tx.QueryRow(ctx, `INSERT INTO team_openings (role_key, title, description, internal, opened_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			o.RoleKey, o.Title, o.Description, o.Internal, tx.Now).Scan(&o.ID); err != nil {
			return fmt.Errorf("insert opening: %w", err)
		}
		o.OpenedAt = tx.Now
		return tx.Audit(ctx, a, "team.opening.add", "team_opening", strconv.FormatInt(o.ID, 10), nil, o)
	})
	return o, err
}

const candidateColumns = `id, opening_id, name, email, phone, channel, decision, decision_at, decision_by, note, member_id, created_at`

func scanCandidate(r rowScanner) (team.Candidate, error) {
	var c team.Candidate
	var at sql.NullTime
	var member sql.NullInt64
	err := r.Scan(&c.ID, &c.OpeningID, &c.Name, &c.Email, &c.Phone, &c.Channel, &c.Decision, &at, &c.DecisionBy, &c.Note, &member, &c.CreatedAt)
	c.DecisionAt, c.MemberID, c.CreatedAt = timeOf(at), member.Int64, utc(c.CreatedAt)
	return c, err
}

// redactedCandidate is a candidate for the audit trail.
func redactedCandidate(c team.Candidate) team.Candidate {
	if c.Email != "" {
		c.Email = "[redacted]"
	}
	if c.Phone != "" {
		c.Phone = "[redacted]"
	}
	return c
}

func (t *teamStore) Candidates(ctx context.Context, openingID int64) ([]team.Candidate, error) {
	return queryAll(ctx, t.s.reader, "candidates", scanCandidate, `SELECT `+candidateColumns+` FROM team_candidates WHERE opening_id = $1 ORDER BY id`, openingID)
}

func (t *teamStore) AddCandidate(ctx context.Context, a authz.Actor, c team.Candidate) (team.Candidate, error) {
	if err := authz.Require(a, authz.Recruit); err != nil {
		return c, err
	}
	c.Name, c.Email, c.Phone = strings.TrimSpace(plaintext.Normalize(c.Name)), strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
	c.Note = strings.TrimSpace(plaintext.Normalize(c.Note))
	if p, err := subscriber.NormalizePhone(c.Phone); err == nil && c.Phone != "" {
		c.Phone = p
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := t.s.InTx(ctx, func(tx *Tx) error {
		o, err := scanOpening(tx.QueryRow(ctx, `SELECT `+openingColumns+` FROM team_openings WHERE id = $1`, c.OpeningID))
		if err != nil {
			return fault.Field("opening_id", "no such opening")
		}
		if !o.ClosedAt.IsZero() {
			return fault.New(fault.Conflict, "the opening is closed")
		}
		if err := tx.QueryRow(ctx, `INSERT INTO team_candidates (opening_id, name, email, phone, channel, note, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.OpeningID, c.Name, c.Email, c.Phone, c.Channel, c.Note, tx.Now).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert candidate: %w", err)
		}
		c.Decision, c.CreatedAt = team.Pending, tx.Now
		return tx.Audit(ctx, a, "team.candidate.add", "team_candidate", strconv.FormatInt(c.ID, 10), nil, redactedCandidate(c))
	})
	return c, err
}

func (t *teamStore) Interviews(ctx context.Context, candidateID int64) ([]team.Interview, error) {
	return queryAll(ctx, t.s.reader, "interviews", func(r rowScanner) (team.Interview, error) {
		var iv team.Interview
		var panel string
		if err := r.Scan(&iv.ID, &iv.CandidateID, &iv.At, &panel, &iv.Score, &iv.Notes); err != nil {
			return iv, err
		}
		iv.At = utc(iv.At)
		return iv, jsonUnmarshal(panel, &iv.Panel)
	}, `SELECT id, candidate_id, at, panel, score, notes FROM team_interviews WHERE candidate_id = $1 ORDER BY at, id`, candidateID)
}

func (t *teamStore) AddInterview(ctx context.Context, a authz.Actor, iv team.Interview) (team.Interview, error) {
	if err := authz.Require(a, authz.Recruit); err != nil {
		return iv, err
	}
	panel := []string{}
	for _, p := range iv.Panel {
		if p = strings.TrimSpace(plaintext.Normalize(p)); p != "" && !slices.Contains(panel, p) {
			panel = append(panel, p)
		}
	}
	iv.Panel, iv.Notes, iv.At = panel, strings.TrimSpace(plaintext.Normalize(iv.Notes)), iv.At.UTC()
	if err := iv.Validate(); err != nil {
		return iv, err
	}
	err := t.s.InTx(ctx, func(tx *Tx) error {
		c, err := scanCandidate(tx.QueryRow(ctx, `SELECT `+candidateColumns+` FROM team_candidates WHERE id = $1`, iv.CandidateID))
		if err != nil {
			return notFound(err, "candidate", iv.CandidateID)
		}
		if c.Decision != team.Pending {
			return fault.New(fault.Conflict, "the candidate was decided on already")
		}
		if err := tx.QueryRow(ctx, `INSERT INTO team_interviews (candidate_id, at, panel, score, notes) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			iv.CandidateID, iv.At, mustJSON(iv.Panel), iv.Score, iv.Notes).Scan(&iv.ID); err != nil {
			return fmt.Errorf("insert interview: %w", err)
		}
		return tx.Audit(ctx, a, "team.interview.add", "team_candidate", strconv.FormatInt(iv.CandidateID, 10), nil, iv)
	})
	return iv, err
}

func (t *teamStore) Decide(ctx context.Context, a authz.Actor, candidateID int64, decision, note string) (team.Candidate, error) {
	if err := authz.Require(a, authz.Recruit); err != nil {
		return team.Candidate{}, err
	}
	if decision != team.Hired && decision != team.Rejected {
		return team.Candidate{}, fault.Field("decision", "choose hired or rejected")
	}
	note = strings.TrimSpace(plaintext.Normalize(note))
	var c team.Candidate
	err := t.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanCandidate(tx.QueryRow(ctx, `SELECT `+candidateColumns+` FROM team_candidates WHERE id = $1`, candidateID))
		if err != nil {
			return notFound(err, "candidate", candidateID)
		}
		if before.Decision != team.Pending {
			return fault.New(fault.Conflict, "the candidate was decided on already")
		}
		c = before
		if decision == team.Hired {
			o, err := scanOpening(tx.QueryRow(ctx, `SELECT `+openingColumns+` FROM team_openings WHERE id = $1`, c.OpeningID))
			if err != nil {
				return notFound(err, "opening", c.OpeningID)
			}
			m, err := addMember(ctx, tx, a, team.Input{Kind: team.Outside, Name: c.Name, Email: c.Email, Phone: c.Phone,
				Roles: []string{o.RoleKey}, Active: true})
			if err != nil {
				return err
			}
			c.MemberID = m.ID
		}
		c.Decision, c.DecisionAt, c.DecisionBy, c.Note = decision, tx.Now, a.UserID, note
		if _, err := tx.Exec(ctx, `UPDATE team_candidates SET decision = $1, decision_at = $2, decision_by = $3, note = $4, member_id = $5 WHERE id = $6`,
			decision, tx.Now, a.UserID, note, nullInt(c.MemberID), candidateID); err != nil {
			return fmt.Errorf("decide candidate %d: %w", candidateID, err)
		}
		return tx.Audit(ctx, a, "team.candidate.decide", "team_candidate", strconv.FormatInt(candidateID, 10), redactedCandidate(before), redactedCandidate(c))
	})
	return c, err
}
