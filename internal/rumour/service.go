package rumour

import (
	"context"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
)

// Service keeps the register. Every change is checked against the
// permission matrix and audited in the same transaction.
//
// Errors: invalid (field), not_found, conflict (stale lock, answered
// twice), forbidden (role).
type Service interface {
	Create(ctx context.Context, a authz.Actor, in Input) (Rumour, error)
	// Save changes a rumour; lock must match.
	Save(ctx context.Context, a authz.Actor, id, lock int64, in Input) (Rumour, error)
	// AddSighting records where the rumour was seen, with an optional
	// screenshot. A sighting before the rumour's first seen moves it back.
	AddSighting(ctx context.Context, a authz.Actor, rumourID int64, s Sighting, img *Image) (Sighting, error)
	// Image returns a sighting's screenshot.
	Image(ctx context.Context, sightingID int64) (Sighting, []byte, error)
	// Answer starts the clarification: a draft notice with contents
	// (Prefill writes them from the claim and the facts), linked to the
	// rumour, which then goes through the notices' normal approval path.
	// Publishing it clarifies the rumour.
	Answer(ctx context.Context, a authz.Actor, id int64, contents []notice.Content) (Rumour, notice.Notice, error)
	Get(ctx context.Context, id int64) (Rumour, error)
	List(ctx context.Context, f Filter) ([]Rumour, int, error)
	// ByNotice returns the rumour a clarification notice answers.
	ByNotice(ctx context.Context, noticeID int64) (Rumour, error)
	// Clarifications lists the published clarifications, newest first.
	Clarifications(ctx context.Context, limit int) ([]Clarification, error)
}

// Translate is a message catalogue for one language: the key's text with
// name–value args.
type Translate func(lang, key string, args ...any) string

// Prefill writes the clarification notice of r in each language: the
// headline names the claim, the body gives the verdict and the facts.
// The claim and the facts are as the office wrote them; the words around
// them are the catalogue's.
func Prefill(r Rumour, langs []string, t Translate) []notice.Content {
	out := make([]notice.Content, 0, len(langs))
	claim := oneLine(r.Claim)
	if n := []rune(claim); len(n) > 80 {
		claim = string(n[:79]) + "…"
	}
	for _, l := range langs {
		out = append(out, notice.Content{Language: l,
			Headline: t(l, "rumour.notice.headline", "Claim", claim),
			Body: t(l, "rumour.notice.body", "Claim", r.Claim, "Verdict", t(l, "rumour.verdict."+string(r.Verdict)),
				"Facts", r.Facts)})
	}
	return out
}

// CAP are the CAP fields a clarification starts with: an update that
// needs no action, which the editor may change.
func CAP(event string) notice.CAPInfo {
	if strings.TrimSpace(event) == "" {
		event = "Clarification"
	}
	return notice.CAPInfo{Event: event, Category: "Other", Urgency: "Past", Severity: "Minor", Certainty: "Observed"}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
