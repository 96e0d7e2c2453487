package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

type simComment struct {
	ID          string `json:"Id"`
	CommentText string `json:"CommentText"`
	ExternalID  string `json:"ExternalId"`
	User        struct {
		ODataID string `json:"@odata.id"`
	} `json:"User"`
}

// comments are every social comment in the simulator.
func comments(t *testing.T, env *testenv.Env) []simComment {
	t.Helper()
	var out struct{ Value []simComment }
	env.API(t, "Communities_Social_Comments?$select=Id,CommentText,ExternalId,User&$top=1000", &out)
	return out.Value
}

// seededConversation is the document of kind ("o" or "i") the seed has a conversation on.
func seededConversation(t *testing.T, env *testenv.Env, kind string) string {
	t.Helper()
	for _, c := range comments(t, env) {
		if parts := strings.Split(c.ExternalID, ":"); len(parts) == 4 && parts[1] == kind && parts[3] == "seed" {
			return parts[2]
		}
	}
	t.Fatalf("no seeded conversation on a document of kind %s", kind)
	return ""
}

// otherDocument is a document of the second customer, of set.
func otherDocument(t *testing.T, env *testenv.Env, set string) string {
	t.Helper()
	var out struct {
		Value []struct {
			ID string `json:"Id"`
		}
	}
	env.API(t, set+"?$select=Id&$top=1&$filter="+url.QueryEscape("Customer/Number eq '"+erpnetsim.SecondCustomerNumber+"'"), &out)
	if len(out.Value) == 0 {
		t.Fatalf("no %s of %s", set, erpnetsim.SecondCustomerNumber)
	}
	return out.Value[0].ID
}

func countText(cs []simComment, text string) int {
	n := 0
	for _, c := range cs {
		if c.CommentText == text {
			n++
		}
	}
	return n
}

func TestMessagesShowOnlyThePortalsThreadAndTheAnswers(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	order := seededConversation(t, env, "o")
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	p := b.Get("/cc/orders/" + order)
	msgs := p.Doc.Find("[data-messages] [data-message]")
	if p.Status != 200 || msgs.Length() != 2 {
		t.Fatalf("%s: %d messages: %q", p, msgs.Length(), p.Text("[data-messages]"))
	}
	if msgs.First().AttrOr("data-message", "") != "false" || msgs.Last().AttrOr("data-message", "") != "true" ||
		!strings.Contains(msgs.Last().Text(), "9:30") || !strings.Contains(msgs.Last().Text(), "Elena Petrova") {
		t.Errorf("the question, then the supplier's answer: %q", msgs.Text())
	}
	for _, internal := range []string{"check the route", "Route checked"} {
		if strings.Contains(p.Body, internal) {
			t.Errorf("the staff's internal comment %q is shown", internal)
		}
	}
	// Home lists the answered document until the person reads it (the browser keeps when).
	home := b.Get("/cc/")
	if a := home.Doc.Find(`[data-answers] [data-answer-doc="` + order + `"] a`); a.Length() != 1 || !strings.HasSuffix(a.AttrOr("href", ""), "/cc/orders/"+order+"#messages") {
		t.Errorf("Home does not list the answered order: %q", home.Text("[data-answers]"))
	}
}

func TestPostMessageOnceNotifiesAndEscapes(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	order := seededConversation(t, env, "o")
	b, _ := env.SignIn(t, "cc", "orders@orbis.example")
	page := b.Get("/cc/orders/" + order)
	token := page.Doc.Find("[data-messages] input[name=token]").AttrOr("value", "")
	text := "Please bring <script>alert(1)</script> the invoice & the \"delivery note\".\nThanks"
	form := url.Values{"token": {token}, "text": {text}}
	before := len(env.Sim.Notifications())
	for range 2 { // a double click
		if p := b.Post("/cc/orders/"+order+"/messages", form); p.Status != 200 || !strings.HasSuffix(p.URL, "/cc/orders/"+order+"#messages") {
			t.Fatalf("post: %s", p)
		}
	}
	if n := countText(comments(t, env), text); n != 1 {
		t.Errorf("%d comments of the message in Erp.Net, want 1", n)
	}
	notes := env.Sim.Notifications()[before:]
	if len(notes) != 1 || !strings.Contains(notes[0].Subject, "C-1001") {
		t.Errorf("notifications: %+v, want one to the order's assignee", notes)
	}
	p := b.Get("/cc/orders/" + order)
	last := p.Doc.Find("[data-messages] [data-message]").Last()
	if got := last.Find(".msg-text").Text(); got != text {
		t.Errorf("the message reads %q, want %q", got, text)
	}
	if strings.Contains(p.Body, "<script>alert(1)") {
		t.Error("the message's markup reached the page")
	}
	// A new form (a new token) with the same text is a new message.
	token2 := p.Doc.Find("[data-messages] input[name=token]").AttrOr("value", "")
	b.Post("/cc/orders/"+order+"/messages", url.Values{"token": {token2}, "text": {"Second question"}})
	if n := countText(comments(t, env), "Second question"); n != 1 {
		t.Errorf("the second message: %d comments", n)
	}
}

func TestMessageProblemsKeepWhatWasTyped(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	inv := seededConversation(t, env, "i")
	b, _ := env.SignIn(t, "cc", "billing@orbis.example")
	path := "/cc/invoices/" + inv + "/messages"
	if p := b.Post(path, url.Values{"token": {"t0"}, "text": {"   "}}); p.Status != 400 || !strings.Contains(p.Text("[data-messages] [role=alert]"), "Write a message") {
		t.Errorf("an empty message: %s %q", p, p.Text("[data-messages] [role=alert]"))
	}
	long := strings.Repeat("ä", 2001)
	if p := b.Post(path, url.Values{"token": {"t1"}, "text": {long}}); p.Status != 400 || p.Doc.Find("textarea[name=text]").Text() != long {
		t.Errorf("a message too long: %s, the text kept: %v", p, p.Doc.Find("textarea[name=text]").Text() == long)
	}
	for i := range 5 {
		if p := b.Post(path, url.Values{"token": {"r" + string(rune('a'+i))}, "text": {"Question " + string(rune('A'+i))}}); p.Status != 200 {
			t.Fatalf("message %d: %s", i+1, p)
		}
	}
	p := b.Post(path, url.Values{"token": {"r-last"}, "text": {"One more"}})
	if p.Status != 429 || p.Doc.Find("textarea[name=text]").Text() != "One more" {
		t.Errorf("the sixth message in ten minutes: %s, kept %q", p, p.Doc.Find("textarea[name=text]").Text())
	}
	if countText(comments(t, env), "One more") != 0 {
		t.Error("a message over the limit reached Erp.Net")
	}
}

func TestMessagesSweepOtherCustomersAndLowerRoles(t *testing.T) {
	t.Parallel()
	env := testenv.New(t, testenv.Options{Quiet: true})
	order, inv := seededConversation(t, env, "o"), seededConversation(t, env, "i")
	otherOrder, otherInv := otherDocument(t, env, "Crm_Sales_SalesOrders"), otherDocument(t, env, "Crm_Invoicing_Invoices")
	for _, tt := range []struct {
		login, path string
		want        int
	}{
		{"basic@orbis.example", "/cc/orders/" + order + "/messages", 403},
		{"orders@orbis.example", "/cc/invoices/" + inv + "/messages", 403},
		{"prices@orbis.example", "/cc/invoices/" + inv + "/messages", 403},
		{"owner@orbis.example", "/cc/orders/" + otherOrder + "/messages", 404},
		{"owner@orbis.example", "/cc/invoices/" + otherInv + "/messages", 404},
		{"owner@orbis.example", "/cc/invoices/" + order + "/messages", 404}, // an order's id as an invoice's
		{"mueller@orbis.example", "/cc/orders/" + order + "/messages", 404},
	} {
		b, _ := env.SignIn(t, "cc", tt.login)
		text := "sweep " + tt.login + " " + tt.path
		if p := b.Post(tt.path, url.Values{"token": {"x"}, "text": {text}}); p.Status != tt.want {
			t.Errorf("%s POST %s: %s, want %d", tt.login, tt.path, p, tt.want)
		}
		if countText(comments(t, env), text) != 0 {
			t.Errorf("%s POST %s wrote a comment", tt.login, tt.path)
		}
	}
	// Who may not open a document sees none of its messages either.
	b, _ := env.SignIn(t, "cc", "mueller@orbis.example")
	if p := b.Get("/cc/orders/" + order); p.Status != 404 || strings.Contains(p.Body, "9:30") {
		t.Errorf("another customer's person on the order: %s", p)
	}
}
