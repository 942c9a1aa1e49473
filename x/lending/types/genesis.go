package types

import (
	errorsmod "cosmossdk.io/errors"
)

// DefaultGenesis has default params, no products and no loans.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextLoanId: 1}
}

// Validate checks the genesis state on its own: params, products, loans
// (known product, positive amounts, no title in two live loans) and ids.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	products := map[string]bool{}
	for _, p := range gs.Products {
		if err := p.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "product %s: %s", p.Id, err)
		}
		if products[p.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate product %s", p.Id)
		}
		products[p.Id] = true
	}
	if gs.NextLoanId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_loan_id must be >= 1")
	}
	loans := map[uint64]bool{}
	titles := map[uint64]uint64{}
	for _, l := range gs.Loans {
		if l.Id == 0 || l.Id >= gs.NextLoanId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "loan id %d must be in [1, next_loan_id)", l.Id)
		}
		if loans[l.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate loan %d", l.Id)
		}
		loans[l.Id] = true
		if err := l.validate(products); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d: %s", l.Id, err)
		}
		if !Live(l.Status) {
			continue
		}
		for _, t := range l.TitleIds {
			if other, ok := titles[t]; ok {
				return errorsmod.Wrapf(ErrInvalidGenesis, "title %d in live loans %d and %d", t, other, l.Id)
			}
			titles[t] = l.Id
		}
	}
	for _, a := range gs.Auctions {
		if !loans[a.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "auction %d has no loan", a.Id)
		}
		if len(a.TitleValues) != len(a.TitleIds) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "auction %d: %d title values for %d titles", a.Id, len(a.TitleValues), len(a.TitleIds))
		}
		if AuctionStatus_name[int32(a.Status)] == "" || a.Status == AuctionStatusUnspecified {
			return errorsmod.Wrapf(ErrInvalidGenesis, "auction %d: status %d", a.Id, a.Status)
		}
		if a.TopPrice.IsNil() || a.TopPrice.IsNegative() || a.FloorRatio.IsNil() || a.CasualtyProceeds.IsNil() || a.CasualtyProceeds.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "auction %d: invalid amounts", a.Id)
		}
	}
	for _, r := range gs.Revaluations {
		if err := ValidateID("class_id", r.ClassId); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
	}
	return nil
}

func (l Loan) validate(products map[string]bool) error {
	if _, err := ValidateAddress("borrower", l.Borrower); err != nil {
		return err
	}
	if !products[l.ProductId] {
		return errorsmod.Wrapf(ErrProductNotFound, "product %s", l.ProductId)
	}
	if len(l.TitleIds) == 0 && l.Status == LoanPending {
		return errorsmod.Wrap(ErrInvalidTitles, "no titles")
	}
	if l.Status == LoanStatusUnspecified || LoanStatus_name[int32(l.Status)] == "" {
		return errorsmod.Wrapf(ErrInvalidLoanStatus, "status %d", l.Status)
	}
	if err := CheckPositive("principal", l.Principal); err != nil {
		return err
	}
	for _, a := range []struct {
		name string
		v    interface{ IsNil() bool }
	}{
		{"junior_amount", l.JuniorAmount}, {"junior_principal", l.JuniorPrincipal}, {"senior.balance", l.Senior.Balance},
		{"interest_due", l.InterestDue}, {"principal_due", l.PrincipalDue}, {"dsr", l.Dsr},
		{"interest_paid", l.InterestPaid}, {"principal_paid", l.PrincipalPaid}, {"late_interest", l.LateInterest},
	} {
		if a.v.IsNil() {
			return errorsmod.Wrapf(ErrInvalidAmount, "%s missing", a.name)
		}
	}
	for _, a := range []struct {
		name string
		v    interface{ IsNegative() bool }
	}{
		{"junior_amount", l.JuniorAmount}, {"junior_principal", l.JuniorPrincipal}, {"senior.balance", l.Senior.Balance},
		{"interest_due", l.InterestDue}, {"principal_due", l.PrincipalDue}, {"dsr", l.Dsr}, {"late_interest", l.LateInterest},
	} {
		if a.v.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidAmount, "%s negative", a.name)
		}
	}
	if Funded(l.Status) {
		if _, err := ValidateAddress("curator", l.Curator); err != nil {
			return err
		}
		if l.Terms.RepaymentInterval <= 0 {
			return errorsmod.Wrap(ErrInvalidProduct, "terms.repayment_interval must be positive")
		}
		if l.PrincipalDue.GT(l.Outstanding()) {
			return errorsmod.Wrap(ErrInvalidAmount, "principal_due above outstanding principal")
		}
	}
	return nil
}
