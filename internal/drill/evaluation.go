package drill

import (
	"bytes"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Rating is the HSEEP rating of an objective's performance.
type Rating string

// The HSEEP scale, best first.
const (
	Performed       Rating = "performed"        // P: performed without challenges
	SomeChallenges  Rating = "some_challenges"  // S: performed with some challenges
	MajorChallenges Rating = "major_challenges" // M: performed with major challenges
	Unable          Rating = "unable"           // U: unable to be performed
)

// Ratings lists the scale, best first.
var Ratings = []Rating{Performed, SomeChallenges, MajorChallenges, Unable}

// worse reports whether r is worse than s on the scale.
func (r Rating) worse(s Rating) bool { return slices.Index(Ratings, r) > slices.Index(Ratings, s) }

// Observation is one timestamped note of an observer against an
// objective's evaluation guide.
type Observation struct {
	ID         int64
	DrillID    int64
	Objective  int // index into the drill's objectives
	ObserverID int64
	Observer   string
	Rating     Rating
	Notes      string
	At         time.Time
	// The photo, if one was taken: its name, type and size here; its
	// bytes in Photo only on the way in (and from ObservationPhoto).
	PhotoName string
	PhotoType string
	PhotoSize int
	Photo     []byte
}

// MaxPhoto is the largest photo an observation takes: a phone's picture.
const MaxPhoto = 8 << 20

// photoTypes are the images an observation takes, by their bytes.
var photoTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

// imageType names the image o's bytes hold by their signature, "" when
// they hold none of photoTypes.
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "image/gif"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "image/webp"
	}
	return ""
}

// HasPhoto reports whether the observation carries a photo.
func (o Observation) HasPhoto() bool { return o.PhotoSize > 0 }

// Observe checks an observation by a on drill d at now: only an observer
// or evaluator named on the drill records one, while the drill runs or
// after it ended and before its report is approved.
func Observe(d Drill, a authz.Actor, now time.Time, o Observation) (Observation, error) {
	if err := authz.Require(a, authz.ObserveDrill); err != nil {
		return o, err
	}
	if !d.IsObserver(a.UserID) && !d.IsEvaluator(a.UserID) {
		return o, fault.New(fault.Forbidden, "you are not an observer or evaluator of this drill")
	}
	if d.State != Running && d.State != Ended {
		return o, fault.New(fault.Conflict, "observations are recorded while the drill runs or before its report is approved; this drill is %s", d.State)
	}
	o.Notes = strings.TrimSpace(plaintext.Normalize(o.Notes))
	var f fault.Fields
	if o.Objective < 0 || o.Objective >= len(d.Objectives) {
		f.Add("objective", "choose one of the drill's objectives")
	}
	if !slices.Contains(Ratings, o.Rating) {
		f.Add("rating", "choose a rating on the HSEEP scale")
	}
	if utf8.RuneCountInString(o.Notes) > 5000 {
		f.Add("notes", "at most 5000 characters")
	}
	plaintext.Check(&f, "notes", o.Notes)
	if len(o.Photo) > 0 {
		// The type is what the bytes are, not what the phone said.
		o.PhotoType = imageType(o.Photo)
		switch {
		case len(o.Photo) > MaxPhoto:
			f.Add("photo", "at most 8 MB")
		case !slices.Contains(photoTypes, o.PhotoType):
			f.Add("photo", "a JPEG, PNG, GIF or WebP image")
		}
		o.PhotoName = strings.TrimSpace(plaintext.Normalize(o.PhotoName))
		if o.PhotoName == "" || utf8.RuneCountInString(o.PhotoName) > 200 {
			o.PhotoName = "photo"
		}
		o.PhotoSize = len(o.Photo)
	} else {
		o.PhotoName, o.PhotoType, o.PhotoSize = "", "", 0
	}
	if err := f.Err(); err != nil {
		return o, err
	}
	o.DrillID, o.ObserverID, o.Observer, o.At = d.ID, a.UserID, a.Name, now
	return o, nil
}

// SeesObservations reports whether a sees drill d's observations: they
// are private to its evaluators (and each observer's own) until the
// drill ends.
func SeesObservations(d Drill, a authz.Actor) bool {
	switch d.State {
	case Planned, Ready, Running:
		return d.IsEvaluator(a.UserID)
	}
	return authz.Can(a.Role, authz.ViewDrills)
}

// ReportClock names the seven-day clock of a drill's after-action report,
// kept on its exercise crisis with the alerts of any clock.
const ReportClock = "drill_report"

// ObjectiveRating is an objective's rating in the report.
type ObjectiveRating struct {
	Objective string `json:"objective"`
	Rating    Rating `json:"rating,omitempty"` // "" when nobody rated it
	Notes     string `json:"notes,omitempty"`
}

// ClockResult is a clock of the exercise crisis as the report shows it.
type ClockResult struct {
	Name  string    `json:"name"`
	Due   time.Time `json:"due"`
	Met   time.Time `json:"met,omitzero"`
	State string    `json:"state"` // met, overdue, pending
}

// Report is the after-action report (AAR) of a drill: what went well,
// what to improve, the ratings per objective, the clocks met and missed,
// the injects and the timeline's count of actions.
type Report struct {
	DrillID      int64
	Summary      string
	Strengths    []string
	Improvements []string
	Ratings      []ObjectiveRating
	Clocks       []ClockResult
	Injects      int // delivered
	Skipped      int
	Actions      int // human entries on the exercise crisis's timeline
	AuthorID     int64
	ApprovedBy   int64
	ApprovedAt   time.Time
	UpdatedAt    time.Time
	Lock         int64
}

// Draft makes the report's first draft from what the drill recorded.
func Draft(d Drill, obs []Observation, clocks []ClockResult, injects []Inject, actions int, author int64) Report {
	r := Report{DrillID: d.ID, AuthorID: author, Clocks: clocks, Actions: actions, Strengths: []string{}, Improvements: []string{}}
	for _, i := range injects {
		switch i.State {
		case InjectDelivered:
			r.Injects++
		case InjectSkipped:
			r.Skipped++
		}
	}
	for n, o := range d.Objectives {
		or := ObjectiveRating{Objective: o.Text}
		var notes []string
		for _, ob := range obs {
			if ob.Objective != n {
				continue
			}
			if or.Rating == "" || ob.Rating.worse(or.Rating) {
				or.Rating = ob.Rating
			}
			if ob.Notes == "" {
				continue
			}
			notes = append(notes, ob.Notes)
			if ob.Rating == Performed {
				r.Strengths = append(r.Strengths, o.Text+": "+ob.Notes)
			} else {
				r.Improvements = append(r.Improvements, o.Text+": "+ob.Notes)
			}
		}
		or.Notes = strings.Join(notes, "\n")
		r.Ratings = append(r.Ratings, or)
	}
	for _, c := range clocks {
		if c.State == "overdue" {
			r.Improvements = append(r.Improvements, "Clock "+c.Name+" was missed")
		}
	}
	return r
}

// EditReport applies an evaluator's changes to a draft report.
func EditReport(d Drill, r Report, a authz.Actor, now time.Time, summary string, strengths, improvements []string) (Report, error) {
	if err := authz.Require(a, authz.EvaluateDrill); err != nil {
		return r, err
	}
	if !d.IsEvaluator(a.UserID) {
		return r, fault.New(fault.Forbidden, "only the drill's evaluators edit its report")
	}
	if d.State != Ended {
		return r, fault.New(fault.Conflict, "the report is edited after the drill ends and before it is approved; this drill is %s", d.State)
	}
	r.Summary, r.Strengths, r.Improvements = text(summary), texts(strengths), texts(improvements)
	var f fault.Fields
	plaintext.Check(&f, "summary", r.Summary)
	if utf8.RuneCountInString(r.Summary) > MaxText {
		f.Add("summary", "at most %d characters", MaxText)
	}
	if err := f.Err(); err != nil {
		return r, err
	}
	r.AuthorID, r.UpdatedAt = a.UserID, now
	return r, nil
}

// ApproveReport signs the report; its author (the evaluator who last
// wrote it) never approves it. The drill is then evaluated.
func ApproveReport(d Drill, r Report, a authz.Actor, now time.Time) (Drill, Report, error) {
	if a.UserID != 0 && a.UserID == r.AuthorID {
		return d, r, fault.New(fault.Forbidden, "the report's author cannot approve it: ask another approver")
	}
	if r.Summary == "" {
		return d, r, fault.Field("summary", "write the report's summary before it is approved")
	}
	out, err := Evaluate(d, a, now)
	if err != nil {
		return d, r, err
	}
	r.ApprovedBy, r.ApprovedAt, r.UpdatedAt = a.UserID, now, now
	return out, r, nil
}
