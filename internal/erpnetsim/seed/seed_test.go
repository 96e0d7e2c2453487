package seed

import (
	"testing"
	"time"

	"github.com/clientcenter/clientcenter/internal/erpnetsim/odata"
)

// TestSeedHoldsOnlyTheModelsValues fails when the seed writes a property, enum value or string
// the generated model does not allow: the store refuses it (conforms), and Fill panics. It was
// part of odata's TestSimulatorServesOnlyTheModel, which checks the schema against the model.
func TestSeedHoldsOnlyTheModelsValues(t *testing.T) {
	defer func() {
		if err := recover(); err != nil {
			t.Fatalf("seeding: %v", err)
		}
	}()
	Fill(odata.NewStore(), time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), 1) // conforms() refuses any value off the model
}
