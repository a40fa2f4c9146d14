package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/risk"
)

const mitigationColumns = `id, risk_id, tpl_key, text, COALESCE(owner_id, 0), due, status, log, done_at, created_at, updated_at`

func scanMitigation(r rowScanner) (risk.Mitigation, error) {
	var m risk.Mitigation
	var status, log string
	var done sql.NullTime
	if err := r.Scan(&m.ID, &m.RiskID, &m.Key, &m.Text, &m.OwnerID, &m.Due, &status, &log, &done, &m.CreatedAt, &m.UpdatedAt); err != nil {
		return m, err
	}
	m.Status, m.DoneAt = risk.MitigationStatus(status), timeOf(done)
	m.Due, m.CreatedAt, m.UpdatedAt = utc(m.Due), utc(m.CreatedAt), utc(m.UpdatedAt)
	if err := json.Unmarshal([]byte(log), &m.Log); err != nil {
		return m, fmt.Errorf("mitigation %d log: %w", m.ID, err)
	}
	return m, nil
}

func (rs *risks) Mitigations(ctx context.Context, riskID int64) ([]risk.Mitigation, error) {
	return queryAll(ctx, rs.s.reader, "mitigations", scanMitigation, `SELECT `+mitigationColumns+
		` FROM risk_mitigations WHERE risk_id = $1 ORDER BY due, id`, riskID)
}

func (tx *Tx) insertMitigation(ctx context.Context, m risk.Mitigation) (risk.Mitigation, error) {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO risk_mitigations (risk_id, tpl_key, text, owner_id, due, status, log, done_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		m.RiskID, m.Key, m.Text, nullInt(m.OwnerID), m.Due.UTC(), string(m.Status), mustJSON(orEmpty(m.Log)), nullTime(m.DoneAt),
		m.CreatedAt, m.UpdatedAt).Scan(&id); err != nil {
		return m, fmt.Errorf("insert mitigation: %w", err)
	}
	return scanMitigation(tx.QueryRow(ctx, `SELECT `+mitigationColumns+` FROM risk_mitigations WHERE id = $1`, id))
}

func (rs *risks) AddMitigation(ctx context.Context, a authz.Actor, riskID int64, in risk.Mitigation) (risk.Mitigation, error) {
	var out risk.Mitigation
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		k, err := txRisk(ctx, tx, riskID)
		if err != nil {
			return err
		}
		in.Key = ""
		m, err := risk.NewMitigation(k, a, tx.Now, in)
		if err != nil {
			return err
		}
		if !tx.activeUser(ctx, m.OwnerID) {
			return fault.Field("owner_id", "user %d does not exist or is disabled", m.OwnerID)
		}
		if out, err = tx.insertMitigation(ctx, m); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "risk.mitigation_add", "risk_mitigation", strconv.FormatInt(out.ID, 10), nil, out)
	})
	return out, err
}

func (rs *risks) TrackMitigation(ctx context.Context, a authz.Actor, id int64, status risk.MitigationStatus, note string) (risk.Mitigation, error) {
	var out risk.Mitigation
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanMitigation(tx.QueryRow(ctx, `SELECT `+mitigationColumns+` FROM risk_mitigations WHERE id = $1`, id))
		if err != nil {
			return notFound(err, "mitigation", id)
		}
		m, err := risk.Track(before, a, tx.Now, status, note)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE risk_mitigations SET status = $1, log = $2, done_at = $3, updated_at = $4 WHERE id = $5`,
			string(m.Status), mustJSON(m.Log), nullTime(m.DoneAt), tx.Now, id); err != nil {
			return fmt.Errorf("track mitigation: %w", err)
		}
		out = m
		return tx.Audit(ctx, a, "risk.mitigation_track", "risk_mitigation", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

const riskAlertColumns = `id, user_id, risk_id, kind, score, band, trend, actor, created_at, read_at`

func scanRiskAlert(r rowScanner) (risk.Alert, error) {
	var al risk.Alert
	var kind, band, trend string
	var read sql.NullTime
	err := r.Scan(&al.ID, &al.UserID, &al.RiskID, &kind, &al.Score, &band, &trend, &al.ActorName, &al.CreatedAt, &read)
	al.Kind, al.Band, al.Trend, al.CreatedAt, al.ReadAt = risk.AlertKind(kind), risk.Band(band), risk.Trend(trend), utc(al.CreatedAt), timeOf(read)
	return al, err
}

func (rs *risks) Alerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]risk.Alert, error) {
	_, limit = clampPage(0, limit)
	cond := ""
	if unreadOnly {
		cond = " AND read_at IS NULL"
	}
	return queryAll(ctx, rs.s.reader, "risk alerts", scanRiskAlert, `SELECT `+riskAlertColumns+
		` FROM risk_alerts WHERE user_id = $1`+cond+` ORDER BY created_at DESC, id DESC LIMIT $2`, userID, limit)
}

func (rs *risks) MarkAlertsRead(ctx context.Context, a authz.Actor, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return rs.s.InTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if _, err := tx.Exec(ctx, `UPDATE risk_alerts SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL`,
				tx.Now, id, a.UserID); err != nil {
				return fmt.Errorf("mark risk alert read: %w", err)
			}
		}
		return nil
	})
}
