package web

import "github.com/clientcenter/clientcenter/internal/portal"

// ConversationView is a document's messages with the form to write one.
type ConversationView struct {
	// Action is where the form posts; DocID names the document for the browser's record of
	// when the person last read its messages.
	Action, DocID string
	Messages      []portal.Message
	// Token is the form's, so that sending it twice adds one message; Draft is what was typed
	// when sending failed, Problem why.
	Token, Draft, Problem string
	// Unavailable is true when the messages could not be read just now.
	Unavailable bool
}
