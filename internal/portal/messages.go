package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Messages on a document are Erp.Net's social comments on its extensible data object
// (Communities_Social_Comments). Those written through the portal carry ExternalSystem
// ClientCenter and an ExternalId of "cc-msg:"; the customer sees them and the comments that
// reply to them (ReplyToComment), which is how the tenant's staff answer in Erp.Net. Every other
// comment on the document is the staff's own and never leaves Erp.Net.
const (
	messageSystem = "ClientCenter"
	messagePrefix = "cc-msg:"
	// MaxMessage is the longest message, in characters.
	MaxMessage = 2000
	// messagesMax bounds the comments read of one document.
	messagesMax = 500
	// A person may write messageBurst messages within messageWindow, on every document together.
	messageBurst  = 5
	messageWindow = 10 * time.Minute
)

// Message is one message of a document's conversation.
type Message struct {
	ID     string
	Author string
	// Staff is true for the supplier's answers, written in Erp.Net.
	Staff bool
	Text  string
	Time  time.Time
}

// DocKind names the documents that have conversations.
type DocKind int

// The documents with conversations.
const (
	DocOrder DocKind = iota + 1
	DocInvoice
)

// letter is the kind's mark in a message's ExternalId.
func (k DocKind) letter() string {
	if k == DocInvoice {
		return "i"
	}
	return "o"
}

// messageID is the ExternalId of a message: "cc-msg:", the document's kind and Id (so Home can
// tell which document a person's message is on without another call), and a hash of the person,
// the document, the form's token and the text. The same form sent again with the same text has
// the same ExternalId, so Erp.Net's merge finds the first; another text is another message; and
// no one can choose an ExternalId that finds someone else's message.
func messageID(kind DocKind, docID, userID, token, text string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(userID) + "\x00" + strings.ToLower(docID) + "\x00" + token + "\x00" + text))
	return messagePrefix + kind.letter() + ":" + strings.ToLower(docID) + ":" + hex.EncodeToString(sum[:16])
}

// messageDoc reads the document back out of a message's ExternalId.
func messageDoc(externalID string) (DocKind, string, bool) {
	parts := strings.Split(strings.TrimPrefix(externalID, messagePrefix), ":")
	if !strings.HasPrefix(externalID, messagePrefix) || len(parts) != 3 || !validID(parts[1]) {
		return 0, "", false
	}
	switch parts[0] {
	case "o":
		return DocOrder, parts[1], true
	case "i":
		return DocInvoice, parts[1], true
	}
	return 0, "", false
}

func (k DocKind) set() string {
	if k == DocInvoice {
		return erpnet.SetInvoices
	}
	return erpnet.SetSalesOrders
}

func (k DocKind) entityType() string {
	if k == DocInvoice {
		return "Crm.Invoicing.Invoices"
	}
	return "Crm.Sales.SalesOrders"
}

// messageGuard is the per-person rate limit of messages and the messages just posted, so that a
// second submission of the same form (a double click, a retry) adds nothing and notifies no one
// again; Erp.Net's merge by ExternalId covers a retry after a lost answer.
type messageGuard struct {
	mu     sync.Mutex
	objMu  sync.Mutex // one first message of a document makes its data object at a time
	times  map[string][]time.Time
	posted map[string]time.Time
}

// comment is what the portal reads of a social comment.
type comment struct {
	ID              string                `json:"Id"`
	CommentText     string                `json:"CommentText"`
	CreationTimeUtc erpnet.Time           `json:"CreationTimeUtc"`
	ExternalSystem  string                `json:"ExternalSystem"`
	ExternalID      string                `json:"ExternalId"`
	ReplyToComment  erpnet.Ref            `json:"ReplyToComment"`
	User            erpnet.Link[userName] `json:"User"`
}

type userName struct {
	ID   string          `json:"Id"`
	Name erpnet.MLString `json:"Name"`
}

// canMessage tells whether the viewer may see and write the messages of a kind of document: who
// may open the document (orders from L20, invoices from L40).
func (s *Service) canMessage(v *Viewer, kind DocKind) bool {
	if v.Current == nil {
		return false
	}
	if kind == DocInvoice {
		return v.Current.Role.Can(access.ViewInvoices)
	}
	return s.OrdersOn() && v.Current.Role.Can(access.ViewOrders)
}

// checkDocument makes sure the viewer may open the document: the same checks as its page.
func (s *Service) checkDocument(ctx context.Context, v *Viewer, kind DocKind, id string) error {
	if !s.canMessage(v, kind) {
		return ErrNotFound
	}
	q := erpnet.Query{}.Select("default", "Id").Expand("DocumentType", erpnet.Query{}.Select("Id", "Code", "TypeName"))
	if kind == DocInvoice {
		_, err := fetchDocument(ctx, s, v, erpnet.SetInvoices, id, q, s.inst.InvoiceDocumentTypes,
			func(d invoiceDoc) (string, erpnet.Document) { return d.Customer.ID, d.Document })
		return err
	}
	_, err := fetchDocument(ctx, s, v, erpnet.SetSalesOrders, id, q, s.inst.OrderDocumentTypes,
		func(o erpnet.SalesOrder) (string, erpnet.Document) { return o.Customer.ID, o.Document })
	return err
}

// dataObjectsQuery finds a document's extensible data objects.
func dataObjectsQuery(docID string) erpnet.Query {
	return erpnet.From(erpnet.SetDataObjects).Where(erpnet.Eq("EntityItemId", erpnet.GUID(docID))).Select("Id", "EntityItemId")
}

// dataObjects are the Ids of the document's extensible data objects (one, as a rule; none
// before anything hangs on it). They are kept with the customer's data (not as reference data,
// as for files), so that the object the first message makes is found once that message's write
// drops the customer's entries.
func (s *Service) dataObjects(ctx context.Context, v *Viewer, docID string) ([]erpnet.Literal, error) {
	objects, err := listAll[erpnet.DataObject](ctx, s, v, v.Current.CustomerID, cache.KindDocuments, dataObjectsQuery(docID))
	out := make([]erpnet.Literal, 0, len(objects))
	for _, o := range objects {
		out = append(out, erpnet.NewRef(erpnet.SetDataObjects, o.ID))
	}
	return out, err
}

// Messages is the conversation on a document the viewer may open, oldest first: the messages
// written through the portal and the staff's answers to them. One cached call (after the
// document's object is known).
func (s *Service) Messages(ctx context.Context, v *Viewer, kind DocKind, docID string) ([]Message, error) {
	if err := s.checkDocument(ctx, v, kind, docID); err != nil {
		return nil, err
	}
	objs, err := s.dataObjects(ctx, v, docID)
	if err != nil || len(objs) == 0 {
		return nil, err
	}
	// Every object of the document, should two have been made.
	q := erpnet.From(erpnet.SetComments).Where(erpnet.In("DataObject", objs...)).
		Select("Id", "CommentText", "CreationTimeUtc", "ExternalSystem", "ExternalId", "ReplyToComment").
		Expand("User", erpnet.Query{}.Select("Id", "Name")).OrderBy("CreationTimeUtc", false).Top(messagesMax)
	all, err := s.comments(ctx, v, cache.KindDocuments, q)
	if err != nil {
		return nil, err
	}
	return s.conversation(v, all), nil
}

// comments are the social comments q finds (one page, at most messagesMax), cached with the
// customer's data.
func (s *Service) comments(ctx context.Context, v *Viewer, kind cache.Kind, q erpnet.Query) ([]comment, error) {
	return cached(ctx, s, v, v.Current.CustomerID, kind, "comments:"+q.String(), func(ctx context.Context) ([]comment, error) {
		var out []comment
		_, err := s.erp.ListPage(ctx, q, &out)
		return out, err
	})
}

// conversation keeps of a document's comments those the customer may read.
func (s *Service) conversation(v *Viewer, all []comment) []Message {
	ours := map[string]bool{}
	for _, c := range all {
		if c.ExternalSystem == messageSystem && strings.HasPrefix(c.ExternalID, messagePrefix) {
			ours[strings.ToLower(c.ID)] = true
		}
	}
	var out []Message
	for _, c := range all {
		mine := ours[strings.ToLower(c.ID)]
		if !mine && !ours[strings.ToLower(c.ReplyToComment.ID)] {
			continue // the staff's own comment: internal
		}
		m := Message{ID: c.ID, Staff: !mine, Text: c.CommentText, Time: c.CreationTimeUtc.Time.In(s.loc)}
		if u := c.User.Entity; u != nil {
			m.Author = s.text(v, u.Name)
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Message) int { return a.Time.Compare(b.Time) })
	return out
}

// Message errors, with the field they are about.
var (
	errMessageEmpty = &Error{Kind: KindInvalid, Heading: "Check your message", Message: "Write a message first."}
	errMessageLong  = &Error{Kind: KindInvalid, Heading: "Check your message", Message: "A message can be at most %d characters long.", Args: []any{MaxMessage}}
	errMessageRate  = &Error{Kind: KindTooMany, Heading: "Too many messages", Message: "You have written %d messages in the last %d minutes; please wait a little before the next.",
		Args: []any{messageBurst, int(messageWindow / time.Minute)}}
)

// cleanMessage is a message as it is stored: plain text, its line breaks as \n, without other
// control characters and without blanks around it.
func cleanMessage(text string) (string, error) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, text)
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", errMessageEmpty
	case utf8.RuneCountInString(text) > MaxMessage:
		return "", errMessageLong
	}
	return text, nil
}

// PostMessage writes a message on a document the viewer may open, as the person (the comment's
// User), once per form: token is the form's, and the comment is merged by an ExternalId made of
// the person, the document and the token, so a second submission of the same form finds the
// first instead of adding another, and no one can choose an ExternalId that finds someone
// else's message. The document's assignee (AssignedToUser, else the users of its
// ResponsiblePerson) is notified through Erp.Net's CreateNotification; the document itself is
// not changed.
func (s *Service) PostMessage(ctx context.Context, v *Viewer, kind DocKind, docID, token, text string) error {
	text, err := cleanMessage(text)
	if err != nil {
		return err
	}
	if err := s.checkDocument(ctx, v, kind, docID); err != nil {
		return err
	}
	externalID := messageID(kind, docID, v.UserID, token, text)
	if !s.msgs.admit(v.UserID, externalID, s.now()) {
		if s.msgs.wasPosted(externalID, s.now()) {
			return nil // the same form again: it is there already
		}
		return errMessageRate
	}
	posted := false
	defer func() {
		if !posted { // Erp.Net did not take it: it neither counts nor blocks a retry
			s.msgs.forget(v.UserID, externalID)
		}
	}()
	obj, err := s.ensureDataObject(ctx, v, kind, docID)
	if err != nil {
		return err
	}
	body := struct {
		erpnet.Merge
		DataObject      erpnet.Ref `json:"DataObject"`
		User            erpnet.Ref `json:"User"`
		CommentText     string     `json:"CommentText"`
		CreationTimeUtc string     `json:"CreationTimeUtc"`
	}{erpnet.MergeBy(externalID, messageSystem), erpnet.NewRef(erpnet.SetDataObjects, obj), erpnet.NewRef(erpnet.SetUsers, v.UserID), text,
		s.now().UTC().Format(time.RFC3339)}
	if err := s.erp.Create(ctx, erpnet.SetComments, body, nil); err != nil {
		return err
	}
	posted = true
	s.invalidate(ctx, v.Current.CustomerID)
	s.log.Info("message posted", zapFields(v, "document", docID)...)
	s.notify(ctx, v, kind, docID)
	return nil
}

// ensureDataObject is the document's extensible data object, made when it has none: the set is
// writable through the Domain API and the docs do not say that the server makes one by itself, so
// the portal does. A lock of the service and a read past the cache keep two first messages in
// this process from making two; replicas could still each make one at the same moment, which
// Messages allows for by reading the comments of every object of the document.
func (s *Service) ensureDataObject(ctx context.Context, v *Viewer, kind DocKind, docID string) (string, error) {
	s.msgs.objMu.Lock()
	defer s.msgs.objMu.Unlock()
	var found []erpnet.DataObject
	if _, err := s.erp.ListPage(ctx, dataObjectsQuery(docID), &found); err != nil || len(found) > 0 {
		if len(found) > 0 {
			return found[0].ID, nil
		}
		return "", err
	}
	var made erpnet.DataObject
	err := s.erp.Create(ctx, erpnet.SetDataObjects, map[string]any{"EntityType": kind.entityType(), "EntityItemId": strings.ToLower(docID),
		"IsDeleted": false, "LatestVersion": 1}, &made)
	if err != nil {
		return "", err
	}
	return made.ID, nil // the customer's entries, the lookup among them, are dropped after the post
}

// notify tells the document's assignee of a new message. A failure is logged, not shown: the
// message is written, and the staff see it on the document in Erp.Net.
func (s *Service) notify(ctx context.Context, v *Viewer, kind DocKind, docID string) {
	var doc struct {
		Number   string     `json:"DocumentNo"`
		Assigned erpnet.Ref `json:"AssignedToUser"`
		Person   erpnet.Ref `json:"ResponsiblePerson"`
	}
	if err := s.erp.Get(ctx, kind.set(), docID, erpnet.Query{}.Select("Id", "DocumentNo", "AssignedToUser", "ResponsiblePerson"), &doc); err != nil {
		s.log.Warn("message: could not read the document to notify", zap.Error(err))
		return
	}
	users := []string{}
	if doc.Assigned.ID != "" {
		users = append(users, doc.Assigned.ID)
	} else if doc.Person.ID != "" {
		var found []struct {
			ID     string `json:"Id"`
			Active bool   `json:"Active"`
		}
		q := erpnet.From(erpnet.SetUsers).Where(erpnet.Eq("Person", erpnet.NewRef(erpnet.SetPersons, doc.Person.ID))).Select("Id", "Active").Top(5)
		if _, err := s.erp.ListPage(ctx, q, &found); err != nil {
			s.log.Warn("message: could not find the responsible person's user", zap.Error(err))
			return
		}
		for _, u := range found {
			if u.Active {
				users = append(users, u.ID)
			}
		}
	}
	for _, u := range users {
		params := map[string]any{"user": erpnet.NewRef(erpnet.SetUsers, u), "notificationClass": "ClientCenter.Message",
			"subject": "Client Center: " + v.Name + " (" + v.Current.CustomerNumber + ") wrote on " + doc.Number, "priority": "Normal"}
		if err := s.erp.Action(ctx, kind.set(), docID, "CreateNotification", params, nil); err != nil {
			s.log.Warn("message: CreateNotification failed", zap.Error(err))
		}
	}
}

// admit takes a message of person into the rate limit, unless it is a form already posted or
// the person wrote messageBurst within messageWindow.
func (g *messageGuard) admit(person, externalID string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.times == nil {
		g.times, g.posted = map[string][]time.Time{}, map[string]time.Time{}
	}
	for id, t := range g.posted {
		if now.Sub(t) > messageWindow {
			delete(g.posted, id)
		}
	}
	if _, ok := g.posted[externalID]; ok {
		return false
	}
	recent := g.times[person][:0]
	for _, t := range g.times[person] {
		if now.Sub(t) < messageWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) >= messageBurst {
		g.times[person] = recent
		return false
	}
	g.times[person] = append(recent, now)
	g.posted[externalID] = now
	return true
}

func (g *messageGuard) wasPosted(externalID string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	t, ok := g.posted[externalID]
	return ok && now.Sub(t) <= messageWindow
}

// forget takes back a message that Erp.Net did not take, so it neither counts nor blocks a retry.
func (g *messageGuard) forget(person, externalID string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.posted, externalID)
	if ts := g.times[person]; len(ts) > 0 {
		g.times[person] = ts[:len(ts)-1]
	}
}

// Answered is a document on which the staff answered the person's messages lately.
type Answered struct {
	Kind   DocKind
	DocID  string
	Number string
	// Latest is when the newest answer was written; Count how many answers there are.
	Latest time.Time
	Count  int
}

// Answer windows: the person's messages of the last 90 days, answers of the last 30.
const (
	askedDays    = 90
	answeredDays = 30
)

// Answers are the documents of the viewer's customer on which the staff answered the person's own
// messages in the last 30 days, newest first: Home lists them, and the browser hides those the
// person has looked at since (it keeps when, per document). Two cached calls (the person's
// messages, then the answers to them), and one per kind of document to keep only those the
// person may open for this customer.
func (s *Service) Answers(ctx context.Context, v *Viewer) ([]Answered, error) {
	if !s.canMessage(v, DocOrder) && !s.canMessage(v, DocInvoice) {
		return nil, nil
	}
	today := s.today()
	mineQ := erpnet.From(erpnet.SetComments).Where(erpnet.Eq("User", erpnet.NewRef(erpnet.SetUsers, v.UserID)),
		erpnet.Ge("CreationTimeUtc", erpnet.DateTime(today.AddDate(0, 0, -askedDays)))).
		Select("Id", "ExternalSystem", "ExternalId").Top(messagesMax)
	mine, err := s.comments(ctx, v, cache.KindLists, mineQ)
	if err != nil {
		return nil, err
	}
	type doc struct {
		kind DocKind
		id   string
	}
	asked := map[string]doc{}
	var ids []erpnet.Literal
	for _, c := range mine {
		if kind, id, ok := messageDoc(c.ExternalID); ok && c.ExternalSystem == messageSystem && len(ids) < 100 {
			asked[strings.ToLower(c.ID)] = doc{kind, id}
			ids = append(ids, erpnet.GUID(c.ID))
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	repliesQ := erpnet.From(erpnet.SetComments).Where(erpnet.In("ReplyToComment", ids...),
		erpnet.Ge("CreationTimeUtc", erpnet.DateTime(today.AddDate(0, 0, -answeredDays)))).
		Select("Id", "CreationTimeUtc", "ReplyToComment").Top(messagesMax)
	replies, err := s.comments(ctx, v, cache.KindLists, repliesQ)
	if err != nil {
		return nil, err
	}
	byDoc := map[doc]*Answered{}
	idsOf := map[DocKind][]string{}
	for _, r := range replies {
		d, ok := asked[strings.ToLower(r.ReplyToComment.ID)]
		if !ok {
			continue
		}
		a := byDoc[d]
		if a == nil {
			a = &Answered{Kind: d.kind, DocID: d.id}
			byDoc[d] = a
			idsOf[d.kind] = append(idsOf[d.kind], d.id)
		}
		a.Count++
		if r.CreationTimeUtc.After(a.Latest) {
			a.Latest = r.CreationTimeUtc.Time
		}
	}
	numbers := map[DocKind]map[string]string{}
	for kind, docIDs := range idsOf {
		if !s.canMessage(v, kind) {
			continue
		}
		scope := s.orderScope(v)
		if kind == DocInvoice {
			scope = s.invoiceScope(v)
		}
		if numbers[kind], err = s.visibleNumbers(ctx, v, kind.set(), scope, docIDs); err != nil {
			return nil, err
		}
	}
	var out []Answered
	for _, a := range byDoc {
		if no, ok := numbers[a.Kind][a.DocID]; ok {
			a.Number = no
			out = append(out, *a)
		}
	}
	slices.SortFunc(out, func(a, b Answered) int { return b.Latest.Compare(a.Latest) })
	return out, nil
}
