package web

// maxPlans bounds the approved versions read to flag lapsed plans; an
// office has dozens.
const maxPlans = 500
