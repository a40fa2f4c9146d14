// Package ical writes iCalendar (RFC 5545) documents: a VCALENDAR of
// VEVENTs with CRLF line ends, text escaped and long lines folded at 75
// octets without splitting a UTF-8 character. Times are UTC.
package ical

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ContentType is the media type of an iCalendar document.
const ContentType = "text/calendar; charset=utf-8"

// Event is one VEVENT.
type Event struct {
	UID         string // globally unique, e.g. "drill-7@crisisdesk"
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	Updated     time.Time // DTSTAMP
	// RRule repeats the event (an RFC 5545 RRULE value such as
	// "FREQ=WEEKLY;BYDAY=TU"); TZID, when set with it, names the zone the
	// repetition follows, so a weekly meeting keeps its local time across
	// a change of offset. Start and End are then written in that zone.
	RRule string
	TZID  string
	// Organizer and Attendees make the event an invitation (METHOD:REQUEST).
	Organizer *Person
	Attendees []Person
	Sequence  int // raised each time an invitation is changed
}

// Person is an organiser or attendee of an invitation.
type Person struct {
	Name  string
	Email string
}

// Calendar is a VCALENDAR: its name and events.
type Calendar struct {
	Name   string
	Events []Event
	// Method is the iTIP method: "PUBLISH" (the default) for a feed,
	// "REQUEST" for an invitation sent by e-mail.
	Method string
	// Zone is the VTIMEZONE to write for events with a TZID: a fixed
	// offset only (the office's zone has no daylight saving); nil for none.
	Zone *time.Location
}

const (
	stamp      = "20060102T150405Z"
	localStamp = "20060102T150405"
)

// cn is a CN parameter: a quoted string, with the characters a quoted
// parameter cannot hold (double quotes, control characters) left out.
func cn(name string) string {
	if name == "" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	return `;CN="` + name + `"`
}

// writeZone writes a VTIMEZONE for a zone with one fixed offset.
func writeZone(line func(name, value string), loc *time.Location) {
	_, off := time.Date(2000, 1, 1, 0, 0, 0, 0, loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	offset := fmt.Sprintf("%s%02d%02d", sign, off/3600, off%3600/60)
	line("BEGIN", "VTIMEZONE")
	line("TZID", loc.String())
	line("BEGIN", "STANDARD")
	line("DTSTART", "19700101T000000")
	line("TZOFFSETFROM", offset)
	line("TZOFFSETTO", offset)
	line("END", "STANDARD")
	line("END", "VTIMEZONE")
}

// Write writes c to w.
func Write(w io.Writer, c Calendar) error {
	var b bytes.Buffer
	line := func(name, value string) { fold(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//crisisdesk//drills//EN")
	line("CALSCALE", "GREGORIAN")
	method := c.Method
	if method == "" {
		method = "PUBLISH"
	}
	line("METHOD", method)
	if c.Name != "" {
		line("X-WR-CALNAME", escape(c.Name))
	}
	if c.Zone != nil {
		writeZone(line, c.Zone)
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", escape(e.UID))
		line("DTSTAMP", e.Updated.UTC().Format(stamp))
		end := e.End
		if !end.After(e.Start) {
			end = e.Start.Add(time.Hour)
		}
		if e.TZID != "" && c.Zone != nil {
			line("DTSTART;TZID="+e.TZID, e.Start.In(c.Zone).Format(localStamp))
			line("DTEND;TZID="+e.TZID, end.In(c.Zone).Format(localStamp))
		} else {
			line("DTSTART", e.Start.UTC().Format(stamp))
			line("DTEND", end.UTC().Format(stamp))
		}
		if e.RRule != "" {
			line("RRULE", e.RRule)
		}
		if e.Sequence > 0 || e.Organizer != nil {
			line("SEQUENCE", strconv.Itoa(e.Sequence))
		}
		line("SUMMARY", escape(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", escape(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", escape(e.Location))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		if e.Organizer != nil {
			line("ORGANIZER"+cn(e.Organizer.Name), "mailto:"+e.Organizer.Email)
		}
		for _, p := range e.Attendees {
			line("ATTENDEE"+cn(p.Name)+";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE", "mailto:"+p.Email)
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	_, err := w.Write(b.Bytes())
	return err
}

// escape writes text as RFC 5545 TEXT: backslash, semicolon, comma and
// line breaks escaped.
func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold writes a content line, folded so that no line exceeds 75 octets:
// each continuation starts with a space.
func fold(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
