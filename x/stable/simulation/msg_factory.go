package simulation

import (
	"context"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/stable/keeper"
	"github.com/infrafi/infrafi/x/stable/types"
)

// MaxMint bounds one simulated mint: 1,000,000 USDai.
var MaxMint = math.NewInt(1_000_000_000_000)

// MinMint is the smallest simulated mint: 1 USDai, far above what any
// simulated fee could take whole.
var MinMint = math.NewInt(1_000_000)

func mustParams(ctx context.Context, k *keeper.Keeper) types.Params {
	params, err := k.GetParams(ctx)
	if err != nil {
		panic(err)
	}
	return params
}

// mayUse tells whether sender passes the paused and allowlist checks.
func mayUse(ctx context.Context, k *keeper.Keeper, params types.Params, sender sdk.AccAddress) bool {
	if params.Paused {
		return false
	}
	if !params.Permissioned {
		return true
	}
	ok, err := k.IsAllowlisted(ctx, sender)
	return err == nil && ok
}

// randAmount is uniform in [lo, hi] (hi >= lo > 0).
func randAmount(r *simsx.XRand, lo, hi math.Int) math.Int {
	v, err := r.PositiveSDKIntInRange(lo, hi.AddRaw(1))
	if err != nil {
		return lo
	}
	return v
}

// MsgMintFactory mints USDai against a mintable reserve the sender holds:
// 1 to 1,000,000 USDai, at most half the sender's balance, within both caps.
// The sender is any account but the treasury custodian.
func MsgMintFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgMint] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgMint) {
		r := testData.Rand()
		params := mustParams(ctx, k)
		var mintable []types.ReserveStatus
		for _, res := range params.Reserves {
			st, err := k.ReserveStatus(ctx, params, res)
			if err != nil {
				panic(err)
			}
			if st.Mintable {
				mintable = append(mintable, st)
			}
		}
		if len(mintable) == 0 {
			reporter.Skip("no mintable reserve")
			return nil, nil
		}
		st := mintable[r.Intn(len(mintable))]
		denom := st.Asset.Denom
		// The treasury custodian's reserve coins are the vault's T-bills: it
		// does not mint with them.
		custodian := testData.AccountAt(reporter, simutil.TreasuryCustodian)
		eligible := func(a simsx.SimAccount) bool {
			return a.LiquidBalance().AmountOf(denom).GTE(MinMint.MulRaw(2)) && mayUse(ctx, k, params, a.Address)
		}
		var sender simsx.SimAccount
		// A quarter of the mints go to the curator and the insurer, who need
		// USDai for junior tranches and pools; a random pick among up to 150
		// accounts would rarely reach them.
		if role := []int{simutil.Curator, simutil.Insurer}[r.Intn(2)]; r.Intn(4) == 0 && eligible(testData.AccountAt(reporter, role)) {
			sender = testData.AccountAt(reporter, role)
		} else {
			sender = testData.AnyAccountN(10, reporter, simsx.ExcludeAccounts(custodian), simsx.SimAccountFilterFn(eligible))
		}
		if reporter.IsSkipped() {
			return nil, nil
		}
		hi := math.MinInt(MaxMint, sender.LiquidBalance().AmountOf(denom).QuoRaw(2))
		hi = math.MinInt(hi, st.CapRemaining)
		hi = math.MinInt(hi, params.SupplyCap.Sub(k.USDaiSupply(ctx)))
		if hi.LT(MinMint) {
			reporter.Skip("no room under the caps")
			return nil, nil
		}
		amount := sdk.NewCoin(denom, randAmount(r, MinMint, hi))
		if !sender.LiquidBalance().BlockAmount(amount) {
			reporter.Skip("balance moved")
			return nil, nil
		}
		return []simsx.SimAccount{sender}, &types.MsgMint{Sender: sender.AddressBech32, Amount: amount}
	}
}

// MsgMintInvalidFactory mints what must be refused: against an unlisted denom
// (ErrUnknownReserve), a disabled reserve (ErrReserveDisabled) or more than
// the sender holds (ErrInsufficientFunds; a cap error when the amount is also
// above a cap).
func MsgMintInvalidFactory(k *keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgMint] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgMint, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		params := mustParams(ctx, k)
		sender := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			return mayUse(ctx, k, params, a.Address)
		}))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		amount := randAmount(r, MinMint, MaxMint)
		var disabled []string
		for _, res := range params.Reserves {
			if !res.Enabled {
				disabled = append(disabled, res.Denom)
			}
		}
		switch v := r.Intn(3); {
		case v == 1 && len(disabled) > 0:
			msg := &types.MsgMint{Sender: sender.AddressBech32, Amount: sdk.NewCoin(disabled[r.Intn(len(disabled))], amount)}
			return []simsx.SimAccount{sender}, msg, simutil.ExpectError(types.ErrReserveDisabled)
		case v == 2:
			res, ok := params.Reserve(simutil.ReserveDenom)
			if !ok || !res.Enabled {
				reporter.Skipf("%s is not an enabled reserve", simutil.ReserveDenom)
				return nil, nil, nil
			}
			st, err := k.ReserveStatus(ctx, params, res)
			if err != nil {
				panic(err)
			}
			if st.Depegged {
				reporter.Skipf("%s is depegged", res.Denom)
				return nil, nil, nil
			}
			over := sender.LiquidBalance().AmountOf(res.Denom).Add(amount)
			expected := []error{sdkerrors.ErrInsufficientFunds}
			if st.Held.Add(over).GT(res.Cap) {
				expected = []error{types.ErrReserveCapExceeded}
			} else if k.USDaiSupply(ctx).Add(over).GT(params.SupplyCap) {
				expected = []error{types.ErrSupplyCapExceeded}
			}
			msg := &types.MsgMint{Sender: sender.AddressBech32, Amount: sdk.NewCoin(res.Denom, over)}
			return []simsx.SimAccount{sender}, msg, simutil.ExpectError(expected...)
		default:
			msg := &types.MsgMint{Sender: sender.AddressBech32, Amount: sdk.NewCoin("sim-unlisted", amount)}
			return []simsx.SimAccount{sender}, msg, simutil.ExpectError(types.ErrUnknownReserve)
		}
	})
}

// MsgRedeemFactory gives back part of a holder's USDai for a listed reserve
// the module holds enough of.
func MsgRedeemFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRedeem] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRedeem) {
		r := testData.Rand()
		params := mustParams(ctx, k)
		sender := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			return a.LiquidBalance().AmountOf(types.USDaiDenom).GTE(MinMint) && mayUse(ctx, k, params, a.Address)
		}))
		if reporter.IsSkipped() {
			return nil, nil
		}
		// Redeem up to half the balance: the holder keeps some for the vault and fees.
		hi := math.MaxInt(MinMint, sender.LiquidBalance().AmountOf(types.USDaiDenom).QuoRaw(2))
		amount := randAmount(r, MinMint, hi)
		var reserves []types.ReserveAsset
		for _, res := range params.Reserves {
			net, _ := types.SplitFee(amount, res.RedeemFeeBps)
			if net.IsPositive() && k.Held(ctx, res.Denom).GTE(net) {
				reserves = append(reserves, res)
			}
		}
		if len(reserves) == 0 {
			reporter.Skip("no reserve holds enough to pay the redemption")
			return nil, nil
		}
		coin := sdk.NewCoin(types.USDaiDenom, amount)
		if !sender.LiquidBalance().BlockAmount(coin) {
			reporter.Skip("balance moved")
			return nil, nil
		}
		res := reserves[r.Intn(len(reserves))]
		return []simsx.SimAccount{sender}, &types.MsgRedeem{Sender: sender.AddressBech32, Amount: coin, ReserveDenom: res.Denom}
	}
}

// MsgRedeemInvalidFactory redeems what must be refused: into an unlisted denom
// (ErrUnknownReserve), into uusdai itself (ErrInvalidReserve) or more USDai
// than the sender holds (ErrInsufficientFunds, or ErrInsufficientReserve when
// the payout is also above the reserve held).
func MsgRedeemInvalidFactory(k *keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgRedeem] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRedeem, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		params := mustParams(ctx, k)
		sender := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			return mayUse(ctx, k, params, a.Address)
		}))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		amount := randAmount(r, MinMint, MaxMint)
		switch r.Intn(3) {
		case 0:
			msg := &types.MsgRedeem{Sender: sender.AddressBech32, Amount: sdk.NewCoin(types.USDaiDenom, amount), ReserveDenom: "sim-unlisted"}
			return []simsx.SimAccount{sender}, msg, simutil.ExpectError(types.ErrUnknownReserve)
		case 1:
			msg := &types.MsgRedeem{Sender: sender.AddressBech32, Amount: sdk.NewCoin(types.USDaiDenom, amount), ReserveDenom: types.USDaiDenom}
			return []simsx.SimAccount{sender}, msg, simutil.ExpectError(types.ErrInvalidReserve)
		default:
			res, ok := params.Reserve(simutil.ReserveDenom)
			if !ok {
				reporter.Skipf("%s is not a reserve", simutil.ReserveDenom)
				return nil, nil, nil
			}
			over := sender.LiquidBalance().AmountOf(types.USDaiDenom).Add(amount)
			net, _ := types.SplitFee(over, res.RedeemFeeBps)
			expected := sdkerrors.ErrInsufficientFunds
			if k.Held(ctx, res.Denom).LT(net) {
				expected = types.ErrInsufficientReserve
			}
			msg := &types.MsgRedeem{Sender: sender.AddressBech32, Amount: sdk.NewCoin(types.USDaiDenom, over), ReserveDenom: res.Denom}
			return []simsx.SimAccount{sender}, msg, simutil.ExpectError(expected)
		}
	})
}

// buildUpdateParams keeps the listed reserves (dropping one that backs USDai
// is refused) with new random fees, caps and depeg thresholds, the disabled
// reserve randomly enabled; never paused nor permissioned, so minting stays
// possible.
func buildUpdateParams(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgUpdateParams] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgUpdateParams {
		r := testData.Rand().Rand
		params := mustParams(ctx, k)
		for i, res := range params.Reserves {
			switch res.Denom {
			case simutil.ReserveDenom:
				params.Reserves[i] = RandomReserve(r)
			case DisabledReserveDenom:
				params.Reserves[i] = DisabledReserve(r)
				params.Reserves[i].Enabled = r.Intn(4) == 0
			}
		}
		params.SupplyCap = randCap(r)
		params.Paused, params.Permissioned = false, false
		return &types.MsgUpdateParams{Authority: authority, Params: params}
	}
}

// buildUpdateAllowlist adds one to three simulated accounts and removes up to
// two listed ones.
func buildUpdateAllowlist(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgUpdateAllowlist] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgUpdateAllowlist {
		r := testData.Rand()
		msg := &types.MsgUpdateAllowlist{Authority: authority, Add: []string{}, Remove: []string{}}
		named := map[string]bool{}
		var listed []string
		err := k.Allowlist.Walk(ctx, nil, func(a sdk.AccAddress) (bool, error) {
			listed = append(listed, a.String())
			return false, nil
		})
		if err != nil {
			panic(err)
		}
		for _, i := range r.Perm(len(listed))[:min(len(listed), r.Intn(3))] {
			msg.Remove = append(msg.Remove, listed[i])
			named[listed[i]] = true
		}
		for n := 1 + r.Intn(3); n > 0; n-- {
			acc := testData.AnyAccount(reporter)
			if reporter.IsSkipped() {
				return nil
			}
			if !named[acc.AddressBech32] {
				msg.Add = append(msg.Add, acc.AddressBech32)
				named[acc.AddressBech32] = true
			}
		}
		return msg
	}
}

// ProposalMsgFactories registers the valid authority messages, submitted
// through x/gov (which submits proposals at 1/25 of these weights).
func ProposalMsgFactories(weights simsx.WeightSource, reg simsx.Registry, k *keeper.Keeper) {
	auth := k.GetAuthority()
	reg.Add(weights.Get("msg_update_params", 100), simutil.ProposalFactory(auth, buildUpdateParams(k)))
	reg.Add(weights.Get("msg_update_allowlist", 75), simutil.ProposalFactory(auth, buildUpdateAllowlist(k)))
}

// MsgFactories registers the operations: valid and invalid mints and
// redemptions, and the authority messages sent by a wrong signer.
func MsgFactories(weights simsx.WeightSource, reg simsx.Registry, k *keeper.Keeper) {
	reg.Add(weights.Get("msg_mint", 150), MsgMintFactory(k))
	reg.Add(weights.Get("msg_mint_invalid", 10), MsgMintInvalidFactory(k))
	reg.Add(weights.Get("msg_redeem", 30), MsgRedeemFactory(k))
	reg.Add(weights.Get("msg_redeem_invalid", 10), MsgRedeemInvalidFactory(k))
	reg.Add(weights.Get("msg_update_params_unauthorized", 3), simutil.UnauthorizedFactory(buildUpdateParams(k)))
	reg.Add(weights.Get("msg_update_allowlist_unauthorized", 3), simutil.UnauthorizedFactory(buildUpdateAllowlist(k)))
}
