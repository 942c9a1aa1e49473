package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

var (
	_ sdk.HasValidateBasic = &MsgCreateProduct{}
	_ sdk.HasValidateBasic = &MsgUpdateProduct{}
	_ sdk.HasValidateBasic = &MsgRequestLoan{}
	_ sdk.HasValidateBasic = &MsgCancelLoanRequest{}
	_ sdk.HasValidateBasic = &MsgUnderwriteLoan{}
	_ sdk.HasValidateBasic = &MsgRepay{}
	_ sdk.HasValidateBasic = &MsgUpdateParams{}
)

// ValidateAddress parses a bech32 account address.
func ValidateAddress(field, addr string) (sdk.AccAddress, error) {
	a, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "invalid %s address %q: %s", field, addr, err)
	}
	return a, nil
}

// CheckPositive returns ErrInvalidAmount unless amount is positive.
func CheckPositive(field string, amount math.Int) error {
	if amount.IsNil() || !amount.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must be positive", field)
	}
	return nil
}

func checkLoanID(id uint64) error {
	if id == 0 {
		return errorsmod.Wrap(ErrLoanNotFound, "loan id must be positive")
	}
	return nil
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgCreateProduct) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Product.Validate()
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgUpdateProduct) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Product.Validate()
}

// ValidateBasic implements sdk.HasValidateBasic. The title count bound is a
// param, checked by the keeper.
func (m *MsgRequestLoan) ValidateBasic() error {
	if _, err := ValidateAddress("borrower", m.Borrower); err != nil {
		return err
	}
	if len(m.TitleIds) == 0 {
		return errorsmod.Wrap(ErrInvalidTitles, "title_ids must not be empty")
	}
	seen := make(map[uint64]bool, len(m.TitleIds))
	for _, id := range m.TitleIds {
		if id == 0 {
			return errorsmod.Wrap(ErrInvalidTitles, "title id must be positive")
		}
		if seen[id] {
			return errorsmod.Wrapf(ErrInvalidTitles, "title %d listed twice", id)
		}
		seen[id] = true
	}
	if err := ValidateID("product_id", m.ProductId); err != nil {
		return errorsmod.Wrap(ErrProductNotFound, err.Error())
	}
	return CheckPositive("principal", m.Principal)
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgCancelLoanRequest) ValidateBasic() error {
	if _, err := ValidateAddress("borrower", m.Borrower); err != nil {
		return err
	}
	return checkLoanID(m.LoanId)
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgUnderwriteLoan) ValidateBasic() error {
	if _, err := ValidateAddress("curator", m.Curator); err != nil {
		return err
	}
	if err := checkLoanID(m.LoanId); err != nil {
		return err
	}
	if m.Apr.IsNil() || m.Apr.IsNegative() || m.Apr.GT(math.LegacyNewDec(10)) {
		return errorsmod.Wrapf(ErrInvalidAPR, "apr must be in [0, 10], got %v", m.Apr)
	}
	return CheckPositive("junior_amount", m.JuniorAmount)
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgRepay) ValidateBasic() error {
	if _, err := ValidateAddress("payer", m.Payer); err != nil {
		return err
	}
	if err := checkLoanID(m.LoanId); err != nil {
		return err
	}
	return CheckPositive("amount", m.Amount)
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
