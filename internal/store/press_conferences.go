package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/press"
)

const conferenceColumns = `id, title, crisis_id, starts_at, ends_at, venue, speakers, invited, created_by, updated_at`

func scanConference(r rowScanner) (press.Conference, error) {
	var c press.Conference
	var crisisID, by sql.NullInt64
	var speakers, invited string
	if err := r.Scan(&c.ID, &c.Title, &crisisID, &c.StartsAt, &c.EndsAt, &c.Venue, &speakers, &invited, &by, &c.UpdatedAt); err != nil {
		return c, err
	}
	c.CrisisID, c.CreatedBy = crisisID.Int64, by.Int64
	c.StartsAt, c.EndsAt, c.UpdatedAt = utc(c.StartsAt), utc(c.EndsAt), utc(c.UpdatedAt)
	if err := jsonUnmarshal(speakers, &c.Speakers); err != nil {
		return c, fmt.Errorf("conference %d speakers: %w", c.ID, err)
	}
	if err := jsonUnmarshal(invited, &c.Invited); err != nil {
		return c, fmt.Errorf("conference %d invited: %w", c.ID, err)
	}
	return c, nil
}

func (p *pressDesk) Conferences(ctx context.Context) ([]press.Conference, error) {
	return queryAll(ctx, p.s.reader, "press conferences", scanConference,
		`SELECT `+conferenceColumns+` FROM press_conferences ORDER BY starts_at DESC, id DESC LIMIT 200`)
}

func (p *pressDesk) Conference(ctx context.Context, id int64) (press.Conference, error) {
	c, err := scanConference(p.s.reader.QueryRowContext(ctx, `SELECT `+conferenceColumns+` FROM press_conferences WHERE id = $1`, id))
	if err != nil {
		return c, notFound(err, "press conference", id)
	}
	return c, nil
}

func (p *pressDesk) AddConference(ctx context.Context, a authz.Actor, c press.Conference) (press.Conference, error) {
	if err := authz.Require(a, authz.ManageMedia); err != nil {
		return c, err
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := p.s.InTx(ctx, func(tx *Tx) error {
		if err := checkTargets(ctx, tx, c.CrisisID, 0); err != nil {
			return err
		}
		for _, id := range c.Invited {
			if _, err := txJournalist(ctx, tx, id); err != nil {
				return fault.Field("invited", "there is no journalist %d", id)
			}
		}
		if err := tx.QueryRow(ctx, `INSERT INTO press_conferences (title, crisis_id, starts_at, ends_at, venue, speakers, invited, created_by,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, c.Title, nullInt(c.CrisisID), c.StartsAt, c.EndsAt,
			c.Venue, mustJSON(orEmpty(c.Speakers)), mustJSON(orEmpty(c.Invited)), nullInt(a.UserID), tx.Now).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert press conference: %w", err)
		}
		c.CreatedBy, c.UpdatedAt = a.UserID, tx.Now
		return tx.Audit(ctx, a, "press_conference.create", "press_conference", strconv.FormatInt(c.ID, 10), nil, c)
	})
	return c, err
}
