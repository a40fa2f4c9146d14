package crises

import (
	"context"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
)

// Attachment describes a file added to a timeline entry.
type Attachment struct {
	Name string `json:"name"`
	Type string `json:"type" doc:"Its media type"`
	Size int64  `json:"size" doc:"In bytes"`
}

// Entry is one line of a crisis's append-only timeline.
type Entry struct {
	ID         int64             `json:"id"`
	CrisisID   int64             `json:"crisis_id"`
	At         time.Time         `json:"at"`
	Kind       string            `json:"kind" enum:"system,human" doc:"Written by crisisdesk or by a person"`
	Event      string            `json:"event" doc:"For system entries: declared, activated, level, task_done, recovering, closed…"`
	ActorID    int64             `json:"actor_id" doc:"0 for the system"`
	Actor      string            `json:"actor"`
	Text       string            `json:"text" doc:"A person's words, or a system entry's text in the caller's language (Accept-Language)"`
	Key        string            `json:"key,omitempty" doc:"For system entries: the message key of the text"`
	Args       map[string]string `json:"args,omitempty" doc:"For system entries: the message's arguments"`
	Attachment *Attachment       `json:"attachment" doc:"null when there is none"`
}

// toEntry returns e for the API, a system entry's text rendered by tr.
func toEntry(tr i18n.Translator, e crisis.Entry) Entry {
	out := Entry{ID: e.ID, CrisisID: e.CrisisID, At: e.At, Kind: string(e.Kind), Event: e.Event,
		ActorID: e.ActorID, Actor: e.Actor, Text: e.Text, Key: e.Msg.Key, Args: e.Msg.Args}
	if e.Msg.Key != "" {
		out.Text = tr.Msg(e.Msg.Key, e.Msg.Args)
	}
	if e.AttachmentName != "" {
		out.Attachment = &Attachment{Name: e.AttachmentName, Type: e.AttachmentType, Size: e.AttachmentSize}
	}
	return out
}

// timelineInput is the timeline's query, with the language its system
// texts are rendered in.
type timelineInput struct {
	ID int64 `path:"id"`
	kit.Page
	AcceptLanguage string `header:"Accept-Language" doc:"The language of system entries' text: zh-Hant, zh-Hans or en"`
}

func (r *Room) listTimeline(ctx context.Context, in *timelineInput) (*kit.ListOutput[Entry], error) {
	if _, err := r.Crises.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	entries, err := r.Crises.Timeline(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	tr := r.Catalog.For(i18n.Negotiate("", in.AcceptLanguage))
	return kit.NewList(crisisPath(in.ID, "timeline"), nil, in.Page, kit.Window(entries, in.Page), len(entries),
		func(e crisis.Entry) Entry { return toEntry(tr, e) }), nil
}

// note is the body of a human timeline entry.
type note struct {
	Text string `json:"text" doc:"What happened; at most 5000 characters"`
}

type addNoteInput struct {
	ID   int64 `path:"id"`
	Body note
}

type entryOutput struct {
	Body Entry
}

func (r *Room) addNote(ctx context.Context, in *addNoteInput) (*entryOutput, error) {
	e, err := r.Crises.AddNote(ctx, kit.Actor(ctx), in.ID, in.Body.Text, nil)
	if err != nil {
		return nil, err
	}
	return &entryOutput{Body: toEntry(i18n.Translator{}, e)}, nil
}
