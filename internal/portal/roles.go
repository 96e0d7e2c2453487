package portal

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/clientcenter/clientcenter/internal/access"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// roleProbe remembers which roles the connected Erp.Net has, found once.
type roleProbe struct {
	mu    sync.Mutex
	known bool
	set   access.RoleSet
	// failed is when the last probe failed: for a short while callers are answered at once
	// rather than each waiting for a server that is down.
	failed time.Time
	// unknown are the access records already reported with a role this portal does not know:
	// the records are re-read on every request, the warning is written once.
	unknown sync.Map
}

// roleSet is the set of roles of the connected server: current builds have six, older ones
// five (OrdersBilling instead of OrdersWithPrices and Billing). It asks once, with a query that
// costs nothing to answer: an older server refuses OrdersWithPrices as a value of Role. Any other
// failure (Erp.Net down) is returned and asked again next time.
func (s *Service) roleSet(ctx context.Context) (access.RoleSet, error) {
	s.roles.mu.Lock()
	defer s.roles.mu.Unlock()
	if s.roles.known {
		return s.roles.set, nil
	}
	if !s.roles.failed.IsZero() && s.now().Sub(s.roles.failed) < roleProbeRetry {
		return access.RoleSet{}, errRolesUnknown
	}
	q := erpnet.From(erpnet.SetExternalAccess).Where(erpnet.Eq("Role", erpnet.Enum(access.OrdersWithPrices.APIValue()))).Select("Id").Top(1)
	var rows []erpnet.ExternalAccess
	_, err := s.erp.ListPage(ctx, q, &rows)
	var refused *erpnet.Error
	switch {
	case err == nil:
	case errors.As(err, &refused) && !erpnet.IsUnavailable(err) && !erpnet.IsRateLimited(err):
		s.roles.set.Legacy = true
		s.log.Info("Erp.Net has the five roles of older builds: Billing is written OrdersBilling, Orders with Prices is not offered")
	default:
		s.roles.failed = s.now()
		return access.RoleSet{}, err
	}
	s.roles.known = true
	return s.roles.set, nil
}

// roleProbeRetry is how long a failed probe of the roles is not repeated.
const roleProbeRetry = 30 * time.Second

// errRolesUnknown is the answer while a failed probe of the server's roles is not repeated.
var errRolesUnknown = errors.New("portal: the ERP system's roles could not be read a moment ago")

// roleFromAPI reads the role of an access record by meaning. An unknown value is logged, so an
// Admin who wonders why a person cannot sign in finds the reason, instead of locking them out
// without a word.
func (s *Service) roleFromAPI(value, accessID string) (access.Role, bool) {
	r, ok := access.FromAPI(value)
	if _, told := s.roles.unknown.LoadOrStore(accessID+"/"+value, true); !ok && !told {
		s.log.Warn("an access record has a role this portal does not know; the person is treated as without a role",
			zap.String("role", value), zap.String("access", accessID))
	}
	return r, ok
}

// RolesOffered are the roles User Management may offer on the connected server.
func (s *Service) RolesOffered(ctx context.Context) []access.Role {
	rs, err := s.roleSet(ctx)
	if err != nil {
		return access.RoleSet{}.Offered()
	}
	return rs.Offered()
}
