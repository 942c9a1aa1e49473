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
	_ sdk.HasValidateBasic = &MsgWithdrawLockbox{}
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
	if err := checkTitleIDs(m.TitleIds); err != nil {
		return err
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

// ValidateBasic checks the borrower, the loan id and a non-empty valid coin list.
func (m *MsgWithdrawLockbox) ValidateBasic() error {
	if _, err := ValidateAddress("borrower", m.Borrower); err != nil {
		return err
	}
	if err := checkLoanID(m.LoanId); err != nil {
		return err
	}
	if m.Amount.Empty() || !m.Amount.IsValid() {
		return errorsmod.Wrapf(ErrInvalidAmount, "amount must be a non-empty list of positive, sorted, distinct coins, got %s", m.Amount)
	}
	return nil
}

// checkTitleIDs requires a non-empty list of distinct positive title ids.
func checkTitleIDs(ids []uint64) error {
	if len(ids) == 0 {
		return errorsmod.Wrap(ErrInvalidTitles, "title_ids must not be empty")
	}
	seen := make(map[uint64]bool, len(ids))
	for _, id := range ids {
		if id == 0 {
			return errorsmod.Wrap(ErrInvalidTitles, "title id must be positive")
		}
		if seen[id] {
			return errorsmod.Wrapf(ErrInvalidTitles, "title %d listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgAddCollateral) ValidateBasic() error {
	if _, err := ValidateAddress("borrower", m.Borrower); err != nil {
		return err
	}
	if err := checkLoanID(m.LoanId); err != nil {
		return err
	}
	return checkTitleIDs(m.TitleIds)
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgWithdrawCollateral) ValidateBasic() error {
	if _, err := ValidateAddress("borrower", m.Borrower); err != nil {
		return err
	}
	if err := checkLoanID(m.LoanId); err != nil {
		return err
	}
	return checkTitleIDs(m.TitleIds)
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgBid) ValidateBasic() error {
	if _, err := ValidateAddress("bidder", m.Bidder); err != nil {
		return err
	}
	if m.AuctionId == 0 {
		return errorsmod.Wrap(ErrAuctionNotFound, "auction id must be positive")
	}
	if m.MaxPrice.Denom != Denom {
		return errorsmod.Wrapf(ErrInvalidDenom, "bids are in %s, got %q", Denom, m.MaxPrice.Denom)
	}
	if m.MaxPrice.Amount.IsNil() {
		return errorsmod.Wrap(ErrInvalidAmount, "max_price missing")
	}
	return CheckPositive("max_price", m.MaxPrice.Amount)
}

// ValidateBasic implements sdk.HasValidateBasic.
func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
