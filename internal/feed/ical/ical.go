// Package ical writes iCalendar (RFC 5545) documents: a VCALENDAR of
// VEVENTs with CRLF line ends, text escaped and long lines folded at 75
// octets without splitting a UTF-8 character. Times are UTC.
package ical

import (
	"bytes"
	"io"
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
}

// Calendar is a VCALENDAR: its name and events.
type Calendar struct {
	Name   string
	Events []Event
}

const stamp = "20060102T150405Z"

// Write writes c to w.
func Write(w io.Writer, c Calendar) error {
	var b bytes.Buffer
	line := func(name, value string) { fold(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//crisisdesk//drills//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", escape(c.Name))
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", escape(e.UID))
		line("DTSTAMP", e.Updated.UTC().Format(stamp))
		line("DTSTART", e.Start.UTC().Format(stamp))
		end := e.End
		if !end.After(e.Start) {
			end = e.Start.Add(time.Hour)
		}
		line("DTEND", end.UTC().Format(stamp))
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
