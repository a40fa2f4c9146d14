package crises

import (
	"strings"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/crisisview"
	"crisisdesk/internal/web/kit"
)

// panelClocks are the clocks a crisis shows beside its tasks: activation,
// first notice and the latest period of each communication row. Task
// clocks show with their tasks.
func panelClocks(n *crisisview.Namer, c crisis.Crisis, now time.Time) []kit.ClockView {
	var out []kit.ClockView
	latest := map[string]int{}
	for _, k := range c.Clocks {
		if k.Kind == crisis.TaskClock {
			continue
		}
		v := kit.NewClockView(n.Name(c, k), k, now)
		v.LateAtStart = (k.Kind == crisis.ActivationClock || k.Kind == crisis.FirstNoticeClock) && !k.DueAt.After(c.DeclaredAt)
		if k.Kind == crisis.CadenceClock {
			if i, seen := latest[k.Ref]; seen {
				if k.ID > out[i].ID { // a newer period of the same row
					out[i] = v
				}
				continue
			}
			latest[k.Ref] = len(out)
		}
		out = append(out, v)
	}
	return out
}

// complianceView is one row of the communication matrix as kept so far.
type complianceView struct {
	Label                string
	Met, Late, Missed    int
	Running, Kept, Ended bool
}

// compliance shows, per row of the communication matrix, how many of its
// periods were met on time, met late or missed.
func compliance(n *crisisview.Namer, c crisis.Crisis, now time.Time) []complianceView {
	var out []complianceView
	for _, row := range crisis.CadenceCompliance(c.Clocks, now) {
		out = append(out, complianceView{Label: n.Name(c, row.Periods[0]), Met: row.Met, Late: row.Late,
			Missed: row.Missed, Running: row.Running, Kept: row.Kept()})
	}
	return out
}

// figure is one of the crisis's measures: how long something took from
// the clocks' start (the occurrence, else the detection) and, second,
// from the declaration; Done is false until it happened.
type figure struct {
	Key                      string // the measure's message key
	Done                     bool
	FromStart, FromDeclaring string
}

// figures are the crisis's time to activate and to its first public
// notice, in words.
func figures(tr i18n.Translator, c crisis.Crisis) []figure {
	return []figure{
		{Key: "figures.activate", Done: !c.ActivatedAt.IsZero(),
			FromStart: durationText(tr, c.TimeToActivate()), FromDeclaring: durationText(tr, c.ActivatedAfterDeclaration())},
		{Key: "figures.first_notice", Done: !c.FirstNoticeAt.IsZero(),
			FromStart: durationText(tr, c.TimeToFirstNotice()), FromDeclaring: durationText(tr, c.FirstNoticeAfterDeclaration())},
	}
}

// durationText says a duration in words, to the minute (i18n's words).
func durationText(tr i18n.Translator, d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return tr.Duration(d.Round(time.Minute))
}

// completesOn words the event that completes a task by itself.
func completesOn(tr i18n.Translator, e plan.Event) string {
	if aud, ok := strings.CutPrefix(string(e), string(plan.OnPublished)); ok {
		return tr.T("tasks.completes.notice_published", "Audience", tr.T("audience."+aud))
	}
	return tr.T("tasks.completes." + string(e))
}
