// Package capnotice converts between crisisdesk notices and CAP 1.2 alerts:
// ToCAP writes a published notice as the message aggregators poll, and
// FromCAP reads an upstream agency's message into a draft for an editor.
//
// Decisions on import (FromCAP):
//   - Only status Actual and Exercise are imported; Test, System and Draft
//     messages are not public information and are refused.
//   - msgType Alert, Update and Cancel all become a draft of kind alert: a
//     crisisdesk correction or cancellation must reference a crisisdesk
//     notice, and the upstream message it updates or cancels is not one.
//     The editor words the draft ("the weather bureau has lifted …").
//     Ack and Error are refused: they say nothing to the public.
//   - A message without <info> (a bare Cancel) becomes an English draft that
//     names the messages it withdraws, with CAP fields Other/Unknown for the
//     editor to set.
//   - Line breaks are written as "\n" (plaintext.Normalize: CRLF, CR, NEL,
//     U+2028, U+2029), and as a space in the headline, the event and
//     geocodes, which are one line. A text that still holds a character crisisdesk
//     cannot publish (a C1 control or DEL, which XML itself allows) is
//     refused, naming its element, e.g. info[0].description.
package capnotice

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/cap"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plaintext"
)

// ExerciseNote is the <note> of every drill's message, which CAP requires
// with status Exercise.
const ExerciseNote = "EXERCISE 演練: a crisisdesk drill, not a real emergency"

// maxChain bounds how far ToCAP follows references back.
const maxChain = 100

// Identifier is the CAP identifier of notice id: stable, so a notice's
// message and every reference to it agree.
func Identifier(prefix string, id int64) string {
	return prefix + "-" + strconv.FormatInt(id, 10)
}

// ToCAP writes published notice n as a CAP 1.2 alert from sender: one
// <info> per language, status Exercise (with a note) for drills, msgType
// Alert for a first word, Update for a correction, an update that follows
// another notice or an all-clear, and Cancel for a cancellation. lookup
// reads the notices n follows, for <references>: every published notice of
// the chain back to the first, oldest first. The result passes
// cap.Validate; an error names what stops it.
func ToCAP(n notice.Notice, sender, identifierPrefix string, lookup func(id int64) (notice.Notice, error)) (cap.Alert, error) {
	if n.PublishedAt.IsZero() {
		return cap.Alert{}, fault.New(fault.Conflict, "notice %d is not published: it has no CAP message yet", n.ID)
	}
	a := cap.Alert{
		Identifier: Identifier(identifierPrefix, n.ID),
		Sender:     sender,
		Sent:       capTime(n.PublishedAt),
		Status:     "Actual",
		MsgType:    "Alert",
		Scope:      "Public",
	}
	if n.Exercise {
		a.Status, a.Note = "Exercise", ExerciseNote
	}
	if n.Audience != notice.Public {
		a.Scope, a.Restriction = "Restricted", "crisisdesk "+string(n.Audience)+" audience only"
	}
	refs, err := references(n, sender, identifierPrefix, lookup)
	if err != nil {
		return cap.Alert{}, err
	}
	a.References = cap.JoinReferences(refs...)
	switch {
	case n.Kind == notice.Cancellation:
		a.MsgType = "Cancel"
	case len(refs) > 0:
		a.MsgType = "Update"
	}
	for _, c := range n.Contents {
		a.Info = append(a.Info, info(n, c))
	}
	if err := cap.Validate(a); err != nil {
		return cap.Alert{}, err
	}
	return a, nil
}

// references follows n.References back to the first notice of the chain.
func references(n notice.Notice, sender, prefix string, lookup func(int64) (notice.Notice, error)) ([]cap.Reference, error) {
	var refs []cap.Reference
	seen := map[int64]bool{n.ID: true}
	for id := n.References; id != 0; {
		if seen[id] || len(refs) >= maxChain {
			return nil, fault.New(fault.Conflict, "notice %d: the references loop or run too deep at %d", n.ID, id)
		}
		seen[id] = true
		if lookup == nil {
			return nil, errors.New("capnotice: a follow-up needs lookup to reference its original")
		}
		r, err := lookup(id)
		if err != nil {
			return nil, fmt.Errorf("capnotice: notice %d references %d: %w", n.ID, id, err)
		}
		if r.PublishedAt.IsZero() {
			return nil, fault.New(fault.Conflict, "notice %d references notice %d, which is not published", n.ID, id)
		}
		refs = append(refs, cap.Reference{Sender: sender, Identifier: Identifier(prefix, r.ID),
			Sent: cap.FormatTime(capTime(r.PublishedAt))})
		id = r.References
	}
	slices.Reverse(refs)
	return refs, nil
}

// info is one language of n as a CAP <info>. Every text passes through
// plaintext.Clean: validation keeps characters that cannot be published
// out of notices, and this keeps a notice stored before that rule, or
// written around it, from making its CAP document fail for good.
func info(n notice.Notice, c notice.Content) cap.Info {
	clean := plaintext.Clean
	in := cap.Info{
		Language:    c.Language,
		Event:       clean(n.CAP.Event),
		Urgency:     n.CAP.Urgency,
		Severity:    n.CAP.Severity,
		Certainty:   n.CAP.Certainty,
		Effective:   capTime(n.CAP.Effective),
		Expires:     capTime(n.CAP.Expires),
		Headline:    clean(c.Headline),
		Description: clean(c.Body),
		Instruction: clean(c.Instruction),
		Contact:     clean(c.Contact),
	}
	if n.CAP.Category != "" {
		in.Category = []string{n.CAP.Category}
	}
	if n.Kind == notice.AllClear {
		in.ResponseType = []string{"AllClear"}
	}
	if ar := n.CAP.Area; !ar.Empty() {
		area := cap.Area{AreaDesc: clean(ar.Description), Polygon: slices.Clone(ar.Polygons), Circle: slices.Clone(ar.Circles)}
		for _, g := range ar.Geocodes {
			area.Geocode = append(area.Geocode, cap.ValueName{ValueName: clean(g.Name), Value: clean(g.Value)})
		}
		in.Area = []cap.Area{area}
	}
	return in
}

// capTime is t as CAP writes it: whole seconds in UTC, which FormatTime
// writes with -00:00. The zero time stays zero (absent).
func capTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// FromCAP reads an upstream agency's message as a draft notice for the
// public (see the package comment for what is refused and why): one
// content per language of its info blocks (the first block of each
// language; an absent language is en-US), the CAP fields and areas of the
// first block, Exercise from the status. A missing headline is the event,
// a headline longer than notice.MaxHeadline is shortened, and a missing
// description is the headline. Errors are fault.Invalid naming the CAP
// element.
func FromCAP(a cap.Alert) (notice.Notice, error) {
	n := notice.Notice{Kind: notice.Alert, Audience: notice.Public, Status: notice.Draft}
	switch a.Status {
	case "Actual":
	case "Exercise":
		n.Exercise = true
	default:
		return n, fault.Field("status", "a %s message is not public information: only Actual and Exercise messages are imported", a.Status)
	}
	switch a.MsgType {
	case "Alert", "Update", "Cancel":
	default:
		return n, fault.Field("msgType", "an %s message says nothing to the public: only Alert, Update and Cancel are imported", a.MsgType)
	}
	if len(a.Info) == 0 {
		return bare(n, a), nil
	}
	a.Info = normalizeInfo(a.Info)
	if err := checkInfo(a.Info); err != nil {
		return n, err
	}
	seen := map[string]bool{}
	for _, in := range a.Info {
		lang := in.Language
		if lang == "" {
			lang = "en-US"
		}
		if l, err := notice.OfficeLanguage(lang); err == nil {
			lang = l // zh-TW is zh-Hant, en-GB is en: the office's languages
		}
		if seen[lang] {
			continue
		}
		seen[lang] = true
		headline := strings.TrimSpace(in.Headline)
		if headline == "" {
			headline = strings.TrimSpace(in.Event)
		}
		headline = shorten(headline, notice.MaxHeadline)
		body := strings.TrimSpace(in.Description)
		if body == "" {
			body = headline
		}
		n.Contents = append(n.Contents, notice.Content{Language: lang, Headline: headline, Body: body,
			Instruction: strings.TrimSpace(in.Instruction), Contact: strings.TrimSpace(in.Contact)})
	}
	first := a.Info[0]
	n.CAP = notice.CAPInfo{Event: first.Event, Urgency: first.Urgency, Severity: first.Severity,
		Certainty: first.Certainty, Effective: utc(first.Effective), Expires: utc(first.Expires)}
	if len(first.Category) > 0 {
		n.CAP.Category = first.Category[0]
	}
	var descs []string
	for _, ar := range first.Area {
		if d := strings.TrimSpace(ar.AreaDesc); d != "" {
			descs = append(descs, d)
		}
		n.CAP.Area.Polygons = append(n.CAP.Area.Polygons, ar.Polygon...)
		n.CAP.Area.Circles = append(n.CAP.Area.Circles, ar.Circle...)
		for _, g := range ar.Geocode {
			n.CAP.Area.Geocodes = append(n.CAP.Area.Geocodes, notice.Geocode{Name: g.ValueName, Value: g.Value})
		}
	}
	n.CAP.Area.Description = strings.Join(descs, "; ")
	return n, nil
}

// normalizeInfo returns a copy of infos with their texts' line breaks
// written as "\n".
func normalizeInfo(infos []cap.Info) []cap.Info {
	out := slices.Clone(infos)
	for i := range out {
		in := &out[i]
		in.Event, in.Headline = oneLine(in.Event), oneLine(in.Headline)
		in.Description, in.Instruction = plaintext.Normalize(in.Description), plaintext.Normalize(in.Instruction)
		in.Contact = plaintext.Normalize(in.Contact)
		in.Area = slices.Clone(in.Area)
		for j := range in.Area {
			ar := &in.Area[j]
			ar.AreaDesc = plaintext.Normalize(ar.AreaDesc)
			ar.Geocode = slices.Clone(ar.Geocode)
			for k, g := range ar.Geocode {
				ar.Geocode[k] = cap.ValueName{ValueName: oneLine(g.ValueName), Value: oneLine(g.Value)}
			}
		}
	}
	return out
}

// oneLine is s with its line breaks, in any form, written as spaces: a
// headline, an event or a geocode is one line in a notice.
func oneLine(s string) string { return plaintext.OneLine(s) }

// checkInfo refuses the texts FromCAP keeps that hold a character that
// cannot be published, naming each element.
func checkInfo(infos []cap.Info) error {
	var f fault.Fields
	for i, in := range infos {
		at := "info[" + strconv.Itoa(i) + "]"
		for _, x := range []struct{ name, text string }{{"event", in.Event}, {"headline", in.Headline},
			{"description", in.Description}, {"instruction", in.Instruction}, {"contact", in.Contact}} {
			plaintext.Check(&f, at+"."+x.name, x.text)
		}
		for j, ar := range in.Area {
			aat := at + ".area[" + strconv.Itoa(j) + "]"
			plaintext.Check(&f, aat+".areaDesc", ar.AreaDesc)
			for k, g := range ar.Geocode {
				plaintext.Check(&f, aat+".geocode["+strconv.Itoa(k)+"]", g.ValueName+g.Value)
			}
		}
	}
	return f.Err()
}

// bare is the draft made from a message without <info>: a Cancel that
// only names what it withdraws.
func bare(n notice.Notice, a cap.Alert) notice.Notice {
	refs, _ := cap.ParseReferences(a.References) // validated by cap.Parse
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.Identifier + " (" + r.Sent + ")"
	}
	verb := map[string]string{"Alert": "issued", "Update": "updated", "Cancel": "cancelled"}[a.MsgType]
	body := fmt.Sprintf("%s %s message %s", a.Sender, verb, a.Identifier)
	if len(ids) > 0 {
		body += ", which refers to " + strings.Join(ids, ", ")
	}
	n.Contents = []notice.Content{{Language: "en",
		Headline: shorten(fmt.Sprintf("%s %s %s", a.Sender, verb, a.Identifier), notice.MaxHeadline),
		Body:     body + "."}}
	n.CAP = notice.CAPInfo{Event: "Upstream " + strings.ToLower(a.MsgType), Category: "Other",
		Urgency: "Unknown", Severity: "Unknown", Certainty: "Unknown"}
	return n
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// shorten cuts s to at most max runes, ending in "…" when cut.
func shorten(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// Draft is unpublished notice n as the CAP alert it would become if it
// were published at sent, for advice (cap.Lint) while it is written: one
// <info> per language, without references and unvalidated, since a draft
// may still lack what publishing needs.
func Draft(n notice.Notice, sent time.Time) cap.Alert {
	a := cap.Alert{Sent: capTime(sent), Status: "Actual", MsgType: "Alert", Scope: "Public"}
	if n.Exercise {
		a.Status = "Exercise"
	}
	for _, c := range n.Contents {
		a.Info = append(a.Info, info(n, c))
	}
	return a
}
