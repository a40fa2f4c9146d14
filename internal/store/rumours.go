package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/rumour"
)

// rumours implements rumour.Service.
type rumours struct{ s *Store }

var _ rumour.Service = (*rumours)(nil)

// Rumours returns the rumour register.
func (s *Store) Rumours() rumour.Service { return &rumours{s} }

const rumourColumns = `id, crisis_id, claim, facts, verdict, spread, owner_id, first_seen, notice_id, clarified_at,
	author_id, created_at, updated_at, lock_version, (SELECT COUNT(*) FROM feedback q WHERE q.rumour_id = rumours.id)`

func scanRumour(r rowScanner) (rumour.Rumour, error) {
	var x rumour.Rumour
	var verdict, spread string
	var crisisID, owner, noticeID sql.NullInt64
	var clarified sql.NullTime
	if err := r.Scan(&x.ID, &crisisID, &x.Claim, &x.Facts, &verdict, &spread, &owner, &x.FirstSeen, &noticeID, &clarified,
		&x.AuthorID, &x.CreatedAt, &x.UpdatedAt, &x.Lock, &x.Questions); err != nil {
		return x, err
	}
	x.CrisisID, x.OwnerID, x.NoticeID = crisisID.Int64, owner.Int64, noticeID.Int64
	x.Verdict, x.Spread = rumour.Verdict(verdict), rumour.Spread(spread)
	x.FirstSeen, x.CreatedAt, x.UpdatedAt, x.ClarifiedAt = utc(x.FirstSeen), utc(x.CreatedAt), utc(x.UpdatedAt), timeOf(clarified)
	return x, nil
}

const sightingColumns = `id, rumour_id, seen_at, place, url, note, image_name, image_type, image_size, added_by, created_at`

func scanSighting(r rowScanner) (rumour.Sighting, error) {
	var s rumour.Sighting
	err := r.Scan(&s.ID, &s.RumourID, &s.SeenAt, &s.Place, &s.URL, &s.Note, &s.ImageName, &s.ImageType, &s.ImageSize,
		&s.AddedBy, &s.CreatedAt)
	s.SeenAt, s.CreatedAt = utc(s.SeenAt), utc(s.CreatedAt)
	return s, err
}

func auditRumour(r rumour.Rumour) map[string]any {
	return map[string]any{"claim": r.Claim, "facts": r.Facts, "verdict": r.Verdict, "spread": r.Spread, "owner_id": r.OwnerID,
		"crisis_id": r.CrisisID, "first_seen": r.FirstSeen, "notice_id": r.NoticeID, "lock": r.Lock}
}

func txRumour(ctx context.Context, tx *Tx, id int64) (rumour.Rumour, error) {
	r, err := scanRumour(tx.QueryRow(ctx, `SELECT `+rumourColumns+` FROM rumours WHERE id = $1`, id))
	if err != nil {
		return r, notFound(err, "rumour", id)
	}
	return r, nil
}

// checkRumour refuses a crisis or an owner that does not exist.
func checkRumour(ctx context.Context, tx *Tx, in rumour.Input) error {
	var f fault.Fields
	if in.CrisisID != 0 {
		if _, err := txCrisis(ctx, tx, in.CrisisID); fault.Is(err, fault.NotFound) {
			f.Add("crisis_id", "crisis %d does not exist", in.CrisisID)
		} else if err != nil {
			return err
		}
	}
	if in.OwnerID != 0 {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND NOT disabled`, in.OwnerID).Scan(&n); err != nil {
			return fmt.Errorf("check owner: %w", err)
		}
		if n == 0 {
			f.Add("owner_id", "user %d does not exist or is disabled", in.OwnerID)
		}
	}
	return f.Err()
}

func (rs *rumours) Create(ctx context.Context, a authz.Actor, in rumour.Input) (rumour.Rumour, error) {
	if err := authz.Require(a, authz.EditRumour); err != nil {
		return rumour.Rumour{}, err
	}
	in.Normalize()
	var out rumour.Rumour
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		if err := in.Validate(tx.Now); err != nil {
			return err
		}
		if err := checkRumour(ctx, tx, in); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO rumours (crisis_id, claim, facts, verdict, spread, owner_id, first_seen,
			author_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			nullInt(in.CrisisID), in.Claim, in.Facts, string(in.Verdict), string(in.Spread), nullInt(in.OwnerID), in.FirstSeen,
			a.UserID, tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("insert rumour: %w", err)
		}
		var err error
		if out, err = txRumour(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "rumour.create", "rumour", strconv.FormatInt(id, 10), nil, auditRumour(out))
	})
	return out, err
}

func (rs *rumours) Save(ctx context.Context, a authz.Actor, id, lock int64, in rumour.Input) (rumour.Rumour, error) {
	if err := authz.Require(a, authz.EditRumour); err != nil {
		return rumour.Rumour{}, err
	}
	in.Normalize()
	var out rumour.Rumour
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		before, err := txRumour(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := in.Validate(tx.Now); err != nil {
			return err
		}
		if err := checkRumour(ctx, tx, in); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE rumours SET crisis_id = $1, claim = $2, facts = $3, verdict = $4, spread = $5,
			owner_id = $6, first_seen = $7, updated_at = $8, lock_version = lock_version + 1 WHERE id = $9 AND lock_version = $10`,
			nullInt(in.CrisisID), in.Claim, in.Facts, string(in.Verdict), string(in.Spread), nullInt(in.OwnerID), in.FirstSeen,
			tx.Now, id, lock)
		if err != nil {
			return fmt.Errorf("save rumour %d: %w", id, err)
		}
		if affected(res) != 1 {
			return fault.New(fault.Conflict, "someone else changed this rumour meanwhile: reload and try again")
		}
		if out, err = txRumour(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "rumour.save", "rumour", strconv.FormatInt(id, 10), auditRumour(before), auditRumour(out))
	})
	return out, err
}

func (rs *rumours) AddSighting(ctx context.Context, a authz.Actor, rumourID int64, s rumour.Sighting, img *rumour.Image) (rumour.Sighting, error) {
	if err := authz.Require(a, authz.EditRumour); err != nil {
		return s, err
	}
	s.Normalize()
	var out rumour.Sighting
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		r, err := txRumour(ctx, tx, rumourID)
		if err != nil {
			return err
		}
		if err := rumour.ValidateSighting(s, img, tx.Now); err != nil {
			return err
		}
		var name, typ string
		var data []byte
		if img != nil {
			name, typ, data = strings.TrimSpace(img.Name), img.Type, img.Data
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO rumour_sightings (rumour_id, seen_at, place, url, note, image_name, image_type,
			image_size, image, added_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			rumourID, s.SeenAt, s.Place, s.URL, s.Note, name, typ, len(data), data, a.UserID, tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("insert sighting: %w", err)
		}
		if s.SeenAt.Before(r.FirstSeen) {
			if _, err := tx.Exec(ctx, `UPDATE rumours SET first_seen = $1, updated_at = $2, lock_version = lock_version + 1
				WHERE id = $3`, s.SeenAt, tx.Now, rumourID); err != nil {
				return fmt.Errorf("move first seen: %w", err)
			}
		}
		if out, err = scanSighting(tx.QueryRow(ctx, `SELECT `+sightingColumns+` FROM rumour_sightings WHERE id = $1`, id)); err != nil {
			return fmt.Errorf("read sighting: %w", err)
		}
		return tx.Audit(ctx, a, "rumour.sighting", "rumour", strconv.FormatInt(rumourID, 10), nil,
			map[string]any{"sighting": id, "seen_at": out.SeenAt, "place": out.Place, "url": out.URL, "image": out.ImageName})
	})
	return out, err
}

func (rs *rumours) Image(ctx context.Context, sightingID int64) (rumour.Sighting, []byte, error) {
	row := rs.s.reader.QueryRowContext(ctx, `SELECT `+sightingColumns+`, image FROM rumour_sightings WHERE id = $1`, sightingID)
	var s rumour.Sighting
	var data []byte
	err := row.Scan(&s.ID, &s.RumourID, &s.SeenAt, &s.Place, &s.URL, &s.Note, &s.ImageName, &s.ImageType, &s.ImageSize,
		&s.AddedBy, &s.CreatedAt, &data)
	if err != nil {
		return s, nil, notFound(err, "sighting", sightingID)
	}
	if len(data) == 0 {
		return s, nil, fault.New(fault.NotFound, "sighting %d has no screenshot", sightingID)
	}
	return s, data, nil
}

func (rs *rumours) Answer(ctx context.Context, a authz.Actor, id int64, contents []notice.Content) (rumour.Rumour, notice.Notice, error) {
	if err := authz.Require(a, authz.EditRumour); err != nil {
		return rumour.Rumour{}, notice.Notice{}, err
	}
	if err := authz.Require(a, authz.EditNotice); err != nil {
		return rumour.Rumour{}, notice.Notice{}, err
	}
	var out rumour.Rumour
	var n notice.Notice
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		r, err := txRumour(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := r.CanAnswer(); err != nil {
			return err
		}
		n = notice.Notice{CrisisID: r.CrisisID, Kind: notice.Alert, Audience: notice.Public, Status: notice.Draft,
			Contents: contents, AuthorID: a.UserID, CAP: rumour.CAP("")}
		if r.CrisisID != 0 {
			c, err := txCrisis(ctx, tx, r.CrisisID)
			if err != nil {
				return err
			}
			n.Kind, n.Exercise, n.CAP = notice.Update, c.Exercise, rumour.CAP(c.Title)
		}
		notice.Normalize(&n)
		if err := notice.ValidateDraft(n); err != nil {
			return err
		}
		if n, err = insertNotice(ctx, tx, n); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rumours SET notice_id = $1, updated_at = $2, lock_version = lock_version + 1
			WHERE id = $3`, n.ID, tx.Now, id); err != nil {
			return fmt.Errorf("link the clarification: %w", err)
		}
		if out, err = txRumour(ctx, tx, id); err != nil {
			return err
		}
		if err := tx.Audit(ctx, a, "notice.create", "notice", strconv.FormatInt(n.ID, 10), nil, auditNotice(n)); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "rumour.answer", "rumour", strconv.FormatInt(id, 10), auditRumour(r), auditRumour(out))
	})
	return out, n, err
}

// clarifyRumour marks the rumour a published notice answers as
// clarified, in the publishing transaction: its time to clarify ends
// with the publication.
func (tx *Tx) clarifyRumour(ctx context.Context, n notice.Notice) error {
	if _, err := tx.Exec(ctx, `UPDATE rumours SET clarified_at = $1, updated_at = $1, lock_version = lock_version + 1
		WHERE notice_id = $2 AND clarified_at IS NULL`, tx.Now, n.ID); err != nil {
		return fmt.Errorf("clarify rumour: %w", err)
	}
	return nil
}

func (rs *rumours) Get(ctx context.Context, id int64) (rumour.Rumour, error) {
	r, err := scanRumour(rs.s.reader.QueryRowContext(ctx, `SELECT `+rumourColumns+` FROM rumours WHERE id = $1`, id))
	if err != nil {
		return r, notFound(err, "rumour", id)
	}
	r.Sightings, err = queryAll(ctx, rs.s.reader, "sightings", scanSighting, `SELECT `+sightingColumns+
		` FROM rumour_sightings WHERE rumour_id = $1 ORDER BY seen_at, id`, id)
	return r, err
}

func (rs *rumours) ByNotice(ctx context.Context, noticeID int64) (rumour.Rumour, error) {
	r, err := scanRumour(rs.s.reader.QueryRowContext(ctx, `SELECT `+rumourColumns+` FROM rumours WHERE notice_id = $1`, noticeID))
	if err != nil {
		return r, notFound(err, "rumour of notice", noticeID)
	}
	return r, nil
}

func (rs *rumours) List(ctx context.Context, f rumour.Filter) ([]rumour.Rumour, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	where, args := []string{"1 = 1"}, []any{}
	if f.CrisisID != 0 {
		args = append(args, f.CrisisID)
		where = append(where, "crisis_id = $"+strconv.Itoa(len(args)))
	}
	if f.Verdict != "" {
		args = append(args, string(f.Verdict))
		where = append(where, "verdict = $"+strconv.Itoa(len(args)))
	}
	if f.Open {
		where = append(where, "clarified_at IS NULL")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := rs.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM rumours WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count rumours: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, rs.s.reader, "rumours", scanRumour, fmt.Sprintf(`SELECT `+rumourColumns+
		` FROM rumours WHERE %s ORDER BY first_seen DESC, id DESC LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

func (rs *rumours) Clarifications(ctx context.Context, limit int) ([]rumour.Clarification, error) {
	_, limit = clampPage(0, limit)
	return queryAll(ctx, rs.s.reader, "clarifications", func(r rowScanner) (rumour.Clarification, error) {
		var c rumour.Clarification
		var verdict string
		var crisisID sql.NullInt64
		err := r.Scan(&c.RumourID, &c.Claim, &verdict, &c.NoticeID, &crisisID, &c.ClarifiedAt)
		c.Verdict, c.CrisisID, c.ClarifiedAt = rumour.Verdict(verdict), crisisID.Int64, utc(c.ClarifiedAt)
		return c, err
	}, `SELECT r.id, r.claim, r.verdict, r.notice_id, r.crisis_id, r.clarified_at FROM rumours r
		JOIN notices n ON n.id = r.notice_id
		WHERE r.clarified_at IS NOT NULL AND n.status = 'published' AND n.audience = 'public' AND NOT n.exercise
		ORDER BY r.clarified_at DESC, r.id DESC LIMIT $1`, limit)
}
