package zoomsim

import (
	"strings"
)

// User is a Zoom user of the simulated account (or another account).
type User struct {
	ID        string
	Email     string
	FirstName string
	LastName  string
	AccountID string
	PMI       int64 // 0 = the user has no personal meeting ID
	// PMIDisabled makes use_pmi requests fail although the user has a PMI.
	PMIDisabled bool
	Timezone    string // default "America/New_York"
	Type        int    // 1 basic, 2 licensed (default)
	// VanityName gives the user a personal link, <zoom>/my/<name>, reported as
	// vanity_url by GET /users.
	VanityName string
	// pmiPassword is the encrypted passcode of the personal room, fixed per user
	// so that every PMI join URL of one user is the same.
	pmiPassword string
}

// AddUser adds a user, or replaces the one with the same email, and returns it
// with ID and AccountID filled in.
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.AccountID == "" {
		u.AccountID = s.opts.AccountID
	}
	if u.Timezone == "" {
		u.Timezone = "America/New_York"
	}
	if u.Type == 0 {
		u.Type = 2
	}
	u.pmiPassword = randString(30, alnum)
	for i, old := range s.users {
		if strings.EqualFold(old.Email, u.Email) {
			if u.ID == "" {
				u.ID = old.ID
			}
			s.users[i] = &u
			return u
		}
	}
	if u.ID == "" {
		u.ID = newUserID()
	}
	s.users = append(s.users, &u)
	return u
}

// SetLoginUser makes GET /oauth/authorize complete at once as this user, like a
// browser already signed in to Zoom. "" brings back the user picker page.
func (s *Server) SetLoginUser(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loginEmail = email
}

func (s *Server) userByIDLocked(id string) *User {
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (s *Server) userByEmailLocked(email string) *User {
	for _, u := range s.users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

// ownerLocked is whom "me" means for account-level (server-to-server) tokens.
func (s *Server) ownerLocked(accountID string) *User {
	for _, u := range s.users {
		if u.AccountID == accountID {
			return u
		}
	}
	return nil
}

// resolveUserLocked finds the user a path's {userId} names, as seen by tok:
// "me", an id or an email, and only within the token's account.
func (s *Server) resolveUserLocked(tok *accessToken, ref string) *User {
	var u *User
	switch {
	case ref == "me" && tok.userID != "":
		u = s.userByIDLocked(tok.userID)
	case ref == "me":
		u = s.ownerLocked(tok.accountID)
	case strings.Contains(ref, "@"):
		u = s.userByEmailLocked(ref)
	default:
		u = s.userByIDLocked(ref)
	}
	if u == nil || u.AccountID != tok.accountID {
		return nil
	}
	return u
}
