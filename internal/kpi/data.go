package kpi

import (
	"context"
	"time"
)

// Series keeps exercise data apart from real data: every figure is
// computed for each, and shown as its own series.
type Series string

// The two series.
const (
	Real     Series = "real"
	Exercise Series = "exercise"
)

// SeriesOf names the series of a fact.
func SeriesOf(exercise bool) Series {
	if exercise {
		return Exercise
	}
	return Real
}

// Crisis is what the figures read of a crisis.
type Crisis struct {
	ID            int64
	TypeID        int64
	Level         int
	PlanID        int64
	Exercise      bool
	OccurredAt    time.Time
	ActivatedAt   time.Time // zero when never activated
	FirstNoticeAt time.Time // zero when no public notice was published
}

// Clock is a clock that came due: a crisis clock (activation, first
// notice, cadence, task, drill report) or, through a ClockSource, any
// other deadline (feedback replies, reviews).
type Clock struct {
	CrisisID  int64
	PlanID    int64 // the crisis's plan; 0 when none
	TypeID    int64
	Level     int
	Kind      string
	Exercise  bool
	StartedAt time.Time
	DueAt     time.Time
	MetAt     time.Time // zero when not met
	Cancelled bool
}

// Notice is what the accuracy figure reads of a published notice.
type Notice struct {
	ID          int64
	CrisisID    int64
	TypeID      int64
	Level       int
	Exercise    bool
	Public      bool
	Correction  bool  // a correction notice
	Factual     bool  // a correction for a factual error
	References  int64 // the notice a correction corrects
	PublishedAt time.Time
}

// AuditSample is one published notice a reviewer checked against the
// facts in the internal audit.
type AuditSample struct {
	ID         int64
	NoticeID   int64
	Quarter    string // "2026-Q3"
	ReviewerID int64
	Accurate   bool
	Finding    string
	Exercise   bool
	TypeID     int64
	Level      int
	At         time.Time
}

// Drill is a drill's figures once its report exists.
type Drill struct {
	ID           int64
	TypeID       int64
	Level        int
	PlanID       int64
	EndedAt      time.Time
	Problems     int // areas for improvement found
	Actions      int
	ClosedOnTime int
	Rated        int // objectives rated
	Performed    int // rated "performed without challenges"
}

// Delivery is a published notice's reach.
type Delivery struct {
	NoticeID    int64
	TypeID      int64
	Level       int
	Exercise    bool
	PublishedAt time.Time
	Recipients  int
	Reached     int
	To95        time.Duration // publication → 95 % reached; 0 when never reached
}

// Data is everything a period's figures are computed from.
type Data struct {
	Crises     []Crisis
	Clocks     []Clock
	Notices    []Notice
	Audits     []AuditSample
	Drills     []Drill
	Deliveries []Delivery
	Plugged    map[Key]map[Series]Value // from the pluggable sources
}

// Scope is the period and the slice of crises a figure is computed for.
type Scope struct {
	From, To time.Time // [From, To)
	TypeID   int64     // 0: every type
	Level    int       // 0: every level
}

// has reports whether a fact of type, level at t falls in the scope.
func (s Scope) has(typeID int64, level int, t time.Time) bool {
	if s.TypeID != 0 && typeID != s.TypeID || s.Level != 0 && level != s.Level {
		return false
	}
	return !t.Before(s.From) && t.Before(s.To)
}

// Value is one measured number; NoData when there was nothing to measure.
type Value struct {
	Value  float64
	N      int
	NoData bool
}

// Source is a figure measured elsewhere (surveys, rumours, questions
// that reported an error): the lead plugs one in per figure once its
// area exists. A missing source reads as no data.
type Source interface {
	Measure(ctx context.Context, s Scope, series Series) (Value, error)
}

// ClockSource yields the clocks kept outside crisis_clocks (the generic
// deadlines of feedback replies, reviews and the like) for a scope.
type ClockSource interface {
	Clocks(ctx context.Context, s Scope) ([]Clock, error)
}

// NoSource is the source of a figure whose area is not built yet.
type NoSource struct{}

// Measure always answers no data.
func (NoSource) Measure(context.Context, Scope, Series) (Value, error) {
	return Value{NoData: true}, nil
}
