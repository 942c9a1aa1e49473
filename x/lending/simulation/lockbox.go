package simulation

import (
	"context"
	"errors"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// MsgPayLockboxFactory is rental revenue: a plain bank send of USDai, from any
// account holding it, to the lockbox of a performing loan whose borrower pays
// (the defaulting quarter earns nothing), of up to twice its installment, so
// due-date sweeps pay installments, leave excess and hit the covenant.
//
// The simulated bank may disable USDai transfers (x/bank's randomized
// send_enabled): the send is then refused with ErrSendDisabled, which is
// accepted; any other failure fails the simulation.
func MsgPayLockboxFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*banktypes.MsgSend] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *banktypes.MsgSend, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		performing := k.loans(ctx, func(l types.Loan) bool { return types.Performing(l.Status) && !defaulting(l) })
		if len(performing) == 0 {
			reporter.Skip("no performing loan earning revenue")
			return nil, nil, nil
		}
		l := pick(r, performing)
		rent := randInt(r, math.OneInt(), l.InterestDue.Add(l.PrincipalDue).MulRaw(2).AddRaw(1))
		payer, ok := k.holderOf(ctx, testData, reporter, math.OneInt())
		if !ok {
			reporter.Skip("no account holds USDai")
			return nil, nil, nil
		}
		rent = math.MinInt(rent, balanceOf(payer))
		payer.LiquidBalance().BlockAmount(usdai(rent))
		return []simsx.SimAccount{payer}, &banktypes.MsgSend{
			FromAddress: payer.AddressBech32, ToAddress: types.LockboxAddress(l.Id).String(), Amount: sdk.NewCoins(usdai(rent)),
		}, sendOrDisabled
	})
}

// sendOrDisabled accepts a delivered send or one refused because USDai
// transfers are disabled.
func sendOrDisabled(err error) error {
	if err == nil || errors.Is(err, banktypes.ErrSendDisabled) {
		return nil
	}
	return err
}

// MsgWithdrawLockboxFactory has the borrower of an ACTIVE loan take part of
// what its lockbox holds above the next two installments (the simulation
// pays lockboxes in USDai only, so the allowance is all USDai).
func MsgWithdrawLockboxFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgWithdrawLockbox] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawLockbox) {
		r := testData.Rand().Rand
		rich := k.loans(ctx, func(l types.Loan) bool {
			return l.Status == types.LoanActive && k.Lending.Withdrawable(ctx, l).IsPositive()
		})
		if len(rich) == 0 {
			reporter.Skip("no ACTIVE loan's lockbox holds more than two installments")
			return nil, nil
		}
		l := pick(r, rich)
		borrower := testData.GetAccount(reporter, l.Borrower)
		if reporter.IsSkipped() {
			return nil, nil
		}
		amount := randInt(r, math.OneInt(), k.Lending.Withdrawable(ctx, l))
		return []simsx.SimAccount{borrower}, &types.MsgWithdrawLockbox{Borrower: l.Borrower, LoanId: l.Id, Amount: sdk.NewCoins(usdai(amount))}
	}
}

// MsgWithdrawLockboxInvalidFactory withdraws what must be refused: from
// someone else's loan, above what an ACTIVE loan allows, or from an unknown loan.
func MsgWithdrawLockboxInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgWithdrawLockbox] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawLockbox, simsx.SimDeliveryResultHandler) {
		r := testData.Rand().Rand
		signer := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		msg := &types.MsgWithdrawLockbox{Borrower: signer.AddressBech32, Amount: sdk.NewCoins(usdai(math.OneInt()))}
		active := k.loans(ctx, func(l types.Loan) bool { return l.Status == types.LoanActive })
		if len(active) > 0 {
			l := pick(r, active)
			if l.Borrower != signer.AddressBech32 && r.Intn(2) == 0 {
				msg.LoanId = l.Id
				return []simsx.SimAccount{signer}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
			}
			borrower := testData.GetAccount(reporter, l.Borrower)
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			msg.Borrower, msg.LoanId = l.Borrower, l.Id
			msg.Amount = sdk.NewCoins(usdai(k.Lending.Withdrawable(ctx, l).AddRaw(1)))
			return []simsx.SimAccount{borrower}, msg, simutil.ExpectError(types.ErrWithdrawalTooLarge)
		}
		msg.LoanId = k.unknownLoanID(ctx)
		return []simsx.SimAccount{signer}, msg, simutil.ExpectError(types.ErrLoanNotFound)
	})
}
