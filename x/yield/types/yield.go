package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// ValidateAddress parses a bech32 account address, naming the field on error.
func ValidateAddress(field, addr string) (sdk.AccAddress, error) {
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "%s %q: %s", field, addr, err)
	}
	return acc, nil
}

// QueueBidKey orders the queue by bid descending: the queue key is
// (10000 − bid_bps, request id), walked in ascending order.
func QueueBidKey(bidBps uint32) uint32 { return BpsDenominator - bidBps }

// NewVaultState returns an empty vault.
func NewVaultState() VaultState {
	return VaultState{Idle: math.ZeroInt(), EscrowedShares: math.ZeroInt()}
}

// NewSeniorBook returns an empty senior book.
func NewSeniorBook() SeniorBook {
	return SeniorBook{
		Principal: math.ZeroInt(), ImpairedPrincipal: math.ZeroInt(), Impairment: math.ZeroInt(),
		RateSum: math.LegacyZeroDec(), RateTimeSum: math.LegacyZeroDec(),
		WrittenOff: math.ZeroInt(), Recovered: math.ZeroInt(),
	}
}

// NewTreasuryState returns an empty treasury position.
func NewTreasuryState() TreasuryState {
	return TreasuryState{
		Principal: math.ZeroInt(), AccruedYield: math.LegacyZeroDec(), Recall: math.ZeroInt(),
		Rate: math.LegacyZeroDec(), RealizedYield: math.ZeroInt(), Losses: math.ZeroInt(),
	}
}

// NewServingRound returns an inactive round.
func NewServingRound() ServingRound {
	return ServingRound{Paid: math.ZeroInt(), SharesBurned: math.ZeroInt()}
}

// Validate checks the vault counters.
func (v VaultState) Validate() error {
	if err := CheckAmount("idle", v.Idle, MaxAssets); err != nil {
		return err
	}
	return CheckAmount("escrowed shares", v.EscrowedShares, MaxShares)
}

// Validate checks the book aggregates on their own.
func (b SeniorBook) Validate() error {
	for _, v := range []struct {
		what string
		v    math.Int
	}{
		{"principal", b.Principal}, {"impaired principal", b.ImpairedPrincipal}, {"impairment", b.Impairment},
		{"written off", b.WrittenOff}, {"recovered", b.Recovered},
	} {
		if err := CheckAmount(v.what, v.v, MaxAssets); err != nil {
			return err
		}
	}
	if b.ImpairedPrincipal.GT(b.Principal) {
		return errorsmod.Wrap(ErrInvalidGenesis, "impaired principal exceeds principal")
	}
	if b.Impairment.GT(b.ImpairedPrincipal) {
		return errorsmod.Wrap(ErrInvalidGenesis, "impairment exceeds impaired principal")
	}
	if b.RateSum.IsNil() || b.RateTimeSum.IsNil() || b.RateSum.IsNegative() || b.RateTimeSum.IsNegative() {
		return errorsmod.Wrap(ErrInvalidGenesis, "book rate sums must be set and not negative")
	}
	if b.Positions == 0 && (!b.Principal.IsZero() || !b.RateSum.IsZero() || !b.RateTimeSum.IsZero()) {
		return errorsmod.Wrap(ErrInvalidGenesis, "a book without positions must have no principal and no rate sums")
	}
	return nil
}

// Validate checks the treasury position on its own.
func (t TreasuryState) Validate() error {
	for _, v := range []struct {
		what string
		v    math.Int
	}{
		{"treasury principal", t.Principal}, {"recall", t.Recall}, {"realized yield", t.RealizedYield}, {"losses", t.Losses},
	} {
		if err := CheckAmount(v.what, v.v, MaxAssets); err != nil {
			return err
		}
	}
	if t.Recall.GT(t.Principal) {
		return errorsmod.Wrap(ErrInvalidGenesis, "recall exceeds treasury principal")
	}
	if t.AccruedYield.IsNil() || t.AccruedYield.IsNegative() || t.AccruedYield.GT(MaxAssets.ToLegacyDec()) {
		return errorsmod.Wrap(ErrInvalidGenesis, "accrued yield must be set, not negative and in range")
	}
	if t.Rate.IsNil() || t.Rate.IsNegative() || t.Rate.GT(MaxRate) {
		return errorsmod.Wrap(ErrInvalidGenesis, "treasury rate must be set and in [0, 10]")
	}
	return nil
}

// Validate checks a queued request on its own.
func (r RedeemRequest) Validate() error {
	if _, err := ValidateAddress("owner", r.Owner); err != nil {
		return err
	}
	if r.Shares.IsNil() || !r.Shares.IsPositive() || r.Shares.GT(MaxShares) {
		return errorsmod.Wrapf(ErrInvalidAmount, "request %d: shares must be positive and at most %s", r.Id, MaxShares)
	}
	if r.BidBps > BpsDenominator {
		return errorsmod.Wrapf(ErrInvalidBid, "request %d: bid_bps %d exceeds %d", r.Id, r.BidBps, BpsDenominator)
	}
	return nil
}

// Validate checks a senior position passed in by x/lending on its own.
func (p SeniorPosition) Validate() error {
	if p.Balance.IsNil() || !p.Balance.IsPositive() || p.Balance.GT(MaxAssets) {
		return errorsmod.Wrap(ErrInvalidPosition, "balance must be positive and in range")
	}
	if err := CheckRate("rate", p.Rate); err != nil {
		return errorsmod.Wrap(ErrInvalidPosition, err.Error())
	}
	if err := checkTime("since", p.Since); err != nil {
		return errorsmod.Wrap(ErrInvalidPosition, err.Error())
	}
	if p.WriteDown.IsNil() || p.WriteDown.IsNegative() || p.WriteDown.GT(p.Balance) {
		return errorsmod.Wrap(ErrInvalidPosition, "write-down must be in [0, balance]")
	}
	if !p.Impaired && !p.WriteDown.IsZero() {
		return errorsmod.Wrap(ErrInvalidPosition, "a performing position has no write-down")
	}
	return nil
}
