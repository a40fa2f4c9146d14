package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

const observationColumns = `id, drill_id, objective, observer_id, observer, rating, notes, at, photo_name, photo_type, photo_size`

func scanObservation(r rowScanner) (drill.Observation, error) { return scanObservationWith(r) }

// scanObservationWith scans observationColumns, then any extra columns
// into extra.
func scanObservationWith(r rowScanner, extra ...any) (drill.Observation, error) {
	var o drill.Observation
	var rating string
	err := r.Scan(append([]any{&o.ID, &o.DrillID, &o.Objective, &o.ObserverID, &o.Observer, &rating, &o.Notes, &o.At,
		&o.PhotoName, &o.PhotoType, &o.PhotoSize}, extra...)...)
	o.Rating, o.At = drill.Rating(rating), utc(o.At)
	return o, err
}

func (ds *drills) Observe(ctx context.Context, a authz.Actor, drillID int64, in drill.Observation) (drill.Observation, error) {
	var out drill.Observation
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		d, err := txDrill(ctx, tx, drillID)
		if err != nil {
			return err
		}
		o, err := drill.Observe(d, a, tx.Now, in)
		if err != nil {
			return err
		}
		var photo []byte // NULL without one
		if o.HasPhoto() {
			photo = o.Photo
		}
		if err := tx.QueryRow(ctx, `INSERT INTO drill_observations (drill_id, objective, observer_id, observer, rating, notes, at,
			photo_name, photo_type, photo_size, photo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, d.ID, o.Objective, o.ObserverID, o.Observer, string(o.Rating), o.Notes, o.At,
			o.PhotoName, o.PhotoType, o.PhotoSize, photo).Scan(&o.ID); err != nil {
			return fmt.Errorf("record observation: %w", err)
		}
		o.Photo = nil
		out = o
		tx.publishDrill(d.ID)
		return tx.Audit(ctx, a, "drill.observe", "drill", strconv.FormatInt(d.ID, 10), nil,
			map[string]any{"objective": o.Objective, "rating": o.Rating, "notes": o.Notes, "photo": o.PhotoName, "photo_size": o.PhotoSize})
	})
	return out, err
}

// ObservationPhoto returns an observation's photo to whoever may see the
// observation: its observer, the evaluators, and everyone once the drill
// ended.
func (ds *drills) ObservationPhoto(ctx context.Context, a authz.Actor, drillID, obsID int64) (drill.Observation, []byte, error) {
	d, err := ds.Get(ctx, drillID)
	if err != nil {
		return drill.Observation{}, nil, err
	}
	var photo []byte
	o, err := scanObservationWith(ds.s.reader.QueryRowContext(ctx, `SELECT `+observationColumns+`, photo FROM drill_observations
		WHERE id = $1 AND drill_id = $2`, obsID, drillID), &photo)
	if err != nil {
		return o, nil, notFound(err, "observation", obsID)
	}
	if !drill.SeesObservations(d, a) && o.ObserverID != a.UserID {
		return o, nil, fault.New(fault.NotFound, "observation %d not found", obsID)
	}
	if len(photo) == 0 {
		return o, nil, fault.New(fault.NotFound, "observation %d has no photo", obsID)
	}
	return o, photo, nil
}

// Observations returns what a may see of a drill's observations: all of
// them for its evaluators, and for everyone once it ended; else only a's
// own.
func (ds *drills) Observations(ctx context.Context, a authz.Actor, drillID int64) ([]drill.Observation, error) {
	d, err := ds.Get(ctx, drillID)
	if err != nil {
		return nil, err
	}
	if drill.SeesObservations(d, a) {
		return queryAll(ctx, ds.s.reader, "observations", scanObservation,
			`SELECT `+observationColumns+` FROM drill_observations WHERE drill_id = $1 ORDER BY at, id`, drillID)
	}
	return queryAll(ctx, ds.s.reader, "observations", scanObservation,
		`SELECT `+observationColumns+` FROM drill_observations WHERE drill_id = $1 AND observer_id = $2 ORDER BY at, id`, drillID, a.UserID)
}

const reportColumns = `drill_id, summary, strengths, improvements, ratings, clocks, injects, skipped, actions, author_id,
	approved_by, approved_at, updated_at, lock_version`

func scanReport(r rowScanner) (drill.Report, error) {
	var rp drill.Report
	var strengths, improvements, ratings, clocks string
	var author, approver sql.NullInt64
	var approved sql.NullTime
	if err := r.Scan(&rp.DrillID, &rp.Summary, &strengths, &improvements, &ratings, &clocks, &rp.Injects, &rp.Skipped,
		&rp.Actions, &author, &approver, &approved, &rp.UpdatedAt, &rp.Lock); err != nil {
		return rp, err
	}
	rp.AuthorID, rp.ApprovedBy, rp.ApprovedAt, rp.UpdatedAt = author.Int64, approver.Int64, timeOf(approved), utc(rp.UpdatedAt)
	for _, j := range []struct {
		s string
		v any
	}{{strengths, &rp.Strengths}, {improvements, &rp.Improvements}, {ratings, &rp.Ratings}, {clocks, &rp.Clocks}} {
		if err := json.Unmarshal([]byte(j.s), j.v); err != nil {
			return rp, fmt.Errorf("report %d: %w", rp.DrillID, err)
		}
	}
	return rp, nil
}

func (ds *drills) Report(ctx context.Context, drillID int64) (drill.Report, error) {
	r, err := scanReport(ds.s.reader.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM drill_reports WHERE drill_id = $1`, drillID))
	if err != nil {
		return r, notFound(err, "report of drill", drillID)
	}
	return r, nil
}

func txReport(ctx context.Context, tx *Tx, drillID int64) (drill.Report, error) {
	r, err := scanReport(tx.QueryRow(ctx, `SELECT `+reportColumns+` FROM drill_reports WHERE drill_id = $1`, drillID))
	if err != nil {
		return r, notFound(err, "report of drill", drillID)
	}
	return r, nil
}

// draftReport writes the report's draft from what drill d recorded,
// keeping the summary of an existing one.
func (tx *Tx) draftReport(ctx context.Context, d drill.Drill, author int64) (drill.Report, error) {
	obs, err := queryAll(ctx, tx, "observations", scanObservation,
		`SELECT `+observationColumns+` FROM drill_observations WHERE drill_id = $1 ORDER BY at, id`, d.ID)
	if err != nil {
		return drill.Report{}, err
	}
	injects, err := queryAll(ctx, tx, "injects", scanInject, `SELECT `+injectColumns+` FROM drill_injects WHERE drill_id = $1`, d.ID)
	if err != nil {
		return drill.Report{}, err
	}
	var clocks []drill.ClockResult
	var actions int
	if d.CrisisID != 0 {
		cs, err := tx.store.clocks(ctx, tx, d.CrisisID)
		if err != nil {
			return drill.Report{}, err
		}
		for _, c := range cs {
			if c.Name == drill.ReportClock {
				continue
			}
			clocks = append(clocks, drill.ClockResult{Name: crisis.Label(c.Name, c.Subject), Due: c.DueAt, Met: c.MetAt,
				State: string(c.State(d.EndedAt))})
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crisis_timeline WHERE crisis_id = $1 AND actor_id <> 0`, d.CrisisID).Scan(&actions); err != nil {
			return drill.Report{}, fmt.Errorf("count actions: %w", err)
		}
	}
	r := drill.Draft(d, obs, clocks, injects, actions, author)
	r.UpdatedAt = tx.Now
	if _, err := tx.Exec(ctx, `INSERT INTO drill_reports (drill_id, strengths, improvements, ratings, clocks, injects, skipped, actions,
		author_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (drill_id) DO UPDATE SET strengths = excluded.strengths, improvements = excluded.improvements,
		ratings = excluded.ratings, clocks = excluded.clocks, injects = excluded.injects, skipped = excluded.skipped,
		actions = excluded.actions, updated_at = excluded.updated_at, lock_version = drill_reports.lock_version + 1`,
		d.ID, mustJSON(orEmpty(r.Strengths)), mustJSON(orEmpty(r.Improvements)), mustJSON(orEmpty(r.Ratings)),
		mustJSON(orEmpty(r.Clocks)), r.Injects, r.Skipped, r.Actions, nullInt(author), tx.Now); err != nil {
		return r, fmt.Errorf("draft report: %w", err)
	}
	return txReport(ctx, tx, d.ID)
}

// ended is what ending a drill, or stopping it, also does: the report's
// seven-day clock on the exercise crisis, alerting its first evaluator
// and the commanders at 80 % and at expiry, and the report's first draft.
func (tx *Tx) ended(ctx context.Context, d drill.Drill) error {
	var owner int64
	if len(d.Evaluators) > 0 {
		owner = d.Evaluators[0]
	}
	if err := tx.startClock(ctx, crisis.Clock{CrisisID: d.CrisisID, Kind: crisis.ClockKind(drill.ReportClock), Name: drill.ReportClock,
		OwnerID: owner, Basis: crisis.Basis("drill_ended"), Subject: "after-action report of " + d.Title,
		StartedAt: d.EndedAt, DueAt: d.ReportDue}); err != nil {
		return err
	}
	_, err := tx.draftReport(ctx, d, 0)
	return err
}

// Redraft writes the report's draft again from the record (observations
// added after the end among it), keeping its summary.
func (ds *drills) Redraft(ctx context.Context, a authz.Actor, drillID int64) (drill.Report, error) {
	var out drill.Report
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		d, err := txDrill(ctx, tx, drillID)
		if err != nil {
			return err
		}
		before, err := txReport(ctx, tx, drillID)
		if err != nil {
			return err
		}
		if _, err := drill.EditReport(d, before, a, tx.Now, before.Summary, before.Strengths, before.Improvements); err != nil {
			return err
		}
		if out, err = tx.draftReport(ctx, d, a.UserID); err != nil {
			return err
		}
		tx.publishDrill(d.ID)
		return tx.Audit(ctx, a, "drill.report_redraft", "drill", strconv.FormatInt(d.ID, 10), nil, out)
	})
	return out, err
}

func (ds *drills) SaveReport(ctx context.Context, a authz.Actor, drillID, lock int64, summary string, strengths, improvements []string) (drill.Report, error) {
	var out drill.Report
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		d, err := txDrill(ctx, tx, drillID)
		if err != nil {
			return err
		}
		before, err := txReport(ctx, tx, drillID)
		if err != nil {
			return err
		}
		if lock != before.Lock {
			return fault.New(fault.Conflict, "the report was changed by someone else: reload and try again")
		}
		r, err := drill.EditReport(d, before, a, tx.Now, summary, strengths, improvements)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE drill_reports SET summary = $1, strengths = $2, improvements = $3, author_id = $4,
			updated_at = $5, lock_version = lock_version + 1 WHERE drill_id = $6`,
			r.Summary, mustJSON(orEmpty(r.Strengths)), mustJSON(orEmpty(r.Improvements)), r.AuthorID, tx.Now, drillID); err != nil {
			return fmt.Errorf("save report: %w", err)
		}
		if out, err = txReport(ctx, tx, drillID); err != nil {
			return err
		}
		tx.publishDrill(d.ID)
		return tx.Audit(ctx, a, "drill.report_save", "drill", strconv.FormatInt(d.ID, 10), before, out)
	})
	return out, err
}

// ApproveReport signs the report (not its author), meets its clock and
// makes the drill evaluated.
func (ds *drills) ApproveReport(ctx context.Context, a authz.Actor, drillID int64) (drill.Report, error) {
	var out drill.Report
	_, err := ds.change(ctx, a, drillID, 0, "report_approve", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		r, err := txReport(ctx, tx, drillID)
		if err != nil {
			return d, err
		}
		nd, nr, err := drill.ApproveReport(d, r, a, tx.Now)
		if err != nil {
			return d, err
		}
		if _, err := tx.Exec(ctx, `UPDATE drill_reports SET approved_by = $1, approved_at = $2, updated_at = $2,
			lock_version = lock_version + 1 WHERE drill_id = $3`, nr.ApprovedBy, nr.ApprovedAt, drillID); err != nil {
			return d, fmt.Errorf("approve report: %w", err)
		}
		if err := tx.meetClock(ctx, d.CrisisID, drill.ReportClock); err != nil {
			return d, err
		}
		if err := tx.closeExercise(ctx, a, d); err != nil {
			return d, err
		}
		out, err = txReport(ctx, tx, drillID)
		return nd, err
	})
	return out, err
}

// closeExercise closes the exercise crisis of an evaluated drill: the
// exercise is over and its report approved, so it leaves the list of
// open crises, and any clock still running stops.
func (tx *Tx) closeExercise(ctx context.Context, a authz.Actor, d drill.Drill) error {
	res, err := tx.Exec(ctx, `UPDATE crises SET status = 'closed', closed_at = $1, closing_note = $2, updated_at = $1,
		version = version + 1 WHERE id = $3 AND exercise AND status <> 'closed'`, tx.Now, "Drill evaluated: "+d.Title, d.CrisisID)
	if err != nil {
		return fmt.Errorf("close exercise crisis: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE crisis_clocks SET cancelled_at = $1 WHERE crisis_id = $2 AND met_at IS NULL AND cancelled_at IS NULL`,
		tx.Now, d.CrisisID); err != nil {
		return fmt.Errorf("stop exercise clocks: %w", err)
	}
	return tx.note(ctx, d.CrisisID, a, "closed", crisis.M("systext.drill_closed", "Title", d.Title))
}
