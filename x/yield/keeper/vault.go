package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// View is the vault's state and valuation at the current block time.
type View struct {
	Params   types.Params
	Vault    types.VaultState
	Book     types.SeniorBook
	Treasury types.TreasuryState

	// TotalShares is the ususdai supply, escrowed shares included.
	TotalShares math.Int
	// AccruedInterest is the unpaid interest on the performing senior book.
	AccruedInterest math.Int
	// AccruedYield is the T-bill yield accrued since the last settlement, rounded down.
	AccruedYield math.Int
	types.NAVResult
	// Reserved is the idle USDai held for the queue: the queued shares' worth
	// at the conservative price (before bids), at most idle.
	Reserved math.Int
	// Buffer is liquidity_buffer_bps of NAV, rounded up.
	Buffer math.Int
	// Committed is the principal of x/lending's PENDING loans.
	Committed math.Int
	// Fundable is what x/lending may draw: idle − reserved − buffer −
	// committed, at least 0.
	Fundable math.Int
}

// View computes the vault's valuation and its liquidity. It reads a handful
// of items and two bank values: O(1) whatever the number of loans, requests
// or depositors.
func (k Keeper) View(ctx context.Context) (View, error) {
	v, err := k.valuation(ctx)
	if err != nil {
		return v, err
	}
	need, err := types.ConvertToAssets(v.Vault.EscrowedShares, v.TotalShares, v.Conservative)
	if err != nil {
		return v, err
	}
	v.Reserved = math.MinInt(need, v.Vault.Idle)
	v.Buffer = types.BpsOfCeil(v.NAV, v.Params.LiquidityBufferBps)
	if v.Committed, err = k.committed(ctx); err != nil {
		return v, err
	}
	v.Fundable = types.Fundable(v.Vault.Idle, v.Reserved, v.Buffer, v.Committed)
	return v, nil
}

// valuation is View without the liquidity fields (Reserved, Buffer,
// Committed and Fundable stay nil): what pricing shares needs. A deposit
// prices its shares at NAV and draws on no liquidity, so it reads no more.
func (k Keeper) valuation(ctx context.Context) (View, error) {
	var (
		v   View
		err error
	)
	if v.Params, err = k.Params.Get(ctx); err != nil {
		return v, err
	}
	if v.Vault, err = k.Vault.Get(ctx); err != nil {
		return v, err
	}
	if v.Book, err = k.Book.Get(ctx); err != nil {
		return v, err
	}
	if v.Treasury, err = k.Treasury.Get(ctx); err != nil {
		return v, err
	}
	v.TotalShares = k.bank.GetSupply(ctx, types.ShareDenom).Amount
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if v.AccruedInterest, err = types.AccruedInterest(v.Book.RateSum, v.Book.RateTimeSum, now); err != nil {
		return v, err
	}
	v.AccruedYield = v.Treasury.AccruedYield.TruncateInt()
	v.NAVResult, err = types.ComputeNAV(types.NAVInputs{
		Idle:              v.Vault.Idle,
		SeniorPrincipal:   v.Book.Principal,
		Impairment:        v.Book.Impairment,
		AccruedInterest:   v.AccruedInterest,
		TreasuryPrincipal: v.Treasury.Principal,
		AccruedYield:      v.AccruedYield,
		AdminFeeBps:       v.Params.AdminFeeBps,
	})
	return v, err
}

// QueueNeed is what the queued shares are worth at the conservative price,
// before bids: the liquidity the queue may ask for at the next close.
func (v View) QueueNeed() (math.Int, error) {
	return types.ConvertToAssets(v.Vault.EscrowedShares, v.TotalShares, v.Conservative)
}

// Summary is the vault query's view.
func (v View) Summary() (types.VaultSummary, error) {
	price, err := types.SharePrice(v.TotalShares, v.NAV)
	if err != nil {
		return types.VaultSummary{}, err
	}
	redemption, err := types.SharePrice(v.TotalShares, v.Conservative)
	if err != nil {
		return types.VaultSummary{}, err
	}
	return types.VaultSummary{
		Nav:                  v.NAV,
		ConservativeNav:      v.Conservative,
		TotalShares:          v.TotalShares,
		EscrowedShares:       v.Vault.EscrowedShares,
		SharePrice:           price,
		RedemptionPrice:      redemption,
		Idle:                 v.Vault.Idle,
		Reserved:             v.Reserved,
		Buffer:               v.Buffer,
		Fundable:             v.Fundable,
		AccruedInterest:      v.AccruedInterest,
		AccruedTreasuryYield: v.AccruedYield,
		AccruedFees:          v.AccruedFees,
		Book:                 v.Book,
		Treasury:             v.Treasury,
		Committed:            v.Committed,
	}, nil
}

// Deposit takes amount uusdai from depositor into the vault and mints shares
// at the NAV price, rounded down. Refused (ErrZeroShares) when the amount
// buys less than one share. Returns the shares minted.
func (k Keeper) Deposit(ctx context.Context, depositor sdk.AccAddress, amount math.Int) (math.Int, error) {
	return k.deposit(ctx, atomically, depositor, amount)
}

// deposit is Deposit with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) deposit(ctx context.Context, branch keeperutil.Branch, depositor sdk.AccAddress, amount math.Int) (math.Int, error) {
	if err := types.CheckAmount("deposit", amount, types.MaxAssets); err != nil {
		return math.Int{}, err
	}
	if !amount.IsPositive() {
		return math.Int{}, errorsmod.Wrap(types.ErrInvalidAmount, "deposit must be positive")
	}
	v, err := k.valuation(ctx)
	if err != nil {
		return math.Int{}, err
	}
	shares, err := types.ConvertToShares(amount, v.TotalShares, v.NAV)
	if err != nil {
		return math.Int{}, err
	}
	if !shares.IsPositive() {
		return math.Int{}, errorsmod.Wrapf(types.ErrZeroShares, "%s%s buys no share at the current price", amount, types.AssetDenom)
	}
	if err := types.CheckAmount("vault idle", v.Vault.Idle.Add(amount), types.MaxAssets); err != nil {
		return math.Int{}, err
	}
	err = branch(ctx, func(ctx context.Context) error {
		if err := k.modules.FromAccount(ctx, depositor, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.AssetDenom, amount))); err != nil {
			return err
		}
		minted := sdk.NewCoins(sdk.NewCoin(types.ShareDenom, shares))
		if err := k.bank.MintCoins(ctx, types.ModuleName, minted); err != nil {
			return err
		}
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, depositor, minted); err != nil {
			return err
		}
		v.Vault.Idle = v.Vault.Idle.Add(amount)
		if err := k.Vault.Set(ctx, v.Vault); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventDeposit{
			Depositor: depositor.String(), Assets: amount, Shares: shares, Nav: v.NAV,
		})
	})
	if err != nil {
		return math.Int{}, err
	}
	return shares, nil
}

// addIdle moves amount uusdai into the vault's idle balance counter.
func addIdle(vault *types.VaultState, amount math.Int) error {
	idle := vault.Idle.Add(amount)
	if err := types.CheckAmount("vault idle", idle, types.MaxAssets); err != nil {
		return err
	}
	vault.Idle = idle
	return nil
}

// subIdle takes amount uusdai from the vault's idle balance counter.
func subIdle(vault *types.VaultState, amount math.Int) error {
	if amount.GT(vault.Idle) {
		return errorsmod.Wrapf(types.ErrInsufficientLiquidity, "%s%s needed, %s idle", amount, types.AssetDenom, vault.Idle)
	}
	vault.Idle = vault.Idle.Sub(amount)
	return nil
}
