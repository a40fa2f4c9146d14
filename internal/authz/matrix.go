package authz

// Action is something a signed-in person may do. Routes declare the action
// they need; services check it again before they change anything.
type Action string

// Actions known to crisisdesk.
const (
	ViewDashboard    Action = "dashboard.view"
	EditOwnProfile   Action = "profile.edit" // own password, language
	ViewUsers        Action = "user.view"
	ManageUsers      Action = "user.manage"
	ViewDepartments  Action = "department.view"
	ManageDepartment Action = "department.manage"
	ManageExperts    Action = "expert.manage" // the outside experts internal notices can be sent to
	ManageTokens     Action = "token.manage"
	ViewAudit        Action = "audit.view"
	ManageOffice     Action = "office.manage" // who speaks on the public site: names, logo, legend, districts

	ViewPlans     Action = "plan.view"
	EditPlan      Action = "plan.edit"    // draft and submit (編制)
	ReviewPlan    Action = "plan.review"  // review or return (審核)
	ApprovePlan   Action = "plan.approve" // approve (批準)
	ReturnPlan    Action = "plan.return"  // send back to draft: a reviewer before review, an approver after
	ManageCatalog Action = "catalog.manage"

	ViewCrises    Action = "crisis.view"
	DeclareCrisis Action = "crisis.declare"
	CommandCrisis Action = "crisis.command" // activate a plan, change level, recover, close
	WorkTasks     Action = "task.work"      // tick tasks and checklists
	WriteTimeline Action = "timeline.write" // human entries and attachments
	EditReview    Action = "crisis.review"  // the post-crisis review

	ViewNotices       Action = "notice.view"
	EditNotice        Action = "notice.edit"         // draft, save, submit, start a correction
	ApproveNotice     Action = "notice.approve"      // approve a submitted notice
	ReturnNotice      Action = "notice.return"       // send a submitted or approved notice back
	PublishNotice     Action = "notice.publish"      // publish an approved notice
	FastPathNotice    Action = "notice.fast_path"    // publish a plan template's draft at once (level I–II)
	ReviewNoticeAfter Action = "notice.review_after" // review a fast-path notice afterwards

	ViewDeliveries     Action = "delivery.view"       // delivery progress and failures of a notice
	RetryDeliveries    Action = "delivery.retry"      // queue failed deliveries again
	ViewSubscribers    Action = "subscriber.view"     // counts and the list, addresses masked
	ViewPersonalData   Action = "subscriber.personal" // subscribers' full addresses, exports
	ManageSubscribers  Action = "subscriber.manage"   // add, import, export, delete
	ManageWebhooks     Action = "webhook.manage"      // register, pause, resume, rotate, delete endpoints
	TestChannels       Action = "channel.test"        // the admin's "send test" per channel
	ReadInternalNotice Action = "notice.inbox"        // the in-app inbox of internal notices

	ViewDrills    Action = "drill.view"
	PlanDrill     Action = "drill.plan"     // write a drill, its safety assessment and injects
	SignDrill     Action = "drill.safety"   // sign the safety gate (not the drill's author)
	ControlDrill  Action = "drill.control"  // start, stop, end; run the injects
	ObserveDrill  Action = "drill.observe"  // record observations (an observer named on the drill)
	EvaluateDrill Action = "drill.evaluate" // read observations, edit the report (an evaluator named on the drill)
	ApproveDrill  Action = "drill.approve"  // approve the after-action report (not its author)

	ViewActions   Action = "action.view"   // the one action list
	ManageActions Action = "action.manage" // add actions, mark anyone's done
	VerifyActions Action = "action.verify" // verify a done action (not who marked it done)

	ViewMeetings   Action = "meeting.view"
	RunMeetings    Action = "meeting.run"     // schedule, invite, keep the minutes
	ApproveMinutes Action = "meeting.approve" // approve and send the minutes

	ViewReports      Action = "report.view"
	EditReports      Action = "report.edit"      // the monthly report: generate, edit, submit
	ApproveReport    Action = "report.approve"   // sign a monthly report (not its author)
	ViewFeedback     Action = "feedback.view"    // the public's questions and feedback, contacts masked
	SubmitFeedback   Action = "feedback.submit"  // record feedback from a department or an outside expert
	TriageFeedback   Action = "feedback.triage"  // category, crisis, priority, owner, tags; merge duplicates
	ReplyFeedback    Action = "feedback.reply"   // reply by the channel it came in on; mark the action taken
	PublishFAQ       Action = "feedback.publish" // publish an answer in a crisis's FAQ; link a correction
	FeedbackContact  Action = "feedback.contact" // see a person's contact details in full; export feedback
	FeedbackLinks    Action = "feedback.links"   // personal links for departments and outside experts
	ViewRumours      Action = "rumour.view"
	EditRumour       Action = "rumour.edit"      // record rumours and sightings, give the verdict, answer
	ViewSurveys      Action = "survey.view"      // the surveys and their figures
	EditSurvey       Action = "survey.edit"      // build a survey, send it
	ReadSurveyText   Action = "survey.read_text" // the free-text answers, which may say anything
	ViewTeam         Action = "team.view"        // the team, the rota, who is on duty, training, the materials library
	ManageTeam       Action = "team.manage"      // members, roles, deputies, import
	ManageRota       Action = "team.rota"        // shifts and swaps
	ViewTeamPersonal Action = "team.personal"    // outside members' and candidates' contact details, exports
	Recruit          Action = "team.recruit"     // openings, candidates, interviews, decisions
	ManageTraining   Action = "team.training"    // courses, sessions, attendance, certificates
	ShareMaterials   Action = "team.library"     // upload to the shared training library (every department)
)

// everyone is every role; used for actions any signed-in person may take.
var everyone = Roles

// matrix is THE permission matrix: for each action, the roles allowed to take
// it. Nothing else in crisisdesk decides permissions.
var matrix = map[Action][]Role{
	ViewDashboard:    everyone,
	EditOwnProfile:   everyone,
	ViewUsers:        {Admin, Commander},
	ManageUsers:      {Admin},
	ViewDepartments:  everyone,
	ManageDepartment: {Admin},
	ManageExperts:    {Admin, Commander},
	ManageTokens:     {Admin},
	ViewAudit:        {Admin, Commander, Observer},
	ManageOffice:     {Admin},

	ViewPlans:     everyone,
	EditPlan:      {Commander, Editor},
	ReviewPlan:    {Reviewer},
	ApprovePlan:   {Approver, Commander},
	ReturnPlan:    {Reviewer, Approver, Commander},
	ManageCatalog: {Admin, Commander},

	ViewCrises:    everyone,
	DeclareCrisis: {Commander},
	CommandCrisis: {Commander},
	WorkTasks:     {Commander, Editor, Reviewer, Approver, Liaison},
	WriteTimeline: {Commander, Editor, Reviewer, Approver, Liaison},
	EditReview:    {Commander, Editor},

	ViewNotices:       everyone,
	EditNotice:        {Commander, Editor},
	ApproveNotice:     {Approver, Commander},
	ReturnNotice:      {Reviewer, Approver, Commander},
	PublishNotice:     {Approver, Commander},
	FastPathNotice:    {Commander},
	ReviewNoticeAfter: {Reviewer, Approver},

	ViewDeliveries:     {Admin, Commander, Editor, Reviewer, Approver, Observer},
	RetryDeliveries:    {Admin, Commander, Approver},
	ViewSubscribers:    {Admin, Commander, Editor, Approver},
	ViewPersonalData:   {Admin},
	ManageSubscribers:  {Admin},
	ManageWebhooks:     {Admin, Commander},
	TestChannels:       {Admin},
	ReadInternalNotice: everyone,

	ViewDrills:    everyone,
	PlanDrill:     {Commander, Editor},
	SignDrill:     {Commander, Approver},
	ControlDrill:  {Commander},
	ObserveDrill:  {Commander, Editor, Reviewer, Approver, Liaison, Observer},
	EvaluateDrill: {Commander, Editor, Reviewer, Approver},
	ApproveDrill:  {Commander, Approver},

	ViewActions:   everyone,
	ManageActions: {Commander, Editor, Reviewer, Approver},
	VerifyActions: {Commander, Approver},

	ViewMeetings:   everyone,
	RunMeetings:    {Commander, Editor},
	ApproveMinutes: {Commander, Approver},

	ViewReports:      {Admin, Commander, Editor, Reviewer, Approver, Observer},
	EditReports:      {Commander, Editor},
	ApproveReport:    {Commander, Approver},
	ViewFeedback:     everyone,
	SubmitFeedback:   everyone,
	TriageFeedback:   {Commander, Editor, Liaison},
	ReplyFeedback:    {Commander, Editor, Liaison},
	PublishFAQ:       {Commander, Editor, Approver},
	FeedbackContact:  {Admin, Commander, Editor},
	FeedbackLinks:    {Admin, Commander},
	ViewRumours:      everyone,
	EditRumour:       {Commander, Editor},
	ViewSurveys:      {Admin, Commander, Editor, Reviewer, Approver, Observer},
	EditSurvey:       {Commander, Editor},
	ReadSurveyText:   {Commander, Editor},
	ViewTeam:         everyone,
	ManageTeam:       {Admin, Commander},
	ManageRota:       {Admin, Commander},
	ViewTeamPersonal: {Admin, Commander},
	Recruit:          {Admin, Commander},
	ManageTraining:   {Admin, Commander},
	ShareMaterials:   {Admin, Commander, Editor, Reviewer, Approver, Liaison},
}

// Can reports whether role may take action. Unknown actions are denied.
func Can(role Role, action Action) bool {
	for _, r := range matrix[action] {
		if r == role {
			return true
		}
	}
	return false
}

// Actions lists every action in the matrix, for tests and documentation.
func Actions() []Action {
	out := make([]Action, 0, len(matrix))
	for a := range matrix {
		out = append(out, a)
	}
	return out
}
