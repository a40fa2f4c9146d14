package authz

// Route is one entry of a surface's route table: the method and pattern it
// serves and the action it needs. Public routes need no sign-in; SignedIn
// routes need a session or token but no particular action. The route test
// walks every Route of every surface with every role.
type Route struct {
	Method   string
	Pattern  string // net/http ServeMux pattern path, e.g. "/admin/users/{id}"
	Action   Action // "" when Public or SignedIn
	Public   bool
	SignedIn bool
}
