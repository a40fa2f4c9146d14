package admin

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// oneTimePasswordView shows a generated password, once.
type oneTimePasswordView struct {
	User     account.User
	Password string
	Created  bool // a new user rather than a reset
}

func (h *Room) newUserPage(w http.ResponseWriter, r *http.Request) {
	h.renderUserForm(w, r, http.StatusOK, "user_new", userForm{Role: authz.Editor, MustChange: true}, account.User{})
}

// createUser makes a user. A blank password means "generate one": it is
// shown once and must be changed at first sign-in.
func (h *Room) createUser(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	f := userFormFrom(r)
	password, generated := f.Password, f.Password == ""
	if generated {
		password = account.GeneratePassword()
	}
	in := account.NewUser{
		Name: f.Name, DisplayName: f.DisplayName, Email: f.Email, Role: f.Role, DepartmentID: f.DepartmentID,
		Language: f.Language, Password: password, MustChangePassword: f.MustChange || generated,
	}
	in.Normalize()
	f.Password = ""
	fe, invalid := kit.InvalidFields(tr, in.Validate(), userRules)
	if !invalid {
		u, err := h.Accounts.CreateUser(r.Context(), kit.Actor(r), in)
		switch {
		case err == nil && generated:
			h.Kit.Render(w, r, http.StatusOK, "user_password", oneTimePasswordView{User: u, Password: password, Created: true})
			return
		case err == nil:
			kit.Redirect(w, r, UsersPath+"/"+strconv.FormatInt(u.ID, 10)+"?done=created")
			return
		case fault.Is(err, fault.Conflict):
			fe = kit.FieldErrors{"name": tr.T("err.user_name_taken")}
		default:
			if fe, invalid = kit.InvalidFields(tr, err, userRefusals); !invalid {
				h.Kit.Fail(w, r, err)
				return
			}
		}
	}
	f.Errors = fe
	h.renderUserForm(w, r, http.StatusUnprocessableEntity, "user_new", f, account.User{})
}
