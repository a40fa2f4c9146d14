package drills

import (
	"context"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

// injectState is where an inject stands.
type injectState string

// Schema lists the states.
func (injectState) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("pending until delivered at its time or fired early, or skipped", drill.InjectPending, drill.InjectDelivered, drill.InjectSkipped)
}

// InjectInput is a new inject: offset after the start, or at.
type InjectInput struct {
	Offset   string     `json:"offset,omitempty" doc:"After the drill's start: 10m, 1h30m, 00:10; or give at"`
	At       *time.Time `json:"at,omitempty" doc:"An absolute time inside the drill's window"`
	From     string     `json:"from" doc:"Who it is from: a simulated caller, the media, a department"`
	To       string     `json:"to" doc:"A role name (everyone on the drill with it) or a user's sign-in name"`
	Channel  string     `json:"channel,omitempty" enum:"app,email,sms" doc:"Default app"`
	Message  string     `json:"message"`
	Expected string     `json:"expected,omitempty" doc:"The action expected of the players"`
}

func (in InjectInput) domain() (drill.Inject, error) {
	i := drill.Inject{From: in.From, To: in.To, Channel: in.Channel, Message: in.Message, Expected: in.Expected}
	if in.At != nil {
		i.At = *in.At
	}
	if in.Offset != "" {
		d, err := drill.ParseOffset(in.Offset)
		if err != nil {
			return i, fault.Field("offset", "%v", err)
		}
		i.Relative, i.Offset = true, d
	}
	return i, nil
}

// Inject is an inject as the API shows it.
type Inject struct {
	ID      int64 `json:"id"`
	DrillID int64 `json:"drill_id"`
	Seq     int   `json:"seq"`
	InjectInput
	DueAt       time.Time   `json:"due_at" doc:"When it is delivered; moved on by pauses"`
	State       injectState `json:"state"`
	DeliveredAt *time.Time  `json:"delivered_at,omitempty"`
}

func toInject(i drill.Inject) Inject {
	in := InjectInput{From: i.From, To: i.To, Channel: i.Channel, Message: i.Message, Expected: i.Expected}
	if i.Relative {
		in.Offset = drill.FormatOffset(i.Offset)
	} else {
		in.At = kit.TimePtr(i.At)
	}
	return Inject{ID: i.ID, DrillID: i.DrillID, Seq: i.Seq, InjectInput: in, DueAt: i.DueAt, State: injectState(i.State),
		DeliveredAt: kit.TimePtr(i.DeliveredAt)}
}

type injectsOutput struct {
	Body struct {
		Items []Inject `json:"items" nullable:"false"`
	}
}

func (r *Room) listInjects(ctx context.Context, in *drillIDInput) (*injectsOutput, error) {
	if _, err := r.Drills.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	list, err := r.Drills.Injects(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &injectsOutput{}
	out.Body.Items = kit.Convert(list, toInject)
	if out.Body.Items == nil {
		out.Body.Items = []Inject{}
	}
	return out, nil
}

type addInjectInput struct {
	ID   int64 `path:"id"`
	Body InjectInput
}

type injectOutput struct {
	Body Inject
}

func (r *Room) addInject(ctx context.Context, in *addInjectInput) (*injectOutput, error) {
	i, err := in.Body.domain()
	if err != nil {
		return nil, err
	}
	return shownInject(r.Drills.AddInject(ctx, kit.Actor(ctx), in.ID, i))
}

func (r *Room) fireInject(ctx context.Context, in *drillIDInput) (*injectOutput, error) {
	return shownInject(r.Drills.FireInject(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) skipInject(ctx context.Context, in *drillIDInput) (*injectOutput, error) {
	return shownInject(r.Drills.SkipInject(ctx, kit.Actor(ctx), in.ID))
}

func shownInject(i drill.Inject, err error) (*injectOutput, error) {
	if err != nil {
		return nil, err
	}
	return &injectOutput{Body: toInject(i)}, nil
}

func (r *Room) pauseDrill(ctx context.Context, in *drillIDInput) (*drillOutput, error) {
	return shown(r.Drills.Pause(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) resumeDrill(ctx context.Context, in *drillIDInput) (*drillOutput, error) {
	return shown(r.Drills.Resume(ctx, kit.Actor(ctx), in.ID))
}
