// Package resources is the API's room for the resources: the inventory
// and its movements, the budget and its spending, the shortfalls and the
// weekly review.
package resources

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/resource"
)

// Room holds what the resources' operations need; every field is
// required.
type Room struct {
	Resources resource.Service
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"resources"}
	view, manage, allocate := kit.Can(authz.ViewResources), kit.Can(authz.ManageResources), kit.Can(authz.AllocateResources)
	kit.Register(k, view, op{OperationID: "list-items", Method: http.MethodGet, Path: "/resources/items", Tags: tags,
		Summary: "List the inventory"}, r.listItems)
	kit.Register(k, manage, op{OperationID: "create-item", Method: http.MethodPost, Path: "/resources/items", Tags: tags,
		Summary: "Add an inventory item", DefaultStatus: http.StatusCreated}, r.createItem)
	kit.Register(k, view, op{OperationID: "get-item", Method: http.MethodGet, Path: "/resources/items/{id}", Tags: tags,
		Summary: "Get an inventory item with its movements", Errors: []int{nf}}, r.getItem)
	kit.Register(k, allocate, op{OperationID: "move-item", Method: http.MethodPost, Path: "/resources/items/{id}/movements", Tags: tags,
		Summary: "Allocate, return, restock or correct an item", Description: "A quantity that would go below zero is refused at body.quantity.",
		DefaultStatus: http.StatusCreated, Errors: []int{nf}}, r.move)
	kit.Register(k, view, op{OperationID: "list-budget-lines", Method: http.MethodGet, Path: "/resources/budget", Tags: tags,
		Summary: "List the budget lines with what was spent"}, r.listLines)
	kit.Register(k, manage, op{OperationID: "create-budget-line", Method: http.MethodPost, Path: "/resources/budget", Tags: tags,
		Summary: "Add a budget line", DefaultStatus: http.StatusCreated}, r.createLine)
	kit.Register(k, allocate, op{OperationID: "spend", Method: http.MethodPost, Path: "/resources/budget/{id}/spending", Tags: tags,
		Summary: "Record spending against a budget line", Description: "Spending over what is left is refused at body.amount unless override is true with an override_reason.",
		DefaultStatus: http.StatusCreated, Errors: []int{nf, cf}}, r.spend)
	kit.Register(k, view, op{OperationID: "get-shortfalls", Method: http.MethodGet, Path: "/resources/shortfalls", Tags: tags,
		Summary: "What the weekly review looks at now"}, r.shortfalls)
	kit.Register(k, kit.Can(authz.ReviewResources), op{OperationID: "complete-review", Method: http.MethodPost, Path: "/resources/reviews", Tags: tags,
		Summary: "Complete the weekly resource review", DefaultStatus: http.StatusCreated}, r.review)
}

// ItemInput is what a caller writes about an item.
type ItemInput struct {
	Name        string     `json:"name"`
	Category    string     `json:"category" enum:"flood,water_food,medical,shelter,power,communication,vehicle,protective,other"`
	Unit        string     `json:"unit"`
	Quantity    int64      `json:"quantity" doc:"On hand; never below zero"`
	Minimum     int64      `json:"minimum"`
	Location    string     `json:"location,omitempty"`
	Acquisition string     `json:"acquisition,omitempty" enum:"bought,leased" doc:"Default bought"`
	LeaseEnd    *time.Time `json:"lease_end,omitempty"`
	Expiry      *time.Time `json:"expiry,omitempty"`
}

// Item is an inventory item.
type Item struct {
	ID int64 `json:"id"`
	ItemInput
	Low     bool  `json:"low" doc:"Below its minimum"`
	Version int64 `json:"version"`
}

func toItem(it resource.Item) Item {
	return Item{ID: it.ID, ItemInput: ItemInput{Name: it.Name, Category: it.Category, Unit: it.Unit, Quantity: it.Quantity, Minimum: it.Minimum,
		Location: it.Location, Acquisition: it.Acquisition, LeaseEnd: kit.TimePtr(it.LeaseEnd), Expiry: kit.TimePtr(it.Expiry)},
		Low: it.Low(), Version: it.Version}
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

type itemsOutput struct {
	Body struct {
		Items []Item `json:"items" nullable:"false"`
	}
}

func (r *Room) listItems(ctx context.Context, _ *struct{}) (*itemsOutput, error) {
	items, err := r.Resources.Items(ctx)
	if err != nil {
		return nil, err
	}
	out := &itemsOutput{}
	out.Body.Items = kit.Convert(items, toItem)
	return out, nil
}

type createItemInput struct {
	Body ItemInput
}

type itemOutput struct {
	Location string `header:"Location"`
	Body     Item
}

func (r *Room) createItem(ctx context.Context, in *createItemInput) (*itemOutput, error) {
	b := in.Body
	it, err := r.Resources.AddItem(ctx, kit.Actor(ctx), resource.Item{Name: b.Name, Category: b.Category, Unit: b.Unit, Quantity: b.Quantity,
		Minimum: b.Minimum, Location: b.Location, Acquisition: b.Acquisition, LeaseEnd: deref(b.LeaseEnd), Expiry: deref(b.Expiry)})
	if err != nil {
		return nil, err
	}
	return &itemOutput{Location: kit.Prefix + "/resources/items/" + strconv.FormatInt(it.ID, 10), Body: toItem(it)}, nil
}

// Movement is one change of an item's quantity.
type Movement struct {
	ID       int64     `json:"id"`
	Delta    int64     `json:"delta" doc:"Negative when stock went out"`
	Reason   string    `json:"reason"`
	CrisisID int64     `json:"crisis_id,omitempty"`
	DrillID  int64     `json:"drill_id,omitempty"`
	Note     string    `json:"note,omitempty"`
	ActorID  int64     `json:"actor_id,omitempty"`
	At       time.Time `json:"at"`
	After    int64     `json:"after" doc:"On hand after it"`
}

func toMovement(m resource.Movement) Movement {
	return Movement{ID: m.ID, Delta: m.Delta, Reason: m.Reason, CrisisID: m.CrisisID, DrillID: m.DrillID, Note: m.Note, ActorID: m.ActorID, At: m.At, After: m.After}
}

type idInput struct {
	ID int64 `path:"id"`
}

type itemWithMovements struct {
	Body struct {
		Item
		Movements []Movement `json:"movements" nullable:"false"`
	}
}

func (r *Room) getItem(ctx context.Context, in *idInput) (*itemWithMovements, error) {
	it, err := r.Resources.Item(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	ms, err := r.Resources.Movements(ctx, resource.MovementFilter{ItemID: in.ID, Limit: 200})
	if err != nil {
		return nil, err
	}
	out := &itemWithMovements{}
	out.Body.Item, out.Body.Movements = toItem(it), kit.Convert(ms, toMovement)
	return out, nil
}

type moveInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Reason   string `json:"reason" enum:"allocate,return,restock,adjust"`
		Quantity int64  `json:"quantity" doc:"How many; an allocation takes them out, a return or restock puts them in, an adjustment adds a signed number"`
		CrisisID int64  `json:"crisis_id,omitempty"`
		DrillID  int64  `json:"drill_id,omitempty"`
		Note     string `json:"note,omitempty"`
	}
}

type movementOutput struct {
	Body Movement
}

func (r *Room) move(ctx context.Context, in *moveInput) (*movementOutput, error) {
	if _, err := r.Resources.Item(ctx, in.ID); err != nil {
		return nil, err
	}
	b := in.Body
	m, err := r.Resources.MoveItem(ctx, kit.Actor(ctx), resource.Movement{ItemID: in.ID, Delta: b.Quantity, Reason: b.Reason,
		CrisisID: b.CrisisID, DrillID: b.DrillID, Note: b.Note})
	if err != nil {
		return nil, err
	}
	return &movementOutput{Body: toMovement(m)}, nil
}

// Line is a budget line; amounts in cents.
type Line struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Source   string `json:"source" enum:"allocation,special_funds"`
	CostItem string `json:"cost_item" enum:"training,drills,emergency_supplies"`
	Year     int    `json:"year"`
	Amount   int64  `json:"amount" doc:"Cents"`
	Spent    int64  `json:"spent" doc:"Cents"`
	Left     int64  `json:"left" doc:"Cents"`
}

func toLine(l resource.Line) Line {
	return Line{ID: l.ID, Name: l.Name, Source: l.Source, CostItem: l.CostItem, Year: l.Year, Amount: l.Amount, Spent: l.Spent, Left: l.Left()}
}

type linesOutput struct {
	Body struct {
		Items []Line `json:"items" nullable:"false"`
	}
}

func (r *Room) listLines(ctx context.Context, _ *struct{}) (*linesOutput, error) {
	lines, err := r.Resources.Lines(ctx)
	if err != nil {
		return nil, err
	}
	out := &linesOutput{}
	out.Body.Items = kit.Convert(lines, toLine)
	return out, nil
}

type createLineInput struct {
	Body struct {
		Name     string `json:"name"`
		Source   string `json:"source" enum:"allocation,special_funds"`
		CostItem string `json:"cost_item" enum:"training,drills,emergency_supplies"`
		Year     int    `json:"year"`
		Amount   int64  `json:"amount" doc:"Cents"`
	}
}

type lineOutput struct {
	Body Line
}

func (r *Room) createLine(ctx context.Context, in *createLineInput) (*lineOutput, error) {
	b := in.Body
	l, err := r.Resources.AddLine(ctx, kit.Actor(ctx), resource.Line{Name: b.Name, Source: b.Source, CostItem: b.CostItem, Year: b.Year, Amount: b.Amount})
	if err != nil {
		return nil, err
	}
	return &lineOutput{Body: toLine(l)}, nil
}

type spendInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Amount         int64  `json:"amount" doc:"Cents"`
		CrisisID       int64  `json:"crisis_id,omitempty"`
		DrillID        int64  `json:"drill_id,omitempty"`
		Note           string `json:"note" doc:"What it was spent on"`
		Override       bool   `json:"override,omitempty" doc:"Spend more than is left on the line"`
		OverrideReason string `json:"override_reason,omitempty"`
	}
}

// Spending is money spent from a line.
type Spending struct {
	ID             int64     `json:"id"`
	LineID         int64     `json:"line_id"`
	Amount         int64     `json:"amount"`
	CrisisID       int64     `json:"crisis_id,omitempty"`
	DrillID        int64     `json:"drill_id,omitempty"`
	Note           string    `json:"note"`
	Override       bool      `json:"override"`
	OverrideReason string    `json:"override_reason,omitempty"`
	At             time.Time `json:"at"`
}

type spendingOutput struct {
	Body Spending
}

func (r *Room) spend(ctx context.Context, in *spendInput) (*spendingOutput, error) {
	if _, err := r.Resources.Line(ctx, in.ID); err != nil {
		return nil, err
	}
	b := in.Body
	s, err := r.Resources.Spend(ctx, kit.Actor(ctx), resource.Spending{LineID: in.ID, Amount: b.Amount, CrisisID: b.CrisisID, DrillID: b.DrillID,
		Note: b.Note, Override: b.Override, OverrideReason: b.OverrideReason})
	if err != nil {
		return nil, err
	}
	return &spendingOutput{Body: Spending{ID: s.ID, LineID: s.LineID, Amount: s.Amount, CrisisID: s.CrisisID, DrillID: s.DrillID, Note: s.Note,
		Override: s.Override, OverrideReason: s.OverrideReason, At: s.At}}, nil
}

type shortfallsOutput struct {
	Body struct {
		Low       []Item `json:"low" nullable:"false" doc:"Items below their minimum"`
		Expiring  []Item `json:"expiring" nullable:"false" doc:"Leases and supplies ending within 30 days"`
		Overspent []Line `json:"overspent" nullable:"false" doc:"Budget lines over 80 % spent"`
	}
}

func (r *Room) shortfalls(ctx context.Context, _ *struct{}) (*shortfallsOutput, error) {
	s, err := r.Resources.Shortfalls(ctx)
	if err != nil {
		return nil, err
	}
	out := &shortfallsOutput{}
	out.Body.Low, out.Body.Expiring, out.Body.Overspent = kit.Convert(s.Low, toItem), kit.Convert(s.Expiring, toItem), kit.Convert(s.Overspent, toLine)
	return out, nil
}

type reviewInput struct {
	Body struct {
		Decisions string `json:"decisions" doc:"What was decided"`
	}
}

type reviewOutput struct {
	Body struct {
		ID         int64     `json:"id"`
		At         time.Time `json:"at"`
		Shortfalls int       `json:"shortfalls"`
		NextDue    time.Time `json:"next_due"`
	}
}

func (r *Room) review(ctx context.Context, in *reviewInput) (*reviewOutput, error) {
	rv, err := r.Resources.CompleteReview(ctx, kit.Actor(ctx), in.Body.Decisions)
	if err != nil {
		return nil, err
	}
	out := &reviewOutput{}
	out.Body.ID, out.Body.At, out.Body.Shortfalls, out.Body.NextDue = rv.ID, rv.At, rv.Shortfalls, rv.NextDue
	return out, nil
}
