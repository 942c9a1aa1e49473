package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/fuzzutil"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
)

// setupFuzz is setup with loan 1 (titles 1 and 2, 20,000 USDai at 15%)
// underwritten and loan 2 (title 3, 10,000 USDai) PENDING; title 4 is free.
func setupFuzz(t *testing.T) *fixture {
	f := setup(t)
	id := f.request(t, usd(20_000), 1, 2)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, id, apr15, usd(2_000))
	require.NoError(t, err)
	f.request(t, usd(10_000), 3)
	return f
}

// FuzzMsgServer sends one x/lending message built from fuzzed fields, from a
// fuzzed signer, to the fixture of setupFuzz, possibly later. The msg server
// must succeed or return a registered error (its own, x/caliber's or the
// SDK's), never panic, and on error write nothing (the raw store, the fake
// bank, titles and vault commitment); on success the invariants hold.
func FuzzMsgServer(f *testing.F) {
	f.Add(uint8(0), uint8(1), []byte{4}, []byte{0, 0x02, 0x54, 0x0b, 0xe4, 0x00}, uint64(0), uint64(0), uint32(0))
	f.Add(uint8(1), uint8(1), []byte{}, []byte{}, uint64(2), uint64(0), uint32(0))
	f.Add(uint8(2), uint8(2), []byte{}, []byte{0, 0x77, 0x35, 0x94, 0}, uint64(2), uint64(150_000_000_000_000_000), uint32(0))
	f.Add(uint8(3), uint8(3), []byte{}, []byte{0, 0x35, 0xa4, 0xe9, 0}, uint64(1), uint64(0), uint32(2_628_000))
	f.Add(uint8(3), uint8(3), []byte{}, []byte{0, 0x04, 0xa8, 0x17, 0xc8, 0x00}, uint64(1), uint64(0), uint32(100))
	f.Add(uint8(4), uint8(0), []byte{}, []byte{}, uint64(1), uint64(200_000_000_000_000_000), uint32(3600))
	f.Add(uint8(5), uint8(0), []byte{}, []byte{}, uint64(0), uint64(200_000_000_000_000_000), uint32(3600))
	f.Add(uint8(6), uint8(0), []byte{}, []byte{0, 1}, uint64(20), uint64(0), uint32(3600))
	f.Fuzz(func(t *testing.T, op, signerSel uint8, titles, amountB []byte, id, aprBits uint64, secs uint32) {
		fx := setupFuzz(t)
		fx.ctx = fx.ctx.WithBlockTime(fx.ctx.BlockTime().Add(time.Duration(secs%(400*24*3600)) * time.Second))
		signer := fuzzutil.Pick(signerSel, authority, borrower, curator, payer, other).String()
		amount := fuzzutil.Int(amountB)
		apr := fuzzutil.DecBetween(aprBits, math.LegacyNewDec(11))
		titleIDs := make([]uint64, len(titles))
		for i, b := range titles {
			titleIDs[i] = uint64(b % 8)
		}
		product := testProduct()
		product.Id = fuzzutil.Pick(uint8(id), "gpu", "gpu-2")
		product.AprMax = apr
		product.Duration = time.Duration(secs%1200+1) * product.RepaymentInterval

		before := fx.snapshot(t)
		msgs := keeper.NewMsgServerImpl(fx.k)
		// Through a branch, as a transaction runs it: the msg server leaves a
		// refused message's writes to the transaction to drop (keeperutil.InTx).
		err := fuzzutil.Deliver(fx.ctx, func(ctx sdk.Context) (err error) {
			switch op % 7 {
			case 0:
				_, err = msgs.RequestLoan(ctx, &types.MsgRequestLoan{Borrower: signer, TitleIds: titleIDs, ProductId: "gpu", Principal: amount})
			case 1:
				_, err = msgs.CancelLoanRequest(ctx, &types.MsgCancelLoanRequest{Borrower: signer, LoanId: id})
			case 2:
				_, err = msgs.UnderwriteLoan(ctx, &types.MsgUnderwriteLoan{Curator: signer, LoanId: id, Apr: apr, JuniorAmount: amount})
			case 3:
				_, err = msgs.Repay(ctx, &types.MsgRepay{Payer: signer, LoanId: id, Amount: amount})
			case 4:
				_, err = msgs.CreateProduct(ctx, &types.MsgCreateProduct{Authority: signer, Product: product})
			case 5:
				_, err = msgs.UpdateProduct(ctx, &types.MsgUpdateProduct{Authority: signer, Product: product})
			case 6:
				p := types.DefaultParams()
				p.MaxTitlesPerLoan, p.ConcentrationMinBook = uint32(id), amount
				_, err = msgs.UpdateParams(ctx, &types.MsgUpdateParams{Authority: signer, Params: p})
			}
			return err
		})
		fuzzutil.RequireRegistered(t, err, types.ModuleName, "caliber")
		if err != nil {
			require.Equal(t, before, fx.snapshot(t), "failed message changed state: %v", err)
			return
		}
		fx.checkInvariants(t)
		require.NoError(t, fx.k.EndBlocker(fx.ctx))
		fx.checkInvariants(t)
	})
}
