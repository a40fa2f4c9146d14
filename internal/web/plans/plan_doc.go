package plans

import (
	"context"
	"slices"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
)

// planDoc is a plan version laid out for reading: on its page, printed,
// and in the offline copy.
type planDoc struct {
	Plan       plan.Plan
	TypeName   string
	Activation []levelText
	Phases     []phaseSteps
	Matrix     []plan.CommRow
	Templates  []plan.Template
	Made       time.Time // when this copy was made, for print and offline
}

type levelText struct {
	Level catalog.Level
	Text  string
}

type phaseSteps struct {
	Phase plan.Phase
	Steps []stepDoc
}

type stepDoc struct {
	plan.Step
	Owner string // the role's or department's name
}

func (h *Room) planDoc(ctx context.Context, tr i18n.Translator, p plan.Plan) (planDoc, error) {
	d := planDoc{Plan: p}
	if t, err := h.Plans.Type(ctx, p.TypeID); err == nil {
		d.TypeName = t.Name.For(tr.Lang())
	} else {
		return d, err
	}
	owner, err := h.notifyLabels(ctx, tr)
	if err != nil {
		return d, err
	}
	for _, l := range catalog.Levels {
		if s := p.Body.Activation[l]; s != "" {
			d.Activation = append(d.Activation, levelText{Level: l, Text: s})
		}
	}
	for _, ph := range plan.Phases {
		g := phaseSteps{Phase: ph}
		for _, s := range p.Body.Steps {
			if s.Phase != ph {
				continue
			}
			name := string(s.OwnerRole)
			if name == "" {
				name = s.OwnerDept
			}
			g.Steps = append(g.Steps, stepDoc{Step: s, Owner: owner(name)})
		}
		d.Phases = append(d.Phases, g)
	}
	d.Matrix = slices.Clone(p.Body.Matrix)
	slices.SortStableFunc(d.Matrix, func(a, b plan.CommRow) int { return int(a.Level) - int(b.Level) })
	d.Templates = slices.Clone(p.Body.Templates)
	slices.SortStableFunc(d.Templates, func(a, b plan.Template) int { return int(a.Level) - int(b.Level) })
	return d, nil
}
