package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/subscriber"
)

// Reach counts who notice id would reach were it published now, choosing
// as the fan-out does (fanoutStaff, fanoutSubscribers): registered
// webhooks for the audience, the chosen staff of an internal notice in
// the app and by e-mail, and for a real public notice the active
// subscribers of its category and area. It writes nothing.
func (ns *notices) Reach(ctx context.Context, id int64) (notice.Reach, error) {
	n, err := ns.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	db := ns.s.reader
	out := notice.Reach{}
	eps, err := queryAll(ctx, db, "webhooks", scanEndpoint, `SELECT `+endpointColumns+` FROM webhooks WHERE status = $1`,
		string(subscriber.EndpointActive))
	if err != nil {
		return nil, err
	}
	for _, e := range eps {
		if e.Receives(string(n.Audience), n.Exercise) {
			out[channel.Webhook]++
		}
	}
	switch {
	case n.Audience == notice.Internal:
		err = ns.reachStaff(ctx, n, out)
	case n.Audience == notice.Public && !n.Exercise:
		err = ns.reachSubscribers(ctx, n, out)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reachStaff counts the enabled users of an internal notice's departments
// and roles: each in the app, and by e-mail when they have an address.
func (ns *notices) reachStaff(ctx context.Context, n notice.Notice, out notice.Reach) error {
	var conds []string
	var args []any
	for _, dep := range n.Departments {
		args = append(args, dep)
		conds = append(conds, "department_id = $"+strconv.Itoa(len(args)))
	}
	for _, r := range n.Roles {
		args = append(args, string(r))
		conds = append(conds, "role = $"+strconv.Itoa(len(args)))
	}
	if len(conds) == 0 {
		return nil
	}
	var app, email int
	if err := ns.s.reader.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN email <> '' THEN 1 END) FROM users
		WHERE disabled = FALSE AND (`+strings.Join(conds, " OR ")+`)`, args...).Scan(&app, &email); err != nil {
		return fmt.Errorf("count internal recipients: %w", err)
	}
	out[channel.App] += app
	out[channel.Email] += email
	return nil
}

// reachSubscribers counts the active subscribers of a public notice's
// category: those without an area in the database, those with one here.
func (ns *notices) reachSubscribers(ctx context.Context, n notice.Notice, out notice.Reach) error {
	db := ns.s.reader
	category := ""
	if n.CrisisID != 0 {
		if err := db.QueryRowContext(ctx, `SELECT t.category FROM crises c JOIN crisis_types t ON t.id = c.type_id WHERE c.id = $1`,
			n.CrisisID).Scan(&category); err != nil {
			return fmt.Errorf("read the crisis category: %w", err)
		}
	}
	pattern := "%," + category + ",%"
	rows, err := db.QueryContext(ctx, `SELECT channel, COUNT(*) FROM subscribers
		WHERE status = $1 AND area_lat IS NULL AND district = '' AND (categories = '' OR $2 = '' OR categories LIKE $3)
		GROUP BY channel`, string(subscriber.Active), category, pattern)
	if err != nil {
		return fmt.Errorf("count subscribers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch string
		var count int
		if err := rows.Scan(&ch, &count); err != nil {
			return fmt.Errorf("count subscribers: %w", err)
		}
		out[ch] += count
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count subscribers: %w", err)
	}
	located, err := queryAll(ctx, db, "subscribers", scanSubscriber, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE status = $1 AND (area_lat IS NOT NULL OR district <> '') AND (categories = '' OR $2 = '' OR categories LIKE $3)`,
		string(subscriber.Active), category, pattern)
	if err != nil {
		return err
	}
	for _, s := range located {
		if s.Area.Covers(n.CAP.Area) {
			out[s.Channel]++
		}
	}
	return nil
}
