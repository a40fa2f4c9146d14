package web

import (
	"net/http"

	"crisisdesk/internal/authz"
)

// route is one row of the table: what it serves, what it needs, who
// handles it.
type route struct {
	authz.Route
	handle http.HandlerFunc
	// bare routes skip the chain (no session lookup): static files.
	bare bool
	// maxBody raises the body limit of a route that takes uploads.
	maxBody int64
}

func public(method, pattern string, fn http.HandlerFunc) route {
	return route{Route: authz.Route{Method: method, Pattern: pattern, Public: true}, handle: fn}
}

func signedIn(method, pattern string, fn http.HandlerFunc) route {
	return route{Route: authz.Route{Method: method, Pattern: pattern, SignedIn: true}, handle: fn}
}

func need(action authz.Action, method, pattern string, fn http.HandlerFunc) route {
	return route{Route: authz.Route{Method: method, Pattern: pattern, Action: action}, handle: fn}
}

// withBody raises a route's body limit, for uploads.
func withBody(limit int64, rt route) route {
	rt.maxBody = limit
	return rt
}

// deskPath is the staff home: the dashboard, where signing in lands.
// The staff UI lives under it so that the public site can have "/".
const deskPath = "/desk"

// table is THE route table of the staff UI.
func (h *Handler) table() []route {
	return []route{
		{Route: authz.Route{Method: http.MethodGet, Pattern: "/static/{file...}", Public: true}, handle: h.assets.serve, bare: true},

		public(http.MethodGet, "/signin", h.signinPage),
		public(http.MethodPost, "/signin", h.signin),
		public(http.MethodGet, signinCodePath, h.signinCodePage), // the second factor of a pending sign-in
		public(http.MethodPost, signinCodePath, h.signinCode),
		signedIn(http.MethodPost, "/signout", h.signout),
		public(http.MethodPost, "/account/language", h.setLanguage), // anonymous: cookie; signed in: stored
		need(authz.EditOwnProfile, http.MethodGet, "/account/password", h.passwordPage),
		need(authz.EditOwnProfile, http.MethodPost, "/account/password", h.changePassword),
		need(authz.EditOwnProfile, http.MethodGet, mfaPath, h.mfaPage),
		need(authz.EditOwnProfile, http.MethodPost, mfaPath, h.confirmMFA),
		need(authz.EditOwnProfile, http.MethodPost, mfaPath+"/recovery", h.regenerateRecovery),
		need(authz.EditOwnProfile, http.MethodPost, mfaPath+"/disable", h.disableMFA),
		need(authz.EditOwnProfile, http.MethodGet, signinsPath, h.signinsPage),

		need(authz.ViewDashboard, http.MethodGet, deskPath, h.dashboard),
		need(authz.ViewDashboard, http.MethodGet, "/desk/fragment", h.dashboardPart),
		need(authz.ViewDashboard, http.MethodGet, "/desk/events", h.dashboardEvents),
		need(authz.ViewDashboard, http.MethodPost, "/alerts/read", h.markAlertsRead),

		need(authz.ViewPlans, http.MethodGet, "/catalog", h.catalogPage),
		need(authz.ManageCatalog, http.MethodGet, "/catalog/new", h.newTypePage),
		need(authz.ManageCatalog, http.MethodPost, "/catalog/new", h.createType),
		need(authz.ViewPlans, http.MethodGet, "/catalog/{id}", h.typePage),
		need(authz.ManageCatalog, http.MethodPost, "/catalog/{id}", h.updateType),

		need(authz.ViewPlans, http.MethodGet, "/plans", h.plansPage),
		need(authz.EditPlan, http.MethodGet, "/plans/new", h.newPlanPage),
		need(authz.EditPlan, http.MethodPost, "/plans/new", h.createPlan),
		need(authz.ViewPlans, http.MethodGet, "/plans/{id}", h.planPage),
		need(authz.EditPlan, http.MethodGet, "/plans/{id}/edit", h.planEditPage),
		need(authz.EditPlan, http.MethodPost, "/plans/{id}/edit", h.savePlan),
		need(authz.EditPlan, http.MethodPost, "/plans/{id}/submit", h.submitPlan),
		need(authz.ReviewPlan, http.MethodPost, "/plans/{id}/review", h.reviewPlan),    // or return
		need(authz.ApprovePlan, http.MethodPost, "/plans/{id}/approve", h.approvePlan), // or return
		need(authz.ViewPlans, http.MethodGet, "/plans/{id}/print", h.planPrint),
		need(authz.ViewPlans, http.MethodGet, "/plans/{id}/offline", h.planOffline),

		need(authz.ViewCrises, http.MethodGet, "/desk/crises", h.crisesPage),
		need(authz.DeclareCrisis, http.MethodGet, "/desk/crises/new", h.declarePage),
		need(authz.DeclareCrisis, http.MethodPost, "/desk/crises/new", h.declare),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}", h.crisisRoom),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/events", h.crisisEvents),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/fragment/header", h.crisisPart("header")),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/fragment/actions", h.crisisPart("actions")),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/fragment/clocks", h.crisisPart("clocks")),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/fragment/tasks", h.crisisPart("tasks")),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/fragment/timeline", h.crisisPart("timeline")),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/fragment/people", h.crisisPart("people")),
		need(authz.CommandCrisis, http.MethodPost, "/desk/crises/{id}/activate", h.activatePlan),
		need(authz.CommandCrisis, http.MethodPost, "/desk/crises/{id}/level", h.changeLevel),
		need(authz.CommandCrisis, http.MethodPost, "/desk/crises/{id}/recover", h.recoverCrisis),
		need(authz.CommandCrisis, http.MethodPost, "/desk/crises/{id}/close", h.closeCrisis),
		withBody(maxNoteBody, need(authz.WriteTimeline, http.MethodPost, "/desk/crises/{id}/timeline", h.addNote)),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/attachments/{entry}", h.attachment),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/timeline.csv", h.timelineExport),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/timeline.xlsx", h.timelineExport),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/timeline/print", h.timelinePrint),
		need(authz.ViewCrises, http.MethodGet, "/desk/crises/{id}/review", h.reviewPage),
		need(authz.EditReview, http.MethodPost, "/desk/crises/{id}/review", h.saveReview),
		need(authz.WorkTasks, http.MethodPost, "/tasks/{id}/done", h.taskDone),
		need(authz.WorkTasks, http.MethodPost, "/tasks/{id}/check/{n}", h.taskCheck),

		need(authz.ViewUsers, http.MethodGet, "/admin/users", h.users),
		need(authz.ManageUsers, http.MethodGet, "/admin/users/new", h.newUserPage),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/new", h.createUser),
		need(authz.ViewUsers, http.MethodGet, "/admin/users/{id}", h.userPage),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}", h.updateUser),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}/password", h.resetPassword),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}/disable", h.disableUser),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}/enable", h.enableUser),
		need(authz.ManageUsers, http.MethodGet, "/admin/users/{id}/mfa/reset", h.resetMFAPage),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}/mfa/reset", h.resetMFA),

		need(authz.ViewDepartments, http.MethodGet, "/admin/departments", h.departments),
		need(authz.ManageDepartment, http.MethodGet, "/admin/departments/new", h.newDepartmentPage),
		need(authz.ManageDepartment, http.MethodPost, "/admin/departments/new", h.createDepartment),
		need(authz.ViewDepartments, http.MethodGet, "/admin/departments/{id}", h.departmentPage),
		need(authz.ManageDepartment, http.MethodPost, "/admin/departments/{id}", h.updateDepartment),
		need(authz.ManageDepartment, http.MethodPost, "/admin/departments/{id}/delete", h.deleteDepartment),

		need(authz.ViewAudit, http.MethodGet, "/admin/audit", h.auditTrail),

		public(http.MethodGet, oidcStartPath, h.oidcStart), // 404 without a provider
		public(http.MethodGet, oidcCallbackPath, h.oidcCallback),

		need(authz.ViewNotices, http.MethodGet, "/desk/notices", h.noticesPage),
		need(authz.EditNotice, http.MethodGet, "/desk/notices/new", h.newNoticePage),
		need(authz.EditNotice, http.MethodPost, "/desk/notices/new", h.createNotice),
		need(authz.ViewNotices, http.MethodGet, "/desk/notices/{id}", h.noticePage),
		need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/submit", h.submitNotice),
		need(authz.ApproveNotice, http.MethodPost, "/desk/notices/{id}/approve", h.approveNotice),
		need(authz.ReturnNotice, http.MethodPost, "/desk/notices/{id}/return", h.returnNotice),
		need(authz.PublishNotice, http.MethodPost, "/desk/notices/{id}/publish", h.publishNotice),
		need(authz.ReviewNoticeAfter, http.MethodPost, "/desk/notices/{id}/review", h.reviewNotice),
		need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/correct", h.correctNotice),
		need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/cancel", h.cancelNotice),
		need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/all-clear", h.allClearNotice),
		need(authz.EditNotice, http.MethodPost, "/desk/notices/convert", h.convertNotice),
		need(authz.EditNotice, http.MethodPost, "/desk/notices/preview", h.previewNotice),
		need(authz.EditNotice, http.MethodGet, "/desk/notices/import", h.importNoticePage),
		withBody(maxImportBody, need(authz.EditNotice, http.MethodPost, "/desk/notices/import", h.importNotice)),
		need(authz.ViewDeliveries, http.MethodGet, "/desk/notices/{id}/deliveries", h.noticeDeliveries),
		need(authz.RetryDeliveries, http.MethodPost, "/desk/notices/{id}/retry", h.retryDeliveries),
		need(authz.ReadInternalNotice, http.MethodGet, inboxPath, h.inbox),

		need(authz.ViewSubscribers, http.MethodGet, subscribersPath, h.subscribersPage),
		need(authz.ViewPersonalData, http.MethodGet, subscribersExportPath, h.exportSubscribers),
		need(authz.ViewPersonalData, http.MethodGet, subscribersExportXLSXPath, h.exportSubscribers),
		need(authz.ManageSubscribers, http.MethodGet, "/desk/subscribers/import", h.importSubscribersPage),
		withBody(maxSubscriberCSV, need(authz.ManageSubscribers, http.MethodPost, "/desk/subscribers/import", h.importSubscribers)),
		need(authz.ManageSubscribers, http.MethodGet, "/desk/subscribers/{id}/delete", h.deleteSubscriberPage),
		need(authz.ManageSubscribers, http.MethodPost, "/desk/subscribers/{id}/delete", h.deleteSubscriber),

		need(authz.ManageWebhooks, http.MethodGet, webhooksPath, h.webhooksPage),
		need(authz.ManageWebhooks, http.MethodPost, webhooksPath, h.registerWebhook),
		need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/pause", h.pauseWebhook),
		need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/resume", h.resumeWebhook),
		need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/rotate", h.rotateWebhook),
		need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/delete", h.deleteWebhook),

		need(authz.TestChannels, http.MethodGet, channelsPath, h.channelsPage),
		need(authz.TestChannels, http.MethodPost, "/desk/admin/channels/test", h.testChannel),
	}
}
