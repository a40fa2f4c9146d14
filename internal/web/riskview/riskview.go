// Package riskview shows risks as the register and the dashboard show
// them: in the reader's words, the default register's texts read from
// the catalogues.
package riskview

import (
	"time"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/risk"
)

// Row is a risk in the reader's words: a risk of the default register
// reads its texts from the catalogues until someone writes their own.
type Row struct {
	risk.Risk
	Ref         string
	Description string
	Cause       string
	Consequence string
	Owner       string
	Overdue     bool // its review is past due
}

// RowOf puts k in tr's words; names are the people by id.
func RowOf(tr i18n.Translator, k risk.Risk, names map[int64]string, now time.Time) Row {
	r := Row{Risk: k, Ref: risk.Ref(k.ID), Description: k.Description, Cause: k.Cause, Consequence: k.Consequence, Owner: names[k.OwnerID]}
	if k.Key != "" {
		if r.Description == "" {
			r.Description = tr.T("risk.default." + k.Key + ".description")
		}
		if r.Cause == "" {
			r.Cause = tr.T("risk.default." + k.Key + ".cause")
		}
		if r.Consequence == "" {
			r.Consequence = tr.T("risk.default." + k.Key + ".consequence")
		}
	}
	r.Overdue = k.Status == risk.Open && k.ReviewDue.Before(now)
	return r
}

// MitigationText is a mitigation in tr's words.
func MitigationText(tr i18n.Translator, m risk.Mitigation) string {
	if m.Text == "" && m.Key != "" {
		return tr.T("risk.default." + m.Key + ".mitigation")
	}
	return m.Text
}

// Card is the dashboard's card of risks: those raised or re-rated
// lately, and how many risk alerts wait for the reader.
type Card struct {
	Recent []Row
	Unread int
}
