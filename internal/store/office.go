package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/office"
)

// officeEvent is the live event of a saved profile: the public site
// renders again, and other replicas drop their copy.
const officeEvent = "office"

// officeTTL is how long a replica trusts its copy of the profile when no
// event tells it of a change (SQLite replicas share no broker).
const officeTTL = 30 * time.Second

// officeCache holds the profile, read at most once per officeTTL: it is
// asked for by every message rendered.
type officeCache struct {
	mu sync.Mutex
	p  *office.Profile
	at time.Time
}

func (c *officeCache) get(now time.Time) (office.Profile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.p == nil || now.Sub(c.at) > officeTTL || now.Before(c.at) {
		return office.Profile{}, false
	}
	return *c.p, true
}

func (c *officeCache) put(p office.Profile, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.p, c.at = &p, now
}

func (c *officeCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.p = nil
}

// Office returns the office profile service.
func (s *Store) Office() *Office { return &Office{s} }

// Office stores the office's profile (office.Service).
type Office struct{ s *Store }

var _ office.Service = (*Office)(nil)

// Profile returns the stored profile, or the defaults before any save.
func (o *Office) Profile(ctx context.Context) (office.Profile, error) {
	now := o.s.clock.Now()
	if p, ok := o.s.office.get(now); ok {
		return p, nil
	}
	p, err := scanOffice(o.s.reader.QueryRowContext(ctx, `SELECT body, logo, logo_type, version, updated_at FROM office_profile WHERE id = 1`))
	if err != nil {
		return office.Profile{}, err
	}
	o.s.office.put(p, now)
	return p, nil
}

func scanOffice(r rowScanner) (office.Profile, error) {
	var p office.Profile
	var body string
	var logo []byte
	err := r.Scan(&body, &logo, &p.LogoType, &p.Version, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return office.Profile{}, nil
	}
	if err != nil {
		return p, fmt.Errorf("read the office profile: %w", err)
	}
	version, at, typ := p.Version, p.UpdatedAt.UTC(), p.LogoType
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return p, fmt.Errorf("read the office profile: %w", err)
	}
	p.Logo, p.LogoType, p.Version, p.UpdatedAt = logo, typ, version, at
	return p, nil
}

// Save validates p and stores it if p.Version is the stored one; the
// audit trail records the change with the logo's size, not its bytes.
func (o *Office) Save(ctx context.Context, actor authz.Actor, p office.Profile) (office.Profile, error) {
	if err := authz.Require(actor, authz.ManageOffice); err != nil {
		return office.Profile{}, err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return office.Profile{}, err
	}
	var after office.Profile
	err := o.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanOffice(tx.QueryRow(ctx, `SELECT body, logo, logo_type, version, updated_at FROM office_profile WHERE id = 1`))
		if err != nil {
			return err
		}
		if before.Version != p.Version {
			return fault.New(fault.Conflict, "the office settings were changed by someone else since you opened them: reload and try again")
		}
		body := p
		body.Logo, body.LogoType, body.Version, body.UpdatedAt = nil, "", 0, time.Time{}
		js, err := json.Marshal(body)
		if err != nil {
			return err
		}
		var logo []byte
		if len(p.Logo) > 0 {
			logo = p.Logo
		}
		if _, err := tx.Exec(ctx, `INSERT INTO office_profile (id, body, logo, logo_type, version, updated_at)
			VALUES (1, $1, $2, $3, 1, $4)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body, logo = excluded.logo, logo_type = excluded.logo_type,
				version = office_profile.version + 1, updated_at = excluded.updated_at`,
			string(js), logo, p.LogoType, tx.Now); err != nil {
			return fmt.Errorf("save the office profile: %w", err)
		}
		if after, err = scanOffice(tx.QueryRow(ctx, `SELECT body, logo, logo_type, version, updated_at FROM office_profile WHERE id = 1`)); err != nil {
			return err
		}
		if err := tx.Audit(ctx, actor, "office.update", "office", "1", officeAudit(before), officeAudit(after)); err != nil {
			return err
		}
		saved := after
		tx.AfterCommit(func() { o.s.office.put(saved, o.s.clock.Now()) })
		return tx.publicChanged(ctx, officeEvent, 1)
	})
	return after, err
}

// officeAudit is the profile as the audit trail keeps it: the logo as
// its type and size.
func officeAudit(p office.Profile) any {
	p.UpdatedAt = time.Time{}
	logo := len(p.Logo)
	p.Logo = nil
	return struct {
		office.Profile
		LogoBytes int `json:"logo_bytes"`
	}{p, logo}
}
