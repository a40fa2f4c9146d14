package crisis

import "time"

// Stage of a clock alert.
type Stage string

// Alert stages.
const (
	WarnStage    Stage = "warn"    // 80 % of the clock has run
	ExpiredStage Stage = "expired" // the clock ran out unmet
)

// Alert is an in-app message to a person about a clock running out; the
// same is sent by e-mail when a mail server is configured.
type Alert struct {
	ID        int64
	UserID    int64
	CrisisID  int64
	ClockName string
	Stage     Stage
	Text      string // in English; the UI renders its own words from the fields
	DueAt     time.Time
	CreatedAt time.Time
	ReadAt    time.Time
}
