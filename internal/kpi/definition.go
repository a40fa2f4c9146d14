// Package kpi holds the office's evaluation figures: each one defined once
// in writing and versioned (a change of definition is a new dated version,
// the old one kept), computed from the crises, clocks, notices, audits,
// drills and deliveries of a period, with exercise data as its own series.
// A report stores the figures it computed with the versions it used, so
// that a later change of definition never changes an old report.
package kpi

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Key names a figure.
type Key string

// The figures of the plan's evaluation.
const (
	ResponseTime  Key = "response_time"  // occurrence → plan activation
	FirstNotice   Key = "first_notice"   // occurrence → first public notice
	ClockOnTime   Key = "clock_on_time"  // share of clocks met by their due time, per kind
	Accuracy      Key = "accuracy"       // factual corrections per published notice; internal audit
	DrillEffect   Key = "drill"          // problems found, actions closed on time, objectives performed
	DeliveryReach Key = "delivery_reach" // share of recipients reached; time to 95 %
	Satisfaction  Key = "satisfaction"   // from surveys (a pluggable source)
	RumourClarify Key = "rumour_clarify" // rumour time-to-clarify (a pluggable source)
)

// Keys lists the figures in the order reports show them.
var Keys = []Key{ResponseTime, FirstNotice, ClockOnTime, Accuracy, DrillEffect, DeliveryReach, Satisfaction, RumourClarify}

// Statistic is how a set of durations is summed up.
type Statistic string

// The statistics a definition may choose.
const (
	Median Statistic = "median"
	Mean   Statistic = "mean"
	P90    Statistic = "p90"
)

// Statistics lists them.
var Statistics = []Statistic{Median, Mean, P90}

// Definition is one dated version of a figure's written definition.
type Definition struct {
	Key       Key
	Version   int       // 1, 2, … per key; given by the store
	ValidFrom time.Time // the date from which it applies; required
	Formula   string    // the written formula; required
	Notes     string    // what changed and why
	Statistic Statistic // for durations: median, mean or p90
	Target    int       // the line: minutes for a duration (30 for first notice), a percentage for reach
	AuthorID  int64
	CreatedAt time.Time
}

// Validate refuses a definition without a formula or a version date, of
// an unknown figure, or with a statistic or target out of range.
func (d Definition) Validate() error {
	var f fault.Fields
	if !slices.Contains(Keys, d.Key) {
		f.Add("key", "choose one of the figures")
	}
	formula := strings.TrimSpace(d.Formula)
	switch {
	case formula == "":
		f.Add("formula", "a definition needs its formula")
	case utf8.RuneCountInString(formula) > 2000:
		f.Add("formula", "at most 2000 characters")
	}
	plaintext.Check(&f, "formula", formula)
	if utf8.RuneCountInString(d.Notes) > 2000 {
		f.Add("notes", "at most 2000 characters")
	}
	if d.ValidFrom.IsZero() {
		f.Add("valid_from", "a definition needs the date its version applies from")
	}
	if d.Statistic != "" && !slices.Contains(Statistics, d.Statistic) {
		f.Add("statistic", "choose median, mean or p90")
	}
	if d.Target < 0 || d.Target > 100000 {
		f.Add("target", "between 0 and 100000")
	}
	return f.Err()
}

// Normalize trims a definition's text and fills the statistic.
func (d Definition) Normalize() Definition {
	d.Formula = strings.TrimSpace(plaintext.Normalize(d.Formula))
	d.Notes = strings.TrimSpace(plaintext.Normalize(d.Notes))
	if d.Statistic == "" {
		d.Statistic = Median
	}
	d.ValidFrom = time.Date(d.ValidFrom.Year(), d.ValidFrom.Month(), d.ValidFrom.Day(), 0, 0, 0, 0, time.UTC)
	return d
}

// Origin is the date of the definitions crisisdesk ships with.
var Origin = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Defaults are version 1 of each figure, as the plan words them; the store
// writes them on first use, so that every report names a stored version.
func Defaults() []Definition {
	d := func(k Key, st Statistic, target int, formula string) Definition {
		return Definition{Key: k, Version: 1, ValidFrom: Origin, Statistic: st, Target: target, Formula: formula}
	}
	return []Definition{
		d(ResponseTime, Median, 24*60, "median over the period's crises of (plan activated at − occurred at), in minutes; target: within 24 hours"),
		d(FirstNotice, Median, 30, "median over the period's crises of (first public notice published at − occurred at), in minutes; share within 30 minutes"),
		d(ClockOnTime, Median, 0, "for each clock kind: clocks met by their due time ÷ clocks that came due (met or expired; cancelled ones left out)"),
		d(Accuracy, Median, 0, "published public notices corrected for a factual error ÷ published public notices; internal audit: samples found accurate ÷ samples checked; confirmed error reports from questions"),
		d(DrillEffect, Median, 0, "problems found (areas for improvement); actions closed on time ÷ actions; objectives rated performed without challenges ÷ objectives rated"),
		d(DeliveryReach, Median, 95, "recipients reached ÷ recipients of the period's published notices; median time from publication to 95 % of recipients reached, in minutes"),
		d(Satisfaction, Mean, 0, "mean satisfaction score of the surveys answered within a month of a crisis"),
		d(RumourClarify, Median, 0, "median time from a rumour's first report to its published clarification, in minutes"),
	}
}

// Set is the version of each figure a computation uses.
type Set map[Key]Definition

// Current picks, for each key, the newest version valid at t from all
// the stored versions.
func Current(all []Definition, t time.Time) Set {
	s := Set{}
	for _, d := range all {
		if d.ValidFrom.After(t) {
			continue
		}
		if old, ok := s[d.Key]; !ok || d.Version > old.Version {
			s[d.Key] = d
		}
	}
	return s
}

// Complete reports whether the set has a version of every figure.
func (s Set) Complete() bool {
	for _, k := range Keys {
		if _, ok := s[k]; !ok {
			return false
		}
	}
	return true
}
