package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
)

// NoticeAlerts are the in-app alerts about notices waiting for someone.
func (s *Store) NoticeAlerts() notice.StaffAlerts { return &noticeAlerts{s} }

type noticeAlerts struct{ s *Store }

// noticeAlertMailOpts: one e-mail per alert however often its job is
// inserted, tried for about 80 minutes.
var noticeAlertMailOpts = river.InsertOpts{Priority: 1, MaxAttempts: notice.AlertMailAttempts,
	UniqueOpts: river.UniqueOpts{ByArgs: true}}

// alertNotice records, in the transaction that moved n, an alert of kind
// for each person it waits for (notice.AlertRecipients), enqueues the
// e-mail of each, and tells the viewers of the dashboard after commit.
func (tx *Tx) alertNotice(ctx context.Context, n notice.Notice, kind notice.AlertKind, a authz.Actor) error {
	rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users WHERE NOT disabled ORDER BY id`)
	if err != nil {
		return fmt.Errorf("notice alert recipients: %w", err)
	}
	var to []account.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("notice alert recipients: %w", err)
		}
		if notice.AlertRecipients(n, kind, u.ID, u.Role) {
			to = append(to, u)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("notice alert recipients: %w", err)
	}
	var actor any
	if a.UserID != 0 {
		actor = a.UserID
	}
	for _, u := range to {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO notice_alerts (user_id, notice_id, kind, actor_id, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, u.ID, n.ID, string(kind), actor, tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("record notice alert: %w", err)
		}
		opts := noticeAlertMailOpts
		if _, err := tx.Enqueue(ctx, notice.AlertMailArgs{AlertID: id}, &opts); err != nil {
			return err
		}
	}
	tx.waitingChanged(ctx, n.ID)
	return nil
}

// waitingChanged tells the dashboards, here and on the other replicas,
// that what waits for someone changed (their panel and the menu's count).
func (tx *Tx) waitingChanged(ctx context.Context, noticeID int64) {
	e := live.Event{Type: "waiting", ID: noticeID}
	if b := tx.store.live; b != nil {
		tx.AfterCommit(func() { b.Publish(live.DashboardTopic, e) })
	}
	if err := tx.notifyReplicas(ctx, live.DashboardTopic, e); err != nil {
		tx.store.log.Warn("live event not relayed to other replicas", "err", err)
	}
}

const noticeAlertColumns = `a.id, a.user_id, a.notice_id, COALESCE(n.crisis_id, 0), a.kind, COALESCE(a.actor_id, 0),
	COALESCE(u.display_name, ''), a.created_at, a.read_at`

const noticeAlertFrom = ` FROM notice_alerts a JOIN notices n ON n.id = a.notice_id LEFT JOIN users u ON u.id = a.actor_id`

func scanNoticeAlert(r rowScanner) (notice.StaffAlert, error) {
	var al notice.StaffAlert
	var kind string
	var read sql.NullTime
	if err := r.Scan(&al.ID, &al.UserID, &al.NoticeID, &al.CrisisID, &kind, &al.ActorID, &al.ActorName, &al.CreatedAt, &read); err != nil {
		return al, err
	}
	al.Kind, al.ReadAt, al.CreatedAt = notice.AlertKind(kind), timeOf(read), utc(al.CreatedAt)
	return al, nil
}

func (na *noticeAlerts) Alerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]notice.StaffAlert, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT ` + noticeAlertColumns + noticeAlertFrom + ` WHERE a.user_id = $1`
	if unreadOnly {
		q += ` AND a.read_at IS NULL`
	}
	rows, err := na.s.reader.QueryContext(ctx, q+` ORDER BY a.id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("list notice alerts: %w", err)
	}
	defer rows.Close()
	var out []notice.StaffAlert
	for rows.Next() {
		al, err := scanNoticeAlert(rows)
		if err != nil {
			return nil, fmt.Errorf("list notice alerts: %w", err)
		}
		out = append(out, al)
	}
	return out, rows.Err()
}

func (na *noticeAlerts) MarkAlertsRead(ctx context.Context, a authz.Actor, ids []int64) error {
	return na.s.InTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			// Only one's own alerts.
			if _, err := tx.Exec(ctx, `UPDATE notice_alerts SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL`,
				tx.Now, id, a.UserID); err != nil {
				return fmt.Errorf("mark notice alert read: %w", err)
			}
		}
		return nil
	})
}

// NoticeAlertMail is what the e-mail of one notice alert needs.
type NoticeAlertMail struct {
	Alert  notice.StaffAlert
	User   account.User  // whom it alerts, as the user is now
	Notice notice.Notice // the notice as it is now
	// Settled is true when the notice has moved on since the alert (a
	// submitted one decided or withdrawn, a returned one submitted
	// again): the e-mail would be news no more.
	Settled bool
}

// NoticeAlertMail reads a notice alert with its person and notice, for
// its e-mail job.
func (s *Store) NoticeAlertMail(ctx context.Context, alertID int64) (NoticeAlertMail, error) {
	var m NoticeAlertMail
	var err error
	m.Alert, err = scanNoticeAlert(s.reader.QueryRowContext(ctx, `SELECT `+noticeAlertColumns+noticeAlertFrom+` WHERE a.id = $1`, alertID))
	if err != nil {
		return m, notFound(err, "notice alert", alertID)
	}
	if m.User, err = userByID(ctx, s.reader, m.Alert.UserID); err != nil {
		return m, err
	}
	if m.Notice, err = s.Notices().Get(ctx, m.Alert.NoticeID); err != nil {
		return m, err
	}
	switch m.Alert.Kind {
	case notice.AlertSubmitted:
		m.Settled = m.Notice.Status != notice.Submitted
	case notice.AlertReturned:
		m.Settled = m.Notice.Status != notice.Draft
	}
	return m, nil
}
