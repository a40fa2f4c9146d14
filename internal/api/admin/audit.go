package admin

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/audit"
)

// AuditEntry is one row of the audit trail as the API shows it.
type AuditEntry struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	ActorID  int64           `json:"actor_id" doc:"0 for the system or the command line"`
	Actor    string          `json:"actor" doc:"The actor's name at the time"`
	Source   string          `json:"source" doc:"ui, api, cli or system"`
	Action   string          `json:"action" doc:"e.g. user.create"`
	Entity   string          `json:"entity" doc:"e.g. user"`
	EntityID string          `json:"entity_id"`
	Before   json.RawMessage `json:"before" doc:"The state before; null for creations"`
	After    json.RawMessage `json:"after" doc:"The state after; null for deletions"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

func toAuditEntry(e audit.Entry) AuditEntry {
	return AuditEntry{Seq: e.Seq, At: e.At, ActorID: e.ActorID, Actor: e.Actor, Source: e.Source, Action: e.Action,
		Entity: e.Entity, EntityID: e.EntityID, Before: orNull(e.Before), After: orNull(e.After),
		PrevHash: e.PrevHash, Hash: e.Hash}
}

// orNull keeps an empty snapshot from encoding as invalid JSON.
func orNull(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	return raw
}

type listAuditInput struct {
	kit.Page
	Entity   string `query:"entity" doc:"Only entries about this kind of thing, e.g. user"`
	EntityID string `query:"entity_id" doc:"Only entries about this one thing; use with entity"`
	ActorID  int64  `query:"actor_id" minimum:"0" doc:"Only entries by this user"`
}

func (r *Room) listAudit(ctx context.Context, in *listAuditInput) (*kit.ListOutput[AuditEntry], error) {
	entries, total, err := r.Audit.List(ctx, audit.Filter{
		Entity: in.Entity, EntityID: in.EntityID, ActorID: in.ActorID, Offset: in.Offset, Limit: in.Limit,
	})
	if err != nil {
		return nil, err
	}
	filters := url.Values{"entity": {in.Entity}, "entity_id": {in.EntityID}}
	if in.ActorID != 0 {
		filters.Set("actor_id", strconv.FormatInt(in.ActorID, 10))
	}
	return kit.NewList("/audit", filters, in.Page, entries, total, toAuditEntry), nil
}
