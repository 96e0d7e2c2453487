package portal

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/clientcenter/clientcenter/internal/cache"
	"github.com/clientcenter/clientcenter/internal/epc"
	"github.com/clientcenter/clientcenter/internal/erpnet"
)

// BankAccount is the supplier's account a customer pays into in one currency.
type BankAccount struct {
	Currency    string
	Beneficiary string // the enterprise company's name, in the viewer's language
	IBAN        string // grouped in fours, as people read it
	BIC         string
	Bank        string
}

// Transfer is how to pay what is owed in one currency by bank transfer: the amount left, the
// references that tell the supplier what it pays (the documents' numbers), the account (nil when
// the supplier has published none for the currency) and, for euros, the EPC QR code's text.
type Transfer struct {
	Amount     Money
	References []string
	Reference  string // the references as one line, the transfer's remittance text
	Account    *BankAccount
	// EPC is the payload of the EPC QR code (a SEPA credit transfer), empty when there is none;
	// NoQR is then a catalog key saying why, empty when no code is expected (no account).
	EPC  string
	NoQR string
}

// Why a transfer has no QR code, as catalog keys.
const (
	NoQRCurrency = "The QR code is for transfers in euros; pay this with the details above."
	NoQRTooMany  = "These references are too long for one QR code: choose fewer items, or type the details above."
	NoQRInvalid  = "A QR code cannot be made for this account; pay with the details above."
)

// paymentAccount is what the portal reads of a payment account of the enterprise company.
type paymentAccount struct {
	ID          string                     `json:"Id"`
	Code        string                     `json:"Code"`
	Currency    erpnet.Link[currencySign]  `json:"Currency"`
	BankAccount erpnet.Link[partyBankInfo] `json:"BankAccount"`
}

type currencySign struct {
	CurrencySign string `json:"CurrencySign"`
}

type partyBankInfo struct {
	BankAccountCode string          `json:"BankAccountCode"`
	BankCode        string          `json:"BankCode"`
	BankName        erpnet.MLString `json:"BankName"`
	IsDefault       bool            `json:"IsDefault"`
}

// bankAccount is the account to pay into in currency: the payment account the instance names for
// it (bank_accounts), else the enterprise company's active payment account in that currency with
// a bank account, the party's default bank account first, then by code. Payment accounts are
// reference data, read in one cached call per instance; nil when there is none.
func (s *Service) bankAccount(ctx context.Context, v *Viewer, currency string) (*BankAccount, error) {
	ecID, err := s.enterpriseCompanyID(ctx, v)
	if err != nil {
		return nil, err
	}
	q := erpnet.From(erpnet.SetPaymentAccounts).
		Where(erpnet.Eq("EnterpriseCompany", erpnet.NewRef(erpnet.SetEnterpriseCompanies, ecID)), erpnet.Eq("IsActive", erpnet.Bool(true))).
		Select("Id", "Code").Expand("Currency", erpnet.Query{}.Select("Id", "CurrencySign")).
		Expand("BankAccount", erpnet.Query{}.Select("Id", "BankAccountCode", "BankCode", "BankName", "IsDefault"))
	accounts, err := listAll[paymentAccount](ctx, s, v, "", cache.KindProducts, q)
	if err != nil {
		return nil, err
	}
	named := "" // the settings' keys come lower-cased from YAML
	for cur, code := range s.inst.BankAccounts {
		if strings.EqualFold(cur, currency) {
			named = code
		}
	}
	var pick *paymentAccount
	for i, a := range accounts {
		c, b := a.Currency.Entity, a.BankAccount.Entity
		if c == nil || b == nil || !strings.EqualFold(c.CurrencySign, currency) || !epc.ValidIBAN(epc.Compact(b.BankAccountCode)) {
			continue
		}
		if named != "" {
			if strings.EqualFold(a.Code, named) {
				pick = &accounts[i]
			}
			continue
		}
		if pick == nil || b.IsDefault && !pick.BankAccount.Entity.IsDefault ||
			b.IsDefault == pick.BankAccount.Entity.IsDefault && a.Code < pick.Code {
			pick = &accounts[i]
		}
	}
	if pick == nil {
		return nil, nil
	}
	b := pick.BankAccount.Entity
	name, _, err := s.supplierName(ctx, v)
	if err != nil {
		return nil, err
	}
	return &BankAccount{Currency: strings.ToUpper(currency), Beneficiary: name, IBAN: epc.Grouped(b.BankAccountCode),
		BIC: epc.Compact(b.BankCode), Bank: s.text(v, b.BankName)}, nil
}

// supplierName is the enterprise company's name in the viewer's language, and in Latin letters
// where Erp.Net has it in English, for the QR code, which banks read in the SEPA character set.
func (s *Service) supplierName(ctx context.Context, v *Viewer) (shown, latin string, err error) {
	ecID, err := s.enterpriseCompanyID(ctx, v)
	if err != nil {
		return "", "", err
	}
	all, err := cached(ctx, s, v, "", cache.KindProducts, enterpriseCompaniesKey, func(ctx context.Context) ([]erpnet.EnterpriseCompany, error) {
		var out []erpnet.EnterpriseCompany
		err := s.erp.ListAll(ctx, enterpriseCompanies, &out)
		return out, err
	})
	if err != nil {
		return "", "", err
	}
	for _, ec := range all {
		if strings.EqualFold(ec.ID, ecID) && ec.Company.Entity != nil {
			n := ec.Company.Entity.PartyName
			return s.text(v, n), n.In("EN"), nil
		}
	}
	return s.inst.Supplier, s.inst.Supplier, nil
}

// SupplierName is the enterprise company's name in the viewer's language, as a statement is
// headed.
func (s *Service) SupplierName(ctx context.Context, v *Viewer) (string, error) {
	name, _, err := s.supplierName(ctx, v)
	return name, err
}

// owed is an amount still to pay on one document.
type owed struct {
	ref    string
	amount Money
}

// transfers groups what is owed by currency into the transfers that pay it, each with its
// account and, in euros, its QR code.
func (s *Service) transfers(ctx context.Context, v *Viewer, items []owed) ([]Transfer, error) {
	byCur := map[string]*Transfer{}
	var cents = map[string]int64{}
	for _, it := range items {
		cur := it.amount.Currency
		t := byCur[cur]
		if t == nil {
			t = &Transfer{Amount: Money{Currency: cur}}
			byCur[cur] = t
		}
		cents[cur] += int64(math.Round(it.amount.Value * 100))
		if !slices.Contains(t.References, it.ref) {
			t.References = append(t.References, it.ref)
		}
	}
	out := make([]Transfer, 0, len(byCur))
	for cur, t := range byCur {
		t.Amount.Value = float64(cents[cur]) / 100
		if t.Amount.Value <= 0 {
			continue
		}
		slices.Sort(t.References)
		t.Reference = strings.Join(t.References, " ")
		acc, err := s.bankAccount(ctx, v, cur)
		if err != nil {
			return nil, err
		}
		t.Account = acc
		if acc != nil {
			t.EPC, t.NoQR, err = s.epcPayload(ctx, v, acc, *t)
			if err != nil {
				return nil, err
			}
		}
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Transfer) int { return cmp.Compare(a.Amount.Currency, b.Amount.Currency) })
	return out, nil
}

// epcPayload is the EPC QR code of a transfer in euros, or why there is none.
func (s *Service) epcPayload(ctx context.Context, v *Viewer, acc *BankAccount, t Transfer) (string, string, error) {
	if !strings.EqualFold(t.Amount.Currency, "EUR") {
		return "", NoQRCurrency, nil
	}
	_, latin, err := s.supplierName(ctx, v)
	if err != nil {
		return "", "", err
	}
	// The BIC is optional in the code's version 002: one Erp.Net holds in another form is left
	// out rather than costing the code; a name longer than the code takes is cut to its 70.
	tr := epc.Transfer{Name: cmp.Or(latin, acc.Beneficiary), IBAN: acc.IBAN, BIC: acc.BIC, Amount: t.Amount.Value, Text: t.Reference}
	if r := []rune(strings.TrimSpace(tr.Name)); len(r) > 70 {
		tr.Name = string(r[:70])
	}
	p, err := tr.Payload()
	if errors.Is(err, epc.ErrBIC) {
		tr.BIC = ""
		p, err = tr.Payload()
	}
	switch {
	case errors.Is(err, epc.ErrText):
		return "", NoQRTooMany, nil
	case err != nil:
		return "", NoQRInvalid, nil
	}
	return p, "", nil
}

// InvoiceTransfers is how to pay what is still to pay of an invoice, its number the reference.
func (s *Service) InvoiceTransfers(ctx context.Context, v *Viewer, inv Invoice) ([]Transfer, error) {
	items := make([]owed, 0, len(inv.Outstanding))
	for _, m := range inv.Outstanding {
		items = append(items, owed{inv.Number, m})
	}
	return s.transfers(ctx, v, items)
}

// MaxPaySelection bounds how many documents one transfer page takes.
const MaxPaySelection = 50

// DueTransfers is how to pay the open items of the chosen documents (by number, as the Due
// Payments page lists them) together: one transfer per currency, of what remains on them. Only
// the viewer's own open items within the horizon count, so a number of another customer's
// document adds nothing. It reads the same cached open items as Due Payments.
func (s *Service) DueTransfers(ctx context.Context, v *Viewer, docs []string) ([]Transfer, error) {
	if len(docs) > MaxPaySelection {
		return nil, ccErr(KindInvalid, "", "Too many items", "Choose at most %d items to pay together.", MaxPaySelection)
	}
	rows, _, _, err := s.openItems(ctx, v)
	if err != nil {
		return nil, err
	}
	var items []owed
	for _, r := range rows {
		if slices.Contains(docs, r.DocumentNo) {
			items = append(items, owed{cmp.Or(r.InvoiceNo, r.DocumentNo), r.Remaining})
		}
	}
	return s.transfers(ctx, v, items)
}
