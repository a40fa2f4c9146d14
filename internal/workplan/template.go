package workplan

import "time"

// TemplateTask is one task of the plan's template, placed in days from
// the programme's start.
type TemplateTask struct {
	Key        string
	Parent     string // the key of its task, "" for a task
	FromDay    int
	Days       int
	Importance Importance
	DependsOn  []string
}

// Template is the plan's own five key tasks and their ten sub-tasks: the
// release platform and templates, the plans, the team and its training,
// the drills, and the evaluation. Their titles, resources and expected
// outcomes are the catalogues' ("workplan.tpl.KEY.title" and so on), in
// each reader's language.
var Template = []TemplateTask{
	{Key: "release", FromDay: 0, Days: 60, Importance: Critical},
	{Key: "release.platform", Parent: "release", FromDay: 0, Days: 30, Importance: Critical},
	{Key: "release.templates", Parent: "release", FromDay: 20, Days: 40, Importance: High, DependsOn: []string{"release.platform"}},
	{Key: "plans", FromDay: 0, Days: 90, Importance: Critical},
	{Key: "plans.write", Parent: "plans", FromDay: 0, Days: 60, Importance: Critical},
	{Key: "plans.sign", Parent: "plans", FromDay: 60, Days: 30, Importance: High, DependsOn: []string{"plans.write"}},
	{Key: "team", FromDay: 30, Days: 90, Importance: High},
	{Key: "team.form", Parent: "team", FromDay: 30, Days: 30, Importance: High},
	{Key: "team.train", Parent: "team", FromDay: 60, Days: 60, Importance: High, DependsOn: []string{"team.form"}},
	{Key: "drills", FromDay: 120, Days: 90, Importance: High, DependsOn: []string{"plans", "team"}},
	{Key: "drills.tabletop", Parent: "drills", FromDay: 120, Days: 30, Importance: Medium},
	{Key: "drills.fullscale", Parent: "drills", FromDay: 150, Days: 60, Importance: High, DependsOn: []string{"drills.tabletop"}},
	{Key: "evaluation", FromDay: 210, Days: 60, Importance: Medium, DependsOn: []string{"drills"}},
	{Key: "evaluation.review", Parent: "evaluation", FromDay: 210, Days: 30, Importance: Medium},
	{Key: "evaluation.improve", Parent: "evaluation", FromDay: 240, Days: 30, Importance: Medium, DependsOn: []string{"evaluation.review"}},
}

// Dates are a template task's first and last day in a programme starting
// on start.
func (t TemplateTask) Dates(start time.Time) (first, last time.Time) {
	first = Day(start).AddDate(0, 0, t.FromDay)
	return first, first.AddDate(0, 0, t.Days-1)
}
