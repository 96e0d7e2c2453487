package odata

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Notification is what CreateNotification left for a user: the simulator keeps them for tests
// and the demo to look at, as Erp.Net shows them in the user's notifications.
type Notification struct {
	User     Ref
	Class    string
	Subject  string
	Priority string
	Entity   Ref // the object the method was invoked on
	Time     time.Time
}

// notifications is the log CreateNotification writes, shared by the instance and its
// transactions' views (the method creates it "in a separate transaction", so it stays even when
// a front-end transaction is discarded).
type notifications struct {
	mu  sync.Mutex
	all []Notification
}

// notificationPriorities are the members of Systems.Core.NotificationsRepository.Priority.
var notificationPriorities = []string{"Background", "Low", "Normal", "High", "Urgent"}

// Notifications are the notifications created so far, oldest first.
func (s *Server) Notifications() []Notification {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	return slices.Clone(s.notes.all)
}

// createNotification handles "POST Set(id)/CreateNotification" {user, notificationClass, subject,
// priority}: the model declares it on every entity object. The user is an entity parameter,
// sent as {"@odata.id":"Systems_Security_Users(guid)"} like any reference (UNCONFIRMED: the
// docs give the parameter's type, not its JSON shape; the simulator takes the shape the
// references of a body have). The user must exist, the subject must not be empty and the
// priority, when given, must be a member of the enum.
func (s *Server) createNotification(w http.ResponseWriter, r *http.Request, es *entitySet, id string) {
	var params struct {
		User              json.RawMessage `json:"user"`
		NotificationClass string          `json:"notificationClass"`
		Subject           string          `json:"subject"`
		Priority          string          `json:"priority"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&params); err != nil {
		writeError(w, http.StatusBadRequest, 0, "The action parameters are not valid JSON.", "")
		return
	}
	s.store.mu.RLock()
	e := s.store.get(es.Name, id)
	var user Ref
	var err error
	if e != nil {
		var ref struct {
			ID string `json:"@odata.id"`
		}
		if json.Unmarshal(params.User, &ref) != nil || ref.ID == "" {
			err = bizErr("The parameter 'user' must be a reference to a user: {\"@odata.id\":\"Systems_Security_Users(guid)\"}.")
		} else {
			user, err = s.parseRef(&prop{Name: "user", Kind: kRef, Target: SetUsers}, ref.ID)
		}
	}
	s.store.mu.RUnlock()
	switch {
	case e == nil:
		writeNotFound(w, es, id)
		return
	case err != nil:
		writeWriteError(w, err)
		return
	case params.Subject == "":
		writeWriteError(w, bizErr("The parameter 'subject' is required."))
		return
	case params.Priority != "" && !slices.Contains(notificationPriorities, params.Priority):
		writeWriteError(w, bizErr("'%s' is not a notification priority.", params.Priority))
		return
	}
	if params.Priority == "" {
		params.Priority = "Normal"
	}
	s.notes.mu.Lock()
	s.notes.all = append(s.notes.all, Notification{User: user, Class: params.NotificationClass, Subject: params.Subject,
		Priority: params.Priority, Entity: Ref{Set: es.Name, ID: id}, Time: s.opts.Now()})
	s.notes.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
