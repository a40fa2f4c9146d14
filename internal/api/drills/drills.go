package drills

import (
	"context"
	"strconv"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/drill"
)

type drillOutput struct {
	Body Drill
}

type drillIDInput struct {
	ID int64 `path:"id"`
}

type listDrillsInput struct {
	kit.Page
	State state `query:"state"`
}

func (r *Room) listDrills(ctx context.Context, in *listDrillsInput) (*kit.ListOutput[Drill], error) {
	ds, total, err := r.Drills.List(ctx, drill.Filter{State: drill.State(in.State), Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	return kit.NewList("/drills", map[string][]string{"state": {string(in.State)}}, in.Page, ds, total, toDrill), nil
}

type createDrillInput struct {
	Body DrillInput
}

type createDrillOutput struct {
	Location string `header:"Location"`
	Body     Drill
}

func drillPath(id int64) string { return kit.Prefix + "/drills/" + strconv.FormatInt(id, 10) }

func (r *Room) createDrill(ctx context.Context, in *createDrillInput) (*createDrillOutput, error) {
	det, err := in.Body.domain()
	if err != nil {
		return nil, err
	}
	d, err := r.Drills.Create(ctx, kit.Actor(ctx), det)
	if err != nil {
		return nil, err
	}
	return &createDrillOutput{Location: drillPath(d.ID), Body: toDrill(d)}, nil
}

func (r *Room) getDrill(ctx context.Context, in *drillIDInput) (*drillOutput, error) {
	return shown(r.Drills.Get(ctx, in.ID))
}

// drillSave is a planner's change with the lock it is based on.
type drillSave struct {
	DrillInput
	Lock int64 `json:"lock" doc:"The lock of the drill the change is based on"`
}

type saveDrillInput struct {
	ID   int64 `path:"id"`
	Body drillSave
}

func (r *Room) saveDrill(ctx context.Context, in *saveDrillInput) (*drillOutput, error) {
	det, err := in.Body.domain()
	if err != nil {
		return nil, err
	}
	return shown(r.Drills.Save(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, det))
}

// safetySave is a change to the safety assessment.
type safetySave struct {
	Hazards   []string `json:"hazards"`
	Measures  []string `json:"measures"`
	OfficerID int64    `json:"officer_id"`
	StopWord  string   `json:"stop_word"`
	Lock      int64    `json:"lock" doc:"The lock of the drill the change is based on"`
}

type saveSafetyInput struct {
	ID   int64 `path:"id"`
	Body safetySave
}

func (r *Room) saveSafety(ctx context.Context, in *saveSafetyInput) (*drillOutput, error) {
	s := drill.Safety{Hazards: in.Body.Hazards, Measures: in.Body.Measures, OfficerID: in.Body.OfficerID, StopWord: in.Body.StopWord}
	return shown(r.Drills.SaveSafety(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, s))
}

func (r *Room) signSafety(ctx context.Context, in *drillIDInput) (*drillOutput, error) {
	return shown(r.Drills.SignSafety(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) startDrill(ctx context.Context, in *drillIDInput) (*drillOutput, error) {
	return shown(r.Drills.Start(ctx, kit.Actor(ctx), in.ID))
}

// reason is why a drill stops or how it ended.
type reason struct {
	Reason string `json:"reason,omitempty" doc:"Why (required to stop for safety)"`
}

type reasonInput struct {
	ID   int64 `path:"id"`
	Body reason
}

func (r *Room) stopDrill(ctx context.Context, in *reasonInput) (*drillOutput, error) {
	return shown(r.Drills.Stop(ctx, kit.Actor(ctx), in.ID, in.Body.Reason))
}

func (r *Room) endDrill(ctx context.Context, in *reasonInput) (*drillOutput, error) {
	return shown(r.Drills.End(ctx, kit.Actor(ctx), in.ID, in.Body.Reason))
}

func shown(d drill.Drill, err error) (*drillOutput, error) {
	if err != nil {
		return nil, err
	}
	return &drillOutput{Body: toDrill(d)}, nil
}

// Checklist is the office's default safety checklist.
type Checklist struct {
	Hazards  []string `json:"hazards" nullable:"false"`
	Measures []string `json:"measures" nullable:"false"`
}

type checklistOutput struct {
	Body Checklist
}

func (r *Room) getChecklist(ctx context.Context, _ *struct{}) (*checklistOutput, error) {
	c, err := r.Drills.Checklist(ctx)
	if err != nil {
		return nil, err
	}
	return &checklistOutput{Body: Checklist{Hazards: kit.OrEmpty(c.Hazards), Measures: kit.OrEmpty(c.Measures)}}, nil
}

type saveChecklistInput struct {
	Body Checklist
}

func (r *Room) saveChecklist(ctx context.Context, in *saveChecklistInput) (*checklistOutput, error) {
	c, err := r.Drills.SaveChecklist(ctx, kit.Actor(ctx), drill.Checklist(in.Body))
	if err != nil {
		return nil, err
	}
	return &checklistOutput{Body: Checklist{Hazards: kit.OrEmpty(c.Hazards), Measures: kit.OrEmpty(c.Measures)}}, nil
}
