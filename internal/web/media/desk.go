package media

import (
	"context"
	"net/http"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/press"
	"crisisdesk/internal/web/kit"
)

// inquiryRow is an inquiry as the log shows it.
type inquiryRow struct {
	press.Inquiry
	Owner string
	Late  bool
}

// journalistRow is a journalist as the directory shows them: contacts
// masked for those who may not manage the directory.
type journalistRow struct {
	press.Journalist
	EmailShown, PhoneShown string
}

// deskView is the media desk's front page.
type deskView struct {
	Inquiries   []inquiryRow
	Pager       kit.Pager
	OpenOnly    bool
	Journalists []journalistRow
	CanLog      bool
	CanManage   bool
}

// names maps users to the names pages show.
func (h *Room) names(ctx context.Context) (map[int64]string, []account.User, error) {
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: peopleLimit})
	if err != nil {
		return nil, nil, err
	}
	m := make(map[int64]string, len(users))
	var active []account.User
	for _, u := range users {
		m[u.ID] = label(u)
		if !u.Disabled {
			active = append(active, u)
		}
	}
	return m, active, nil
}

func label(u account.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

func rows(list []press.Inquiry, names map[int64]string, now time.Time) []inquiryRow {
	out := make([]inquiryRow, len(list))
	for i, q := range list {
		out[i] = inquiryRow{Inquiry: q, Owner: names[q.OwnerID], Late: q.Late(now)}
	}
	return out
}

func (h *Room) deskPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page := kit.PageParam(r)
	open := r.URL.Query().Get("open") == "1"
	list, total, err := h.Press.Inquiries(ctx, press.InquiryFilter{OpenOnly: open, Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names, _, err := h.names(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	js, err := h.Press.Journalists(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	role := kit.Role(r)
	v := deskView{Inquiries: rows(list, names, h.Kit.Now()), Pager: kit.NewPager(r, page, total), OpenOnly: open,
		CanLog: authz.Can(role, authz.AnswerInquiry), CanManage: authz.Can(role, authz.ManageMedia)}
	for _, j := range js {
		jr := journalistRow{Journalist: j, EmailShown: j.Email, PhoneShown: j.Phone}
		if !v.CanManage {
			jr.EmailShown, jr.PhoneShown = kit.MaskAddress(channel.Email, j.Email), kit.MaskAddress(channel.SMS, j.Phone)
		}
		v.Journalists = append(v.Journalists, jr)
	}
	h.Kit.Render(w, r, http.StatusOK, "media", v)
}
