package main

import (
	"context"
	"fmt"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
)

// benchNotice is a public alert in three languages, of the length real
// alerts have (a few hundred characters of body per language), so that the
// webhook bodies and e-mails are of a realistic size.
func benchNotice() notice.Notice {
	en := strings.Repeat("The water main under Queen's Road has burst and the road is flooded between Pedder Street and "+
		"Ice House Street. Crews are on site; supply to nearby buildings may stop for several hours. ", 3)
	hant := strings.Repeat("皇后大道中地下水管爆裂，畢打街至雪廠街一段路面水浸。工程人員正在現場搶修，附近大廈的食水供應或會暫停數小時。", 3)
	hans := strings.Repeat("皇后大道中地下水管爆裂，毕打街至雪厂街一段路面水浸。工程人员正在现场抢修，附近大厦的食水供应或会暂停数小时。", 3)
	return notice.Notice{Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: "皇后大道中水管爆裂", Body: hant, Instruction: "請避開該路段，改乘港鐵。", Contact: "熱線 1823"},
			{Language: "zh-Hans", Headline: "皇后大道中水管爆裂", Body: hans, Instruction: "请避开该路段，改乘港铁。", Contact: "热线 1823"},
			{Language: "en", Headline: "Water main burst on Queen's Road", Body: en,
				Instruction: "Avoid the area and use the MTR.", Contact: "Hotline 1823"},
		},
		CAP: notice.CAPInfo{Event: "Water main burst", Category: "Infra", Urgency: "Immediate", Severity: "Moderate",
			Certainty: "Observed", Area: notice.Area{Description: "Central"}},
	}
}

// staff returns the bench's editor and approver as actors.
func staff(ctx context.Context, st *store.Store) (editor, approver authz.Actor, err error) {
	ed, err := st.Accounts().UserByName(ctx, editorName)
	if err != nil {
		return editor, approver, fmt.Errorf("editor: %w", err)
	}
	ap, err := st.Accounts().UserByName(ctx, approverName)
	if err != nil {
		return editor, approver, fmt.Errorf("approver: %w", err)
	}
	return ed.Actor(authz.SourceCLI), ap.Actor(authz.SourceCLI), nil
}

// approved drafts, submits and approves the bench notice; publishing it is
// left to the caller, whose clock starts just before.
func approved(ctx context.Context, st *store.Store, editor, approver authz.Actor) (notice.Notice, error) {
	ns := st.Notices()
	n, err := ns.Create(ctx, editor, benchNotice())
	if err == nil {
		n, err = ns.Submit(ctx, editor, n.ID, "")
	}
	if err == nil {
		n, err = ns.Approve(ctx, approver, n.ID, "")
	}
	if err != nil {
		return n, fmt.Errorf("prepare the notice: %w", err)
	}
	return n, nil
}
