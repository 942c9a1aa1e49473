package simulation

import (
	"context"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/yield/keeper"
	"github.com/infrafi/infrafi/x/yield/types"
)

// MinDeposit is the smallest simulated deposit (1 USDai); MaxDeposit the
// largest (1,000,000 USDai).
var (
	MinDeposit = math.NewInt(1_000_000)
	MaxDeposit = math.NewInt(1_000_000_000_000)
)

// randInt is uniform in [lo, hi] (hi >= lo > 0).
func randInt(r *simsx.XRand, lo, hi math.Int) math.Int {
	if hi.LTE(lo) {
		return lo
	}
	v, err := r.PositiveSDKIntInRange(lo, hi.AddRaw(1))
	if err != nil {
		return lo
	}
	return v
}

// requests returns every queued request in id order.
func requests(ctx context.Context, k *keeper.Keeper) []types.RedeemRequest {
	var out []types.RedeemRequest
	err := k.Requests.Walk(ctx, nil, func(_ uint64, r types.RedeemRequest) (bool, error) {
		out = append(out, r)
		return false, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// inRound tells whether the running serving round covers req (then it can be
// neither cancelled nor re-bid).
func inRound(ctx context.Context, k *keeper.Keeper, req types.RedeemRequest) bool {
	round, err := k.Round.Get(ctx)
	if err != nil {
		panic(err)
	}
	return round.Active && req.Id < round.CutoffId
}

// cancelOpen tells whether requests may be cancelled at this block.
func cancelOpen(ctx context.Context, k *keeper.Keeper) bool {
	params, err := k.GetParams(ctx)
	if err != nil {
		panic(err)
	}
	epoch, err := k.Epoch.Get(ctx)
	if err != nil {
		panic(err)
	}
	return sdk.UnwrapSDKContext(ctx).BlockTime().Before(epoch.End.Add(-params.CancelCutoff))
}

// pickRequest is a random request matching keep whose owner is a simulated
// account; it skips when there is none.
func pickRequest(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, keep func(types.RedeemRequest) bool) (types.RedeemRequest, simsx.SimAccount, bool) {
	var fit []types.RedeemRequest
	for _, req := range requests(ctx, k) {
		if keep(req) && testData.HasAccount(req.Owner) {
			fit = append(fit, req)
		}
	}
	if len(fit) == 0 {
		reporter.Skip("no fitting redemption request")
		return types.RedeemRequest{}, simsx.SimAccount{}, false
	}
	req := fit[testData.Rand().Intn(len(fit))]
	owner := testData.GetAccount(reporter, req.Owner)
	return req, owner, !reporter.IsSkipped()
}

// MsgDepositFactory deposits 1 to 1,000,000 USDai, at most three quarters of
// the depositor's balance, when it buys at least one share.
func MsgDepositFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgDeposit] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgDeposit) {
		r := testData.Rand()
		from := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			return a.LiquidBalance().AmountOf(types.AssetDenom).GTE(MinDeposit.MulRaw(2))
		}))
		if reporter.IsSkipped() {
			return nil, nil
		}
		hi := math.MinInt(MaxDeposit, from.LiquidBalance().AmountOf(types.AssetDenom).MulRaw(3).QuoRaw(4))
		amount := randInt(r, MinDeposit, hi)
		v, err := k.View(ctx)
		if err != nil {
			panic(err)
		}
		if shares, err := types.ConvertToShares(amount, v.TotalShares, v.NAV); err != nil || !shares.IsPositive() {
			reporter.Skipf("%s buys no share", amount)
			return nil, nil
		}
		coin := sdk.NewCoin(types.AssetDenom, amount)
		if !from.LiquidBalance().BlockAmount(coin) {
			reporter.Skip("balance moved")
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgDeposit{Depositor: from.AddressBech32, Amount: coin}
	}
}

// MsgDepositInvalidFactory deposits what must be refused: another denom
// (ErrInvalidDenom) or more USDai than the depositor holds
// (ErrInsufficientFunds).
func MsgDepositInvalidFactory(k *keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgDeposit] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgDeposit, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		amount := randInt(r, MinDeposit, MaxDeposit)
		if r.Bool() {
			msg := &types.MsgDeposit{Depositor: from.AddressBech32, Amount: sdk.NewCoin(simutil.ReserveDenom, amount)}
			return []simsx.SimAccount{from}, msg, simutil.ExpectError(types.ErrInvalidDenom)
		}
		over := from.LiquidBalance().AmountOf(types.AssetDenom).Add(amount)
		v, err := k.View(ctx)
		if err != nil {
			panic(err)
		}
		if shares, err := types.ConvertToShares(over, v.TotalShares, v.NAV); err != nil || !shares.IsPositive() {
			reporter.Skipf("%s buys no share", over)
			return nil, nil, nil
		}
		msg := &types.MsgDeposit{Depositor: from.AddressBech32, Amount: sdk.NewCoin(types.AssetDenom, over)}
		return []simsx.SimAccount{from}, msg, simutil.ExpectError(sdkerrors.ErrInsufficientFunds)
	})
}

// randBid is mostly small (0–300 bps), sometimes up to 20%.
func randBid(r *simsx.XRand) uint32 {
	if r.Intn(5) == 0 {
		return uint32(r.Intn(2001))
	}
	return uint32(r.Intn(301))
}

// MsgRequestRedeemFactory queues part or all of a holder's shares with a bid.
func MsgRequestRedeemFactory() simsx.SimMsgFactoryFn[*types.MsgRequestRedeem] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestRedeem) {
		r := testData.Rand()
		owner := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			return a.LiquidBalance().AmountOf(types.ShareDenom).IsPositive()
		}))
		if reporter.IsSkipped() {
			return nil, nil
		}
		held := owner.LiquidBalance().AmountOf(types.ShareDenom)
		shares := held
		if r.Intn(3) != 0 {
			shares = randInt(r, math.OneInt(), held)
		}
		if !owner.LiquidBalance().BlockAmount(sdk.NewCoin(types.ShareDenom, shares)) {
			reporter.Skip("balance moved")
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgRequestRedeem{Owner: owner.AddressBech32, Shares: shares, BidBps: randBid(r)}
	}
}

// MsgRequestRedeemInvalidFactory requests what must be refused: more shares
// than the owner holds (ErrInsufficientShares) or a bid above 100%
// (ErrInvalidBid).
func MsgRequestRedeemInvalidFactory() *simsx.ResultHandlingSimMsgFactory[*types.MsgRequestRedeem] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestRedeem, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		owner := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		held := owner.LiquidBalance().AmountOf(types.ShareDenom)
		if r.Bool() {
			msg := &types.MsgRequestRedeem{Owner: owner.AddressBech32, Shares: held.Add(randInt(r, math.OneInt(), MaxDeposit)), BidBps: randBid(r)}
			return []simsx.SimAccount{owner}, msg, simutil.ExpectError(types.ErrInsufficientShares)
		}
		msg := &types.MsgRequestRedeem{Owner: owner.AddressBech32, Shares: math.NewInt(int64(1 + r.Intn(1000))), BidBps: types.BpsDenominator + 1 + uint32(r.Intn(10000))}
		return []simsx.SimAccount{owner}, msg, simutil.ExpectError(types.ErrInvalidBid)
	})
}

// MsgUpdateBidFactory raises the bid of a request outside the running round.
func MsgUpdateBidFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUpdateBid] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateBid) {
		req, owner, ok := pickRequest(ctx, k, testData, reporter, func(req types.RedeemRequest) bool {
			return req.BidBps < types.BpsDenominator && !inRound(ctx, k, req)
		})
		if !ok {
			return nil, nil
		}
		bid := req.BidBps + 1 + uint32(testData.Rand().Intn(500))
		bid = min(bid, types.BpsDenominator)
		return []simsx.SimAccount{owner}, &types.MsgUpdateBid{Owner: owner.AddressBech32, RequestId: req.Id, BidBps: bid}
	}
}

// MsgUpdateBidInvalidFactory re-bids what must be refused: another owner's
// request (ErrUnauthorized), an unknown request (ErrRequestNotFound), or a
// bid not above the current one (ErrInvalidBid).
func MsgUpdateBidInvalidFactory(k *keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgUpdateBid] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateBid, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		switch r.Intn(3) {
		case 0:
			req, owner, ok := pickRequest(ctx, k, testData, reporter, func(types.RedeemRequest) bool { return true })
			if !ok {
				return nil, nil, nil
			}
			other := testData.AnyAccount(reporter, simsx.ExcludeAccounts(owner))
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			msg := &types.MsgUpdateBid{Owner: other.AddressBech32, RequestId: req.Id, BidBps: min(req.BidBps+1, types.BpsDenominator)}
			return []simsx.SimAccount{other}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
		case 1:
			req, owner, ok := pickRequest(ctx, k, testData, reporter, func(types.RedeemRequest) bool { return true })
			if !ok {
				return nil, nil, nil
			}
			msg := &types.MsgUpdateBid{Owner: owner.AddressBech32, RequestId: req.Id, BidBps: uint32(r.Intn(int(req.BidBps) + 1))}
			return []simsx.SimAccount{owner}, msg, simutil.ExpectError(types.ErrInvalidBid)
		default:
			from := testData.AnyAccount(reporter)
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			vault, err := k.Vault.Get(ctx)
			if err != nil {
				panic(err)
			}
			msg := &types.MsgUpdateBid{Owner: from.AddressBech32, RequestId: vault.NextRequestId + uint64(r.Intn(1000)), BidBps: randBid(r)}
			return []simsx.SimAccount{from}, msg, simutil.ExpectError(types.ErrRequestNotFound)
		}
	})
}

// MsgCancelRedeemFactory cancels a request outside the running round while
// cancellation is open (before the epoch's end − cancel_cutoff).
func MsgCancelRedeemFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgCancelRedeem] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelRedeem) {
		if !cancelOpen(ctx, k) {
			reporter.Skip("cancellation closed for this epoch")
			return nil, nil
		}
		req, owner, ok := pickRequest(ctx, k, testData, reporter, func(req types.RedeemRequest) bool { return !inRound(ctx, k, req) })
		if !ok {
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgCancelRedeem{Owner: owner.AddressBech32, RequestId: req.Id}
	}
}

// MsgCancelRedeemInvalidFactory cancels what must be refused: another owner's
// request (ErrUnauthorized), an unknown request (ErrRequestNotFound), a
// request of the running round (ErrRoundInProgress) or any request after the
// cancel cutoff (ErrCancelClosed).
func MsgCancelRedeemInvalidFactory(k *keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgCancelRedeem] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelRedeem, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		switch r.Intn(3) {
		case 0:
			req, owner, ok := pickRequest(ctx, k, testData, reporter, func(types.RedeemRequest) bool { return true })
			if !ok {
				return nil, nil, nil
			}
			other := testData.AnyAccount(reporter, simsx.ExcludeAccounts(owner))
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			return []simsx.SimAccount{other}, &types.MsgCancelRedeem{Owner: other.AddressBech32, RequestId: req.Id}, simutil.ExpectError(sdkerrors.ErrUnauthorized)
		case 1:
			// A request of the running round, or any request once cancellation closed.
			open := cancelOpen(ctx, k)
			req, owner, ok := pickRequest(ctx, k, testData, reporter, func(req types.RedeemRequest) bool { return inRound(ctx, k, req) || !open })
			if !ok {
				return nil, nil, nil
			}
			expected := types.ErrCancelClosed
			if inRound(ctx, k, req) {
				expected = types.ErrRoundInProgress
			}
			return []simsx.SimAccount{owner}, &types.MsgCancelRedeem{Owner: owner.AddressBech32, RequestId: req.Id}, simutil.ExpectError(expected)
		default:
			from := testData.AnyAccount(reporter)
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			vault, err := k.Vault.Get(ctx)
			if err != nil {
				panic(err)
			}
			msg := &types.MsgCancelRedeem{Owner: from.AddressBech32, RequestId: vault.NextRequestId + uint64(r.Intn(1000))}
			return []simsx.SimAccount{from}, msg, simutil.ExpectError(types.ErrRequestNotFound)
		}
	})
}

// custodianAccount is the treasury custodian when it may settle now (an
// active TREASURY_CUSTODIAN party that is a simulated account).
func custodianAccount(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) (simsx.SimAccount, bool) {
	addr, err := k.TreasuryCustodian(ctx)
	if err != nil {
		reporter.Skipf("no custodian may settle: %s", err)
		return simsx.SimAccount{}, false
	}
	acc := testData.GetAccountbyAccAddr(reporter, addr)
	return acc, !reporter.IsSkipped()
}

// MsgSettleTreasuryFactory is the custodian settling: the recall order (in
// full or in part) when there is one, with the accrued yield (sometimes a
// little less or more); a yield-only settlement otherwise.
func MsgSettleTreasuryFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSettleTreasury] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSettleTreasury) {
		r := testData.Rand()
		custodian, ok := custodianAccount(ctx, k, testData, reporter)
		if !ok {
			return nil, nil
		}
		t, err := k.Treasury.Get(ctx)
		if err != nil {
			panic(err)
		}
		if !t.Recall.IsPositive() && !t.Principal.IsPositive() {
			reporter.Skip("nothing at the treasury")
			return nil, nil
		}
		principal := math.ZeroInt()
		if t.Recall.IsPositive() {
			principal = t.Recall
			if r.Intn(4) == 0 {
				principal = randInt(r, math.OneInt(), t.Recall)
			}
		}
		yield := t.AccruedYield.TruncateInt()
		switch r.Intn(4) {
		case 0:
			yield = yield.MulRaw(int64(80 + r.Intn(20))).QuoRaw(100)
		case 1:
			yield = yield.MulRaw(int64(100 + r.Intn(20))).QuoRaw(100)
		}
		if principal.IsZero() && !yield.IsPositive() {
			reporter.Skip("no recall and no yield to settle")
			return nil, nil
		}
		coin := sdk.NewCoin(simutil.ReserveDenom, principal.Add(yield))
		params, err := k.GetParams(ctx)
		if err != nil {
			panic(err)
		}
		coin.Denom = params.TreasuryReserveDenom
		if !custodian.LiquidBalance().BlockAmount(coin) {
			reporter.Skipf("the custodian lacks %s", coin)
			return nil, nil
		}
		return []simsx.SimAccount{custodian}, &types.MsgSettleTreasury{Custodian: custodian.AddressBech32, Principal: principal, Yield: yield}
	}
}

// MsgSettleTreasuryInvalidFactory settles what must be refused: from another
// account (ErrUnauthorized), more principal than the recall order
// (ErrExceedsRecall) or nothing at all (ErrInvalidAmount).
func MsgSettleTreasuryInvalidFactory(k *keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgSettleTreasury] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSettleTreasury, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		params, err := k.GetParams(ctx)
		if err != nil {
			panic(err)
		}
		switch r.Intn(3) {
		case 0:
			other := testData.AnyAccount(reporter, simsx.ExcludeAddresses(params.TreasuryCustodian))
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			msg := &types.MsgSettleTreasury{Custodian: other.AddressBech32, Principal: math.ZeroInt(), Yield: randInt(r, math.OneInt(), MinDeposit)}
			expected := []error{sdkerrors.ErrUnauthorized}
			if !params.TreasuryEnabled() {
				expected = []error{types.ErrTreasuryDisabled}
			}
			return []simsx.SimAccount{other}, msg, simutil.ExpectError(expected...)
		case 1:
			custodian, ok := custodianAccount(ctx, k, testData, reporter)
			if !ok {
				return nil, nil, nil
			}
			t, err := k.Treasury.Get(ctx)
			if err != nil {
				panic(err)
			}
			principal := t.Recall.Add(randInt(r, math.OneInt(), MinDeposit))
			msg := &types.MsgSettleTreasury{Custodian: custodian.AddressBech32, Principal: principal, Yield: math.ZeroInt()}
			return []simsx.SimAccount{custodian}, msg, simutil.ExpectError(types.ErrExceedsRecall)
		default:
			from := testData.AnyAccount(reporter)
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			msg := &types.MsgSettleTreasury{Custodian: from.AddressBech32, Principal: math.ZeroInt(), Yield: math.ZeroInt()}
			return []simsx.SimAccount{from}, msg, simutil.ExpectError(types.ErrInvalidAmount)
		}
	})
}

// buildUpdateParams draws new working params, keeping the treasury custodian,
// reserve denom and rate feed (they cannot change while T-bills are held).
func buildUpdateParams(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgUpdateParams] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgUpdateParams {
		current, err := k.GetParams(ctx)
		if err != nil {
			panic(err)
		}
		params := RandomParams(testData.Rand().Rand, current.TreasuryCustodian)
		params.TreasuryReserveDenom, params.TreasuryRateFeed = current.TreasuryReserveDenom, current.TreasuryRateFeed
		return &types.MsgUpdateParams{Authority: authority, Params: params}
	}
}

// ProposalMsgFactories registers the valid authority message, submitted
// through x/gov (which submits proposals at 1/25 of this weight).
func ProposalMsgFactories(weights simsx.WeightSource, reg simsx.Registry, k *keeper.Keeper) {
	reg.Add(weights.Get("msg_update_params", 100), simutil.ProposalFactory(k.GetAuthority(), buildUpdateParams(k)))
}

// MsgFactories registers the operations, valid and invalid.
func MsgFactories(weights simsx.WeightSource, reg simsx.Registry, k *keeper.Keeper) {
	reg.Add(weights.Get("msg_deposit", 100), MsgDepositFactory(k))
	reg.Add(weights.Get("msg_deposit_invalid", 5), MsgDepositInvalidFactory(k))
	reg.Add(weights.Get("msg_request_redeem", 40), MsgRequestRedeemFactory())
	reg.Add(weights.Get("msg_request_redeem_invalid", 5), MsgRequestRedeemInvalidFactory())
	reg.Add(weights.Get("msg_update_bid", 20), MsgUpdateBidFactory(k))
	reg.Add(weights.Get("msg_update_bid_invalid", 5), MsgUpdateBidInvalidFactory(k))
	reg.Add(weights.Get("msg_cancel_redeem", 15), MsgCancelRedeemFactory(k))
	reg.Add(weights.Get("msg_cancel_redeem_invalid", 5), MsgCancelRedeemInvalidFactory(k))
	reg.Add(weights.Get("msg_settle_treasury", 20), MsgSettleTreasuryFactory(k))
	reg.Add(weights.Get("msg_settle_treasury_invalid", 5), MsgSettleTreasuryInvalidFactory(k))
	reg.Add(weights.Get("msg_update_params_unauthorized", 3), simutil.UnauthorizedFactory(buildUpdateParams(k)))
}
