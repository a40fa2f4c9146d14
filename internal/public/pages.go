package public

import (
	"net/http"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
)

// How many notices each list shows.
const (
	homeLatest      = 20
	perCrisisOnHome = 3
	maxList         = 500
)

// publicFilter selects one crisis's published notices for the public.
func publicFilter(crisisID int64, limit int) notice.Filter {
	return notice.Filter{CrisisID: crisisID, Status: notice.Published, Audience: notice.Public, Limit: limit}
}

// listFilter selects the published notices of every crisis, and the
// standalone ones, for the real lists and feeds (exercise false) or the
// exercise page and feed (exercise true): the two never mix.
func listFilter(exercise bool, limit int) notice.Filter {
	f := publicFilter(0, limit)
	f.Exercise = &exercise
	return f
}

type homeView struct {
	Crises []crisisView
	Latest []noticeView
	// Active counts the warnings in force; Updated is the newest change
	// shown, Now the moment of rendering.
	Active       int
	Updated, Now time.Time
	// Legend explains the levels.
	Legend []levelGuide
	// Exercises is the exercise page: the same view of drills only.
	Exercises bool
}

func (v homeView) feed() string {
	if v.Exercises {
		return exercisesPath + "/feed.atom"
	}
	return "/feed.atom"
}

// exercisesPath is the page of exercises: drills' notices, apart from
// the real ones.
const exercisesPath = "/exercises"

// home lists the active crises on the public site with their latest
// notices, then the latest notices of all, standalone announcements
// included. A crisis appears once its first public notice is published or
// a commander chose to show it; exercises never appear here.
func (s *Site) home(r *http.Request, lang string) (rendered, error) {
	v, err := s.overview(r, lang, false)
	if err != nil {
		return rendered{}, err
	}
	org, _, err := s.org(r.Context(), s.catalog.For(lang))
	if err != nil {
		return rendered{}, err
	}
	out, err := s.htmlPage(r, lang, "home", org.Name, v)
	// The count of warnings changes when one expires: render again then.
	for _, n := range v.Latest {
		if activeWarning(n, v.Now) && !n.Expires.IsZero() && (out.until.IsZero() || n.Expires.Before(out.until)) {
			out.until = n.Expires
		}
	}
	return out, err
}

// exercises is home for the exercises: drills on the public site, each
// marked 演練 / EXERCISE, apart from the real crises.
func (s *Site) exercises(r *http.Request, lang string) (rendered, error) {
	v, err := s.overview(r, lang, true)
	if err != nil {
		return rendered{}, err
	}
	return s.htmlPage(r, lang, "home", ExerciseMark+" · "+s.catalog.For(lang).T("public.exercises"), v)
}

func (s *Site) overview(r *http.Request, lang string, exercise bool) (homeView, error) {
	ctx, tr := r.Context(), s.catalog.For(lang)
	cs, _, err := s.crises.List(ctx, crisis.Filter{Open: true, Public: true, Exercise: &exercise, Limit: 100})
	if err != nil {
		return homeView{}, err
	}
	v := homeView{Exercises: exercise}
	for _, c := range cs {
		cv := viewCrisis(c, tr)
		ns, _, err := s.notices.List(ctx, publicFilter(c.ID, perCrisisOnHome))
		if err != nil {
			return homeView{}, err
		}
		cv.Notices = viewNotices(s.inScript(ns, lang), tr, true)
		v.Crises = append(v.Crises, cv)
	}
	ns, _, err := s.notices.List(ctx, listFilter(exercise, homeLatest))
	if err != nil {
		return homeView{}, err
	}
	v.Latest = viewNotices(s.inScript(ns, lang), tr, true)
	v.Now = s.clock.Now()
	v.Updated = v.Now
	var newest time.Time
	for _, n := range v.Latest {
		if activeWarning(n, v.Now) {
			v.Active++
		}
		if n.PublishedAt.After(newest) {
			newest = n.PublishedAt
		}
	}
	for _, c := range v.Crises {
		if c.DeclaredAt.After(newest) {
			newest = c.DeclaredAt
		}
	}
	if !newest.IsZero() {
		v.Updated = newest
	}
	_, prof, err := s.org(ctx, tr)
	if err != nil {
		return homeView{}, err
	}
	v.Legend = legend(prof, tr)
	return v, nil
}

// publicCrisis returns crisis id if the public may see it: once its first
// public notice is out, or a commander showed it. Anything else is not
// found, so that a crisis's ID reveals nothing before then.
func (s *Site) publicCrisis(r *http.Request, id int64) (crisis.Crisis, error) {
	c, err := s.crises.Get(r.Context(), id)
	if err != nil {
		return c, err
	}
	if c.PublicSince.IsZero() {
		return crisis.Crisis{}, fault.New(fault.NotFound, "crisis %d is not public", id)
	}
	return c, nil
}

type noticePage struct {
	Notice    noticeView // the current text: the chain's latest
	Requested *version   // the version asked for, when it is not the latest
	Versions  []version  // newest first; more than one when followed up
	Original  string     // link to the first notice of the chain, when followed up
	Crisis    *crisisView
	Map       *areaMap // the current notice's CAP area, when it has a shape
}

func (p noticePage) feed() string {
	if p.Crisis != nil {
		return p.Crisis.FeedHref
	}
	return "/feed.atom"
}

// noticePage shows a notice's current text on top and its history below:
// each correction with what changed, each cancellation and all-clear.
func (s *Site) noticePage(r *http.Request, lang string) (rendered, error) {
	ctx, tr := r.Context(), s.catalog.For(lang)
	id, err := pathID(r)
	if err != nil {
		return rendered{}, err
	}
	n, err := s.publicNotice(r, id)
	if err != nil {
		return rendered{}, err
	}
	all, err := s.notices.History(ctx, id)
	if err != nil {
		return rendered{}, err
	}
	var chain []notice.Notice
	for _, h := range all {
		if isPublic(h) {
			chain = append(chain, h)
		}
	}
	if len(chain) == 0 {
		chain = []notice.Notice{n}
	}
	chain = s.inScript(chain, lang)
	p := page{tr: tr, loc: s.loc}
	v := noticePage{Versions: history(chain, id, tr, p.Time)}
	v.Notice = v.Versions[0].noticeView
	v.Map = drawArea(chain[len(chain)-1].CAP.Area)
	if len(chain) > 1 {
		v.Original = noticeHref(chain[0].ID)
	}
	for i := range v.Versions {
		if v.Versions[i].Requested && !v.Versions[i].Current {
			v.Requested = &v.Versions[i]
		}
	}
	if n.CrisisID != 0 {
		c, err := s.publicCrisis(r, n.CrisisID)
		if err != nil {
			return rendered{}, err
		}
		cv := viewCrisis(c, tr)
		v.Crisis = &cv
	}
	title := v.Notice.Headline
	if v.Notice.Exercise {
		title = ExerciseMark + " · " + title
	}
	return s.htmlPage(r, lang, "notice", title, v)
}

// publicNotice returns notice id if the public may see it; anything else
// is not found, so that a draft's ID reveals nothing.
func (s *Site) publicNotice(r *http.Request, id int64) (notice.Notice, error) {
	n, err := s.notices.Get(r.Context(), id)
	if err != nil {
		return notice.Notice{}, err
	}
	if !isPublic(n) {
		return notice.Notice{}, fault.New(fault.NotFound, "notice %d is not public", id)
	}
	return n, nil
}

type crisisPage struct {
	Crisis crisisView
	FAQ    faqView
}

func (p crisisPage) feed() string { return p.Crisis.FeedHref }

// crisisPage is a crisis's public timeline, newest first.
func (s *Site) crisisPage(r *http.Request, lang string) (rendered, error) {
	ctx, tr := r.Context(), s.catalog.For(lang)
	id, err := pathID(r)
	if err != nil {
		return rendered{}, err
	}
	c, err := s.publicCrisis(r, id)
	if err != nil {
		return rendered{}, err
	}
	ns, _, err := s.notices.List(ctx, publicFilter(id, maxList))
	if err != nil {
		return rendered{}, err
	}
	v := crisisPage{Crisis: viewCrisis(c, tr)}
	v.Crisis.Notices = viewNotices(s.inScript(ns, lang), tr, false)
	if v.FAQ, err = s.crisisFAQ(r, lang, id); err != nil {
		return rendered{}, err
	}
	title := c.Title
	if c.Exercise {
		title = ExerciseMark + " · " + title
	}
	return s.htmlPage(r, lang, "crisis", title, v)
}
