package server_test

import (
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/config"
	"github.com/clientcenter/clientcenter/internal/testenv"
)

// TestInstanceLanguageChoosesDataLanguage: an instance whose first language is Bulgarian shows
// Erp.Net's multi-language values (document types, product names) in Bulgarian; the default
// instance shows them in English.
func TestInstanceLanguageChoosesDataLanguage(t *testing.T) {
	t.Parallel()
	bg := testenv.Instance("bg")
	bg.Languages = []string{"bg", "en"}
	env := testenv.New(t, testenv.Options{Instances: []config.Instance{testenv.Instance("cc"), bg}})
	o := orderIDs(t, env, "Customer/Number eq 'C-1001' and State eq 'Completed'").Value[0]
	b, _ := env.SignIn(t, "bg", "prices@orbis.example")
	page := b.Get("/bg/orders/" + o.ID)
	if page.Status != 200 || !strings.Contains(page.Body, "Поръчка за продажба") && !strings.Contains(page.Body, "Експортна поръчка") {
		t.Errorf("bg instance: document type not in Bulgarian: %s", page)
	}
	if !containsCyrillic(page.Text("table[data-lines] tbody")) {
		t.Errorf("bg instance: product names not in Bulgarian: %q", page.Text("table[data-lines] tbody"))
	}
	page = b.Get("/cc/orders/" + o.ID)
	if strings.Contains(page.Body, "Поръчка за продажба") || containsCyrillic(page.Text("table[data-lines] tbody")) {
		t.Errorf("en instance shows Bulgarian values")
	}
}

func containsCyrillic(s string) bool {
	for _, r := range s {
		if r >= 'А' && r <= 'я' {
			return true
		}
	}
	return false
}
