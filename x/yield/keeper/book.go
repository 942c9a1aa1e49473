package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// The senior book API for x/lending. x/lending keeps one SeniorPosition per
// loan and passes it back on every call; the vault keeps only O(1)
// aggregates (principal, S = Σ balance·rate, C = Σ balance·rate·since over
// performing positions, impaired principal and impairment). Every call is
// atomic: on error nothing changes.

// Fundable returns what x/lending may fund now: idle − reserved − buffer −
// committed. Redemption liquidity and the PENDING loans' commitments are
// reserved ahead of a new funding.
func (k Keeper) Fundable(ctx context.Context) (math.Int, error) {
	v, err := k.View(ctx)
	if err != nil {
		return math.Int{}, err
	}
	return v.Fundable, nil
}

// committed reads the commitments of PENDING loans (zero when unset).
func (k Keeper) committed(ctx context.Context) (math.Int, error) {
	c, err := k.Committed.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return c, err
}

// GetCommitted returns the principal committed to x/lending's PENDING loans.
func (k Keeper) GetCommitted(ctx context.Context) (math.Int, error) {
	return k.committed(ctx)
}

// CommitFunding holds amount of idle liquidity for a PENDING loan: it leaves
// Fundable for other loans, and the treasury rebalance keeps it idle
// (recalling T-bills when idle is short). A commitment may exceed the idle
// balance: it is a claim on liquidity, not a transfer.
func (k Keeper) CommitFunding(ctx context.Context, amount math.Int) error {
	if err := types.CheckAmount("commitment", amount, types.MaxAssets); err != nil {
		return err
	}
	if !amount.IsPositive() {
		return errorsmod.Wrap(types.ErrInvalidAmount, "commitment must be positive")
	}
	c, err := k.committed(ctx)
	if err != nil {
		return err
	}
	next := c.Add(amount)
	if err := types.CheckAmount("committed", next, types.MaxAssets); err != nil {
		return err
	}
	if err := k.Committed.Set(ctx, next); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventFundingCommitted{Amount: amount, Committed: next})
}

// ReleaseFunding releases amount of committed liquidity (a PENDING loan was
// cancelled, expired or is being funded). Refused above the committed total.
func (k Keeper) ReleaseFunding(ctx context.Context, amount math.Int) error {
	if err := types.CheckAmount("release", amount, types.MaxAssets); err != nil {
		return err
	}
	if !amount.IsPositive() {
		return errorsmod.Wrap(types.ErrInvalidAmount, "release must be positive")
	}
	c, err := k.committed(ctx)
	if err != nil {
		return err
	}
	if amount.GT(c) {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "release of %s exceeds the committed %s", amount, c)
	}
	next := c.Sub(amount)
	if err := k.Committed.Set(ctx, next); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventFundingReleased{Amount: amount, Committed: next})
}

// FundSenior sends amount uusdai from the vault to module account toModule
// (x/lending) and opens a performing position at rate from now. Refused
// above the fundable liquidity (ErrInsufficientLiquidity).
func (k Keeper) FundSenior(ctx context.Context, toModule string, amount math.Int, rate math.LegacyDec) (types.SeniorPosition, error) {
	if err := k.checkModule(toModule); err != nil {
		return types.SeniorPosition{}, err
	}
	if err := types.CheckAmount("amount", amount, types.MaxAssets); err != nil {
		return types.SeniorPosition{}, err
	}
	if !amount.IsPositive() {
		return types.SeniorPosition{}, errorsmod.Wrap(types.ErrInvalidAmount, "funding must be positive")
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	pos := types.SeniorPosition{Balance: amount, Rate: rate, Since: now, WriteDown: math.ZeroInt()}
	if err := pos.Validate(); err != nil {
		return types.SeniorPosition{}, err
	}
	v, err := k.View(ctx)
	if err != nil {
		return types.SeniorPosition{}, err
	}
	if amount.GT(v.Fundable) {
		return types.SeniorPosition{}, errorsmod.Wrapf(types.ErrInsufficientLiquidity,
			"funding of %s%s exceeds the fundable %s%s (idle %s, reserved for redemptions %s, buffer %s, committed to pending loans %s)",
			amount, types.AssetDenom, v.Fundable, types.AssetDenom, v.Vault.Idle, v.Reserved, v.Buffer, v.Committed)
	}
	book := v.Book
	if err := addPerforming(&book, pos); err != nil {
		return types.SeniorPosition{}, err
	}
	book.Principal = book.Principal.Add(amount)
	book.Positions++
	vault := v.Vault
	if err := subIdle(&vault, amount); err != nil {
		return types.SeniorPosition{}, err
	}
	// No cache branch: every check above reads only, and the transfer out,
	// the one step left that can fail, writes nothing when it does.
	if err := k.modules.FromModule(ctx, types.ModuleName, toModule, usdai(amount)); err != nil {
		return types.SeniorPosition{}, err
	}
	if err := k.setBookAndVault(ctx, book, vault); err != nil {
		return types.SeniorPosition{}, err
	}
	return pos, keeperutil.Emit(ctx, &types.EventSeniorFunded{ToModule: toModule, Amount: amount, Rate: rate})
}

// ReceiveSenior takes principal + interest uusdai from module account
// fromModule into the vault for position pos. admin_fee_bps of the interest
// (rounded down) goes to the protocol fee collector. The position's balance
// falls by principal and, if performing, restarts accruing from now: the
// interest accrued and not paid leaves NAV. For an impaired position the
// write-down is capped at the new balance. A position paid down to zero is
// closed and returned with a zero balance.
func (k Keeper) ReceiveSenior(ctx context.Context, fromModule string, pos types.SeniorPosition, principal, interest math.Int) (types.SeniorPosition, error) {
	r, err := k.seniorReceipt(ctx, fromModule, pos, principal, interest)
	if err != nil {
		return types.SeniorPosition{}, err
	}
	// No cache branch: the transfer in is the one step that can fail for want
	// of funds, and it writes nothing when it does; the fee is part of what
	// it brought in.
	if err := k.modules.FromModule(ctx, fromModule, types.ModuleName, usdai(principal.Add(interest))); err != nil {
		return types.SeniorPosition{}, err
	}
	if err := k.payFee(ctx, r.fee); err != nil {
		return types.SeniorPosition{}, err
	}
	return r.next, k.bookReceipt(ctx, fromModule, r, principal, interest)
}

// BookSenior is ReceiveSenior without its transfers: it books the payment
// and returns the transfers that pay it, principal + interest − fee to the
// vault and the fee to the fee collector. The caller makes them, from the
// payment's source, in the same state transition (x/lending pays a loan's
// senior and junior shares in one bank transfer from the payer). fromModule
// is the module accountable for the payment, as for ReceiveSenior.
func (k Keeper) BookSenior(ctx context.Context, fromModule string, pos types.SeniorPosition, principal, interest math.Int) (types.SeniorPosition, []banktypes.Output, error) {
	r, err := k.seniorReceipt(ctx, fromModule, pos, principal, interest)
	if err != nil {
		return types.SeniorPosition{}, nil, err
	}
	outs := make([]banktypes.Output, 0, 2)
	if toVault := principal.Add(interest).Sub(r.fee); toVault.IsPositive() {
		outs = append(outs, banktypes.Output{Address: k.moduleAddr.String(), Coins: usdai(toVault)})
	}
	if r.fee.IsPositive() {
		// Paid by address: x/stable creates the collector's module account at
		// genesis (older chains in its 1->2 migration), so this transfer
		// cannot leave a plain account there.
		outs = append(outs, banktypes.Output{Address: k.ak.GetModuleAddress(FeeCollector).String(), Coins: usdai(r.fee)})
	}
	return r.next, outs, k.bookReceipt(ctx, fromModule, r, principal, interest)
}

// receipt is a senior payment's effect on the book and the vault, computed
// before anything is written.
type receipt struct {
	next  types.SeniorPosition
	book  types.SeniorBook
	vault types.VaultState
	fee   math.Int
}

// seniorReceipt checks a senior payment and computes its receipt.
func (k Keeper) seniorReceipt(ctx context.Context, fromModule string, pos types.SeniorPosition, principal, interest math.Int) (receipt, error) {
	if err := k.checkModule(fromModule); err != nil {
		return receipt{}, err
	}
	if err := types.CheckAmount("principal", principal, types.MaxAssets); err != nil {
		return receipt{}, err
	}
	if err := types.CheckAmount("interest", interest, types.MaxAssets); err != nil {
		return receipt{}, err
	}
	if principal.IsZero() && interest.IsZero() {
		return receipt{}, errorsmod.Wrap(types.ErrInvalidAmount, "payment of nothing")
	}
	// The book, the vault and the fee rate are all a receipt needs: not the
	// whole View (NAV, share supply, treasury, commitments), which a repayment
	// would compute only to discard.
	params, err := k.Params.Get(ctx)
	if err != nil {
		return receipt{}, err
	}
	book, err := k.Book.Get(ctx)
	if err != nil {
		return receipt{}, err
	}
	vault, err := k.Vault.Get(ctx)
	if err != nil {
		return receipt{}, err
	}
	if err := checkOpenPosition(book, pos); err != nil {
		return receipt{}, err
	}
	if principal.GT(pos.Balance) {
		return receipt{}, errorsmod.Wrapf(types.ErrInvalidAmount, "principal %s exceeds the position balance %s", principal, pos.Balance)
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	next := pos
	next.Balance = pos.Balance.Sub(principal)
	if pos.Impaired {
		next.WriteDown = math.MinInt(pos.WriteDown, next.Balance)
		book.ImpairedPrincipal = book.ImpairedPrincipal.Sub(principal)
		book.Impairment = book.Impairment.Sub(pos.WriteDown.Sub(next.WriteDown))
	} else {
		if err := removePerforming(&book, pos); err != nil {
			return receipt{}, err
		}
		next.Since = now
		if err := addPerforming(&book, next); err != nil {
			return receipt{}, err
		}
	}
	book.Principal = book.Principal.Sub(principal)
	if next.Balance.IsZero() {
		book.Positions--
		next = types.SeniorPosition{Balance: math.ZeroInt(), Rate: pos.Rate, Since: now, WriteDown: math.ZeroInt()}
	}
	fee := types.BpsOf(interest, params.AdminFeeBps)
	if err := addIdle(&vault, principal.Add(interest).Sub(fee)); err != nil {
		return receipt{}, err
	}
	return receipt{next: next, book: book, vault: vault, fee: fee}, nil
}

// bookReceipt writes a senior payment's receipt.
func (k Keeper) bookReceipt(ctx context.Context, fromModule string, r receipt, principal, interest math.Int) error {
	if err := k.setBookAndVault(ctx, r.book, r.vault); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventSeniorReceived{
		FromModule: fromModule, Principal: principal, Interest: interest, Fee: r.fee, Balance: r.next.Balance,
	})
}

// Impair marks pos impaired with a write-down (the claim's expected shortfall,
// at most its balance): it stops accruing in NAV (its accrued interest leaves
// NAV) and counts at balance − writeDown. Impairing an impaired position
// replaces its write-down.
func (k Keeper) Impair(ctx context.Context, pos types.SeniorPosition, writeDown math.Int) (types.SeniorPosition, error) {
	if err := types.CheckAmount("write-down", writeDown, types.MaxAssets); err != nil {
		return types.SeniorPosition{}, err
	}
	if writeDown.GT(pos.Balance) {
		return types.SeniorPosition{}, errorsmod.Wrapf(types.ErrInvalidAmount, "write-down %s exceeds the position balance %s", writeDown, pos.Balance)
	}
	book, err := k.Book.Get(ctx)
	if err != nil {
		return types.SeniorPosition{}, err
	}
	if err := checkOpenPosition(book, pos); err != nil {
		return types.SeniorPosition{}, err
	}
	if pos.Impaired {
		book.Impairment = book.Impairment.Sub(pos.WriteDown)
	} else {
		if err := removePerforming(&book, pos); err != nil {
			return types.SeniorPosition{}, err
		}
		book.ImpairedPrincipal = book.ImpairedPrincipal.Add(pos.Balance)
	}
	book.Impairment = book.Impairment.Add(writeDown)
	next := pos
	next.Impaired, next.WriteDown = true, writeDown
	err = atomically(ctx, func(ctx context.Context) error {
		if err := k.Book.Set(ctx, book); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventSeniorImpaired{Balance: pos.Balance, WriteDown: writeDown})
	})
	if err != nil {
		return types.SeniorPosition{}, err
	}
	return next, nil
}

// Reinstate returns an impaired position to performing (a cured loan): its
// write-down is released and it accrues again from now.
func (k Keeper) Reinstate(ctx context.Context, pos types.SeniorPosition) (types.SeniorPosition, error) {
	book, err := k.Book.Get(ctx)
	if err != nil {
		return types.SeniorPosition{}, err
	}
	if err := checkOpenPosition(book, pos); err != nil {
		return types.SeniorPosition{}, err
	}
	if !pos.Impaired {
		return types.SeniorPosition{}, errorsmod.Wrap(types.ErrInvalidPosition, "position is not impaired")
	}
	next := types.SeniorPosition{Balance: pos.Balance, Rate: pos.Rate, Since: sdk.UnwrapSDKContext(ctx).BlockTime(), WriteDown: math.ZeroInt()}
	book.ImpairedPrincipal = book.ImpairedPrincipal.Sub(pos.Balance)
	book.Impairment = book.Impairment.Sub(pos.WriteDown)
	if err := addPerforming(&book, next); err != nil {
		return types.SeniorPosition{}, err
	}
	err = atomically(ctx, func(ctx context.Context) error {
		if err := k.Book.Set(ctx, book); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventSeniorReinstated{Balance: pos.Balance})
	})
	if err != nil {
		return types.SeniorPosition{}, err
	}
	return next, nil
}

// WriteOff closes pos, recognizing its whole remaining balance as a loss
// (after x/lending has passed the recoveries it had through ReceiveSenior).
// Later recoveries come in through Recover. Returns the loss.
func (k Keeper) WriteOff(ctx context.Context, pos types.SeniorPosition) (math.Int, error) {
	book, err := k.Book.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	if err := checkOpenPosition(book, pos); err != nil {
		return math.Int{}, err
	}
	if pos.Impaired {
		book.ImpairedPrincipal = book.ImpairedPrincipal.Sub(pos.Balance)
		book.Impairment = book.Impairment.Sub(pos.WriteDown)
	} else if err := removePerforming(&book, pos); err != nil {
		return math.Int{}, err
	}
	book.Principal = book.Principal.Sub(pos.Balance)
	book.Positions--
	book.WrittenOff = book.WrittenOff.Add(pos.Balance)
	err = atomically(ctx, func(ctx context.Context) error {
		if err := k.Book.Set(ctx, book); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventSeniorWrittenOff{Loss: pos.Balance})
	})
	if err != nil {
		return math.Int{}, err
	}
	return pos.Balance, nil
}

// Recover takes amount uusdai recovered on a written-off claim from module
// account fromModule into the vault (no fee: it is principal).
func (k Keeper) Recover(ctx context.Context, fromModule string, amount math.Int) error {
	if err := k.checkModule(fromModule); err != nil {
		return err
	}
	if err := types.CheckAmount("recovery", amount, types.MaxAssets); err != nil {
		return err
	}
	if !amount.IsPositive() {
		return errorsmod.Wrap(types.ErrInvalidAmount, "recovery must be positive")
	}
	book, err := k.Book.Get(ctx)
	if err != nil {
		return err
	}
	vault, err := k.Vault.Get(ctx)
	if err != nil {
		return err
	}
	if err := addIdle(&vault, amount); err != nil {
		return err
	}
	book.Recovered = book.Recovered.Add(amount)
	return atomically(ctx, func(ctx context.Context) error {
		if err := k.modules.FromModule(ctx, fromModule, types.ModuleName, usdai(amount)); err != nil {
			return err
		}
		if err := k.setBookAndVault(ctx, book, vault); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventRecovered{FromModule: fromModule, Amount: amount})
	})
}

// checkOpenPosition checks that pos is well formed and fits in the book's aggregates.
func checkOpenPosition(book types.SeniorBook, pos types.SeniorPosition) error {
	if err := pos.Validate(); err != nil {
		return err
	}
	if book.Positions == 0 || pos.Balance.GT(book.Principal) {
		return errorsmod.Wrapf(types.ErrInvalidPosition, "balance %s exceeds the book's principal %s", pos.Balance, book.Principal)
	}
	if pos.Impaired && (pos.Balance.GT(book.ImpairedPrincipal) || pos.WriteDown.GT(book.Impairment)) {
		return errorsmod.Wrap(types.ErrInvalidPosition, "impaired position exceeds the book's impaired principal or impairment")
	}
	return nil
}

// addPerforming adds a performing position's weights to S and C.
func addPerforming(book *types.SeniorBook, pos types.SeniorPosition) error {
	s, c, err := types.PositionWeights(pos.Balance, pos.Rate, pos.Since)
	if err != nil {
		return err
	}
	book.RateSum, book.RateTimeSum = book.RateSum.Add(s), book.RateTimeSum.Add(c)
	return nil
}

// removePerforming takes a performing position's weights out of S and C,
// refusing a position the aggregates cannot contain.
func removePerforming(book *types.SeniorBook, pos types.SeniorPosition) error {
	s, c, err := types.PositionWeights(pos.Balance, pos.Rate, pos.Since)
	if err != nil {
		return err
	}
	if s.GT(book.RateSum) || c.GT(book.RateTimeSum) {
		return errorsmod.Wrap(types.ErrInvalidPosition, "position is not part of the performing book")
	}
	book.RateSum, book.RateTimeSum = book.RateSum.Sub(s), book.RateTimeSum.Sub(c)
	return nil
}

func (k Keeper) setBookAndVault(ctx context.Context, book types.SeniorBook, vault types.VaultState) error {
	if err := k.Book.Set(ctx, book); err != nil {
		return err
	}
	return k.Vault.Set(ctx, vault)
}

// payFee sends a positive fee from the vault to the protocol fee collector.
func (k Keeper) payFee(ctx context.Context, fee math.Int) error {
	if !fee.IsPositive() {
		return nil
	}
	return k.modules.FromModule(ctx, types.ModuleName, FeeCollector, usdai(fee))
}

func usdai(amount math.Int) sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(types.AssetDenom, amount))
}

// blockTime is the block time of ctx.
func blockTime(ctx context.Context) time.Time {
	return sdk.UnwrapSDKContext(ctx).BlockTime()
}
