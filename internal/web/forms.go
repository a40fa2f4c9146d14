package web

// maxDepartments is how many departments a page lists at once: a city has
// dozens, and the store pages at most 500.
const maxDepartments = 500

// maxPlans bounds the approved versions read to flag lapsed plans; an
// office has dozens.
const maxPlans = 500
