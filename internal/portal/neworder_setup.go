package portal

import (
	"context"
	"errors"
	"fmt"
	"github.com/google/uuid"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// Entity sets only New Order reads.
const (
	setDistributionChannels = erpnet.SetDistributionChannels
	setStores               = "Logistics_Inventory_Stores"
)

// salesOrdersEntity is the EntityName of the document types sales orders may have.
const salesOrdersEntity = "SalesOrders"

// SetupProblem is a New Order setting of the instance that Erp.Net does not know.
type SetupProblem struct {
	// Setting is the key under the instance in the settings file, e.g. "new_order_document_type".
	Setting string
	// Code is the vendor's CC code, where there is one.
	Code string
	// Detail says what Erp.Net lacks, in English, for the administrator who fixes the setting
	// (check-config's report).
	Detail string
	// refusal is what New Order answers while the problem lasts: a sentence of the catalog.
	refusal *Error
}

// orderSetup is what every order placed through the instance refers to, resolved from its settings.
type orderSetup struct {
	DocumentType, EnterpriseCompany, Channel, Store erpnet.Ref
}

// codeRow is a reference entity found by its code.
type codeRow struct {
	ID         string `json:"Id"`
	Code       string `json:"Code"`
	EntityName string `json:"EntityName"`
}

// NewOrderOn tells whether the instance offers New Order at all: enabled, with its document
// type, inside an Orders section that is on (the vendor's IsOrdersEnabled covers Orders and New
// Order).
func (s *Service) NewOrderOn() bool {
	return s.inst.IsOrdersEnabled && s.inst.IsNewOrderEnabled && strings.TrimSpace(s.inst.NewOrderDocumentType) != ""
}

// SetupProblems checks the New Order settings against Erp.Net: the document type must be one
// of SalesOrders (CC009), the site channel a distribution channel, the default store (when set)
// a store, and the enterprise company known. Nothing is checked when New Order is off. An error
// means Erp.Net could not be asked.
func (s *Service) SetupProblems(ctx context.Context) ([]SetupProblem, error) {
	_, problems, err := s.resolveSetup(ctx)
	return problems, err
}

// CheckSetup is nil when New Order can place orders with the instance's settings. Otherwise it
// is the first problem as an *Error (code CC009 for an unknown document type), or the error met
// reaching Erp.Net. It is checked on first use rather than at start, because Erp.Net may be down
// when the portal starts; the lookups are cached as reference data.
func (s *Service) CheckSetup(ctx context.Context) error {
	_, err := s.orderSetup(ctx)
	return err
}

// orderSetup resolves the settings, failing with the first problem.
func (s *Service) orderSetup(ctx context.Context) (orderSetup, error) {
	setup, problems, err := s.resolveSetup(ctx)
	if err != nil {
		return orderSetup{}, err
	}
	if len(problems) > 0 {
		return orderSetup{}, problems[0].refusal
	}
	return setup, nil
}

// resolveSetup reads what the settings name, as the instance's, shared by every viewer (so
// without one: nothing of it is marked on a page's freshness).
func (s *Service) resolveSetup(ctx context.Context) (orderSetup, []SetupProblem, error) {
	var setup orderSetup
	var problems []SetupProblem
	if !s.NewOrderOn() {
		return setup, nil, nil
	}
	ec, err := s.enterpriseCompanyID(ctx, nil)
	var pe *Error
	switch {
	case errors.As(err, &pe):
		problems = append(problems, SetupProblem{Setting: "enterprise_company", Code: pe.Code, Detail: fmt.Sprintf(pe.Message, pe.Args...), refusal: pe})
	case err != nil:
		return setup, nil, err
	default:
		setup.EnterpriseCompany = erpnet.NewRef(erpnet.SetEnterpriseCompanies, ec)
	}

	// The vendor's setting holds the document type's Id; a code is accepted too.
	code := strings.TrimSpace(s.inst.NewOrderDocumentType)
	var types []codeRow
	if id, perr := uuid.Parse(code); perr == nil {
		types, err = listAll[codeRow](ctx, s, nil, "", cache.KindProducts, erpnet.From(erpnet.SetDocumentTypes).
			Where(erpnet.Eq("Id", erpnet.GUID(id.String()))).Select("Id", "Code", "EntityName"))
	} else {
		types, err = s.findByCode(ctx, nil, erpnet.SetDocumentTypes, code, "EntityName")
	}
	if err != nil {
		return setup, nil, err
	}
	for _, t := range types {
		if t.EntityName == salesOrdersEntity && setup.DocumentType.IsZero() {
			setup.DocumentType = erpnet.NewRef(erpnet.SetDocumentTypes, t.ID)
		}
	}
	if setup.DocumentType.IsZero() {
		problems = append(problems, SetupProblem{Setting: "new_order_document_type", Code: "CC009",
			Detail: `the order document type "` + code + `" is not a document type of sales orders in the ERP system`,
			refusal: ccErr(KindSetup, "CC009", "New orders cannot be placed yet",
				"This Client Center is not set up correctly for new orders: the order document type \"%s\" is not a document type of sales orders in the ERP system. Please tell your contact at %s.", code, s.inst.Title)})
	}

	channel := strings.TrimSpace(s.inst.SiteChannel)
	channels, err := s.findByCode(ctx, nil, setDistributionChannels, channel)
	if err != nil {
		return setup, nil, err
	}
	if len(channels) == 0 {
		problems = append(problems, SetupProblem{Setting: "site_channel",
			Detail: `the distribution channel "` + channel + `" is not known to the ERP system`,
			refusal: ccErr(KindSetup, "", "New orders cannot be placed yet",
				"This Client Center is not set up correctly for new orders: the distribution channel \"%s\" is not known to the ERP system. Please tell your contact at %s.", channel, s.inst.Title)})
	} else {
		setup.Channel = erpnet.NewRef(setDistributionChannels, channels[0].ID)
	}

	if store := strings.TrimSpace(s.inst.DefaultStore); store != "" {
		stores, err := s.findByCode(ctx, nil, setStores, store)
		if err != nil {
			return setup, nil, err
		}
		if len(stores) == 0 {
			problems = append(problems, SetupProblem{Setting: "default_store",
				Detail: `the store "` + store + `" is not known to the ERP system`,
				refusal: ccErr(KindSetup, "", "New orders cannot be placed yet",
					"This Client Center is not set up correctly for new orders: the store \"%s\" is not known to the ERP system. Please tell your contact at %s.", store, s.inst.Title)})
		} else {
			setup.Store = erpnet.NewRef(setStores, stores[0].ID)
		}
	}
	return setup, problems, nil
}

// findByCode reads the entities of a reference set with this code (with extra properties), as
// reference data shared by every customer.
func (s *Service) findByCode(ctx context.Context, v *Viewer, set, code string, extra ...string) ([]codeRow, error) {
	q := erpnet.From(set).Where(erpnet.Eq("Code", erpnet.Str(code))).Select(append([]string{"Id", "Code"}, extra...)...).Top(10)
	return listAll[codeRow](ctx, s, v, "", cache.KindProducts, q)
}
