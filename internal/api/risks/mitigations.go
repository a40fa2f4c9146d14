package risks

import (
	"context"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/risk"
)

// RiskMitigationInput is a new mitigation.
type RiskMitigationInput struct {
	Text    string    `json:"text"`
	OwnerID int64     `json:"owner_id"`
	Due     time.Time `json:"due"`
}

// MitigationExecution is one update of a mitigation.
type MitigationExecution struct {
	Status  string    `json:"status" enum:"planned,in_progress,done,dropped"`
	Note    string    `json:"note,omitempty"`
	ActorID int64     `json:"actor_id,omitempty"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

// RiskMitigation is an action that treats a risk.
type RiskMitigation struct {
	ID     int64  `json:"id"`
	RiskID int64  `json:"risk_id"`
	Key    string `json:"key,omitempty" doc:"A mitigation of the default register; its text is then in the catalogues"`
	RiskMitigationInput
	Status string                `json:"status" enum:"planned,in_progress,done,dropped"`
	Log    []MitigationExecution `json:"log" nullable:"false"`
	DoneAt *time.Time            `json:"done_at,omitempty"`
}

func toMitigation(m risk.Mitigation) RiskMitigation {
	out := RiskMitigation{ID: m.ID, RiskID: m.RiskID, Key: m.Key, RiskMitigationInput: RiskMitigationInput{Text: m.Text, OwnerID: m.OwnerID, Due: m.Due},
		Status: string(m.Status), Log: []MitigationExecution{}, DoneAt: kit.TimePtr(m.DoneAt)}
	for _, x := range m.Log {
		out.Log = append(out.Log, MitigationExecution{Status: string(x.Status), Note: x.Note, ActorID: x.ActorID, Actor: x.Actor, At: x.At})
	}
	return out
}

type mitigationsOutput struct {
	Body struct {
		Items []RiskMitigation `json:"items" nullable:"false"`
	}
}

func (r *Room) listMitigations(ctx context.Context, in *riskIDInput) (*mitigationsOutput, error) {
	if _, err := r.Risks.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	list, err := r.Risks.Mitigations(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &mitigationsOutput{}
	out.Body.Items = append([]RiskMitigation{}, kit.Convert(list, toMitigation)...)
	return out, nil
}

type addMitigationInput struct {
	ID   int64 `path:"id"`
	Body RiskMitigationInput
}

type mitigationOutput struct {
	Body RiskMitigation
}

func (r *Room) addMitigation(ctx context.Context, in *addMitigationInput) (*mitigationOutput, error) {
	m, err := r.Risks.AddMitigation(ctx, kit.Actor(ctx), in.ID, risk.Mitigation{Text: in.Body.Text, OwnerID: in.Body.OwnerID, Due: in.Body.Due})
	if err != nil {
		return nil, err
	}
	return &mitigationOutput{Body: toMitigation(m)}, nil
}

type trackInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Status string `json:"status" enum:"planned,in_progress,done,dropped"`
		Note   string `json:"note,omitempty"`
	}
}

func (r *Room) trackMitigation(ctx context.Context, in *trackInput) (*mitigationOutput, error) {
	m, err := r.Risks.TrackMitigation(ctx, kit.Actor(ctx), in.ID, risk.MitigationStatus(in.Body.Status), in.Body.Note)
	if err != nil {
		return nil, err
	}
	return &mitigationOutput{Body: toMitigation(m)}, nil
}
