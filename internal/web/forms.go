package web

// maxDepartments is how many departments a page lists at once: a city has
// dozens, and the store pages at most 500.
const maxDepartments = 500
