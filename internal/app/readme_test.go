package app

import (
	"os"
	"strings"
	"testing"

	"github.com/clientcenter/clientcenter/internal/erpnetsim"
)

func TestReadmeListsTheDemoSignIns(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, u := range erpnetsim.New(erpnetsim.Options{}).DemoUsers() {
		customer := u.Customer
		if customer == "" {
			customer = "–"
		}
		row := "| `" + u.Login + "` | " + u.Role + " | " + customer + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md lacks the sign-in row %s", row)
		}
	}
	if !strings.Contains(readme, "password is `"+erpnetsim.DemoPassword+"`") {
		t.Errorf("README.md does not give the demo password %q", erpnetsim.DemoPassword)
	}
}
