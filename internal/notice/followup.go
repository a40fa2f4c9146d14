package notice

import (
	"slices"
	"time"

	"crisisdesk/internal/fault"
)

// Follow-ups of a published notice. Each is a new draft that references the
// original and inherits its crisis, audience, recipients, CAP fields and
// exercise flag; it goes through the same review before it is published.
// The caller sets AuthorID (and the store the ID).

// NewCorrection starts a correction of orig for reason. With no contents it
// starts from the original's text, for the editor to change.
func NewCorrection(orig Notice, reason Reason, contents []Content, now time.Time) (Notice, error) {
	if err := canFollow(orig, Correction); err != nil {
		return Notice{}, err
	}
	if !reason.Valid() {
		return Notice{}, fault.Field("reason", "say why: factual, wording or new_information")
	}
	n := followUp(orig, Correction, contents, now)
	n.CorrectionReason = reason
	return n, nil
}

// NewCancellation starts the cancellation of orig; contents say why.
func NewCancellation(orig Notice, contents []Content, now time.Time) (Notice, error) {
	if err := canFollow(orig, Cancellation); err != nil {
		return Notice{}, err
	}
	return followUp(orig, Cancellation, contents, now), nil
}

// NewAllClear starts the all-clear that ends orig's warning. Its CAP
// urgency is Past and certainty Observed: the event is over.
func NewAllClear(orig Notice, contents []Content, now time.Time) (Notice, error) {
	if err := canFollow(orig, AllClear); err != nil {
		return Notice{}, err
	}
	n := followUp(orig, AllClear, contents, now)
	n.CAP.Urgency, n.CAP.Certainty = "Past", "Observed"
	return n, nil
}

func canFollow(orig Notice, k Kind) error {
	if orig.ID == 0 {
		return fault.Field("references", "name the notice this %s follows", k)
	}
	if orig.Status != Published {
		return fault.New(fault.Conflict, "only a published notice can have a %s; this one is %s", k, orig.Status)
	}
	if orig.Kind == Cancellation {
		return fault.New(fault.Conflict, "notice %d is a cancellation; nothing follows it", orig.ID)
	}
	return nil
}

func followUp(orig Notice, k Kind, contents []Content, now time.Time) Notice {
	if len(contents) == 0 {
		contents = orig.Contents
	}
	n := Notice{
		CrisisID:    orig.CrisisID,
		Kind:        k,
		Audience:    orig.Audience,
		Departments: slices.Clone(orig.Departments),
		Roles:       slices.Clone(orig.Roles),
		Experts:     orig.Experts,
		Status:      Draft,
		Exercise:    orig.Exercise,
		Contents:    slices.Clone(contents),
		CAP:         cloneCAP(orig.CAP),
		References:  orig.ID,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	Normalize(&n)
	return n
}

// Accuracy is the KPI helper for released information: of the published
// public notices given (the caller chooses the set: real ones, or one
// drill's), publicNotices counts the statements, that is every kind but
// correction, and factualCorrections how many of those were corrected at
// least once for a factual error, following chains of corrections back to
// the statement they began with.
func Accuracy(published []Notice) (factualCorrections, publicNotices int) {
	byID := map[int64]Notice{}
	for _, n := range published {
		if n.Status == Published && n.Audience == Public {
			byID[n.ID] = n
			if n.Kind != Correction {
				publicNotices++
			}
		}
	}
	corrected := map[int64]bool{}
	for _, n := range byID {
		if n.Kind != Correction || n.CorrectionReason != Factual {
			continue
		}
		root, ok := byID[n.References]
		for hops := 0; ok && root.Kind == Correction && hops < len(byID); hops++ {
			root, ok = byID[root.References]
		}
		if ok && root.Kind != Correction {
			corrected[root.ID] = true
		}
	}
	return len(corrected), publicNotices
}
