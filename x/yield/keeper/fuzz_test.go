package keeper_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/fuzzutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// setupFuzz is setup with 1,000 USDai of alice's deposit allocated (900 to
// the treasury), a day of T-bill accrual, 500 USDai from bob, and redemption
// requests 0 (alice, half her shares, bid 1%) and 1 (bob, 100 shares, no bid).
func setupFuzz(t *testing.T) *fixture {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	f.endBlock()
	f.advance(24 * time.Hour)
	f.beginBlock()
	f.deposit(bob, usd(500))
	f.requestRedeem(alice, f.balance(alice, susdai).QuoRaw(2), 100)
	f.requestRedeem(bob, usd(100), 0)
	return f
}

// vaultPrice is the vault's NAV per share as a fraction.
func (f *fixture) vaultPrice() (nav, shares *big.Int) {
	v := f.view()
	return v.NAV.Add(types.VirtualAssets).BigInt(), v.TotalShares.Add(types.VirtualShares).BigInt()
}

// FuzzMsgServer sends one x/yield message built from fuzzed fields, from a
// fuzzed signer, to the fixture of setupFuzz, possibly later. The msg server
// must succeed or return a registered error, never panic, and on error write
// nothing (raw stores of auth, bank and x/yield, and the fake x/stable's
// treasury ledger). On success the invariants hold and a deposit, redemption
// request, bid update or cancellation never lowers the share price.
func FuzzMsgServer(f *testing.F) {
	f.Add(uint8(0), uint8(1), []byte{0, 0x3b, 0x9a, 0xca, 0}, uint64(0), uint32(0), []byte{}, uint32(0))
	f.Add(uint8(1), uint8(1), []byte{0, 0x05, 0xf5, 0xe1, 0}, uint64(0), uint32(500), []byte{}, uint32(0))
	f.Add(uint8(2), uint8(1), []byte{}, uint64(0), uint32(200), []byte{}, uint32(60))
	f.Add(uint8(3), uint8(2), []byte{}, uint64(1), uint32(0), []byte{}, uint32(0))
	f.Add(uint8(4), uint8(4), []byte{0, 0}, uint64(0), uint32(0), []byte{0, 0x0f, 0x42, 0x40}, uint32(0))
	f.Add(uint8(5), uint8(0), []byte{}, uint64(0), uint32(200), []byte{}, uint32(0))
	f.Fuzz(func(t *testing.T, op, signerSel uint8, amountB []byte, id uint64, bps uint32, yieldB []byte, advance uint32) {
		fx := setupFuzz(t)
		if advance > 0 {
			fx.advance(time.Duration(advance%(2*3600)) * time.Second)
			fx.beginBlock()
		}
		signer := fuzzutil.Pick(signerSel, authority, alice, bob, carol, custodian, stranger).String()
		amount := fuzzutil.Int(amountB)

		outstanding := fx.stable.outstanding
		nav0, shares0 := fx.vaultPrice()
		// Through a branch, as a transaction runs it: the msg server leaves a
		// refused message's writes to the transaction to drop (keeperutil.InTx).
		err := fuzzutil.Deliver(fx.ctx, func(ctx sdk.Context) (err error) {
			switch op % 6 {
			case 0:
				_, err = fx.msgs.Deposit(ctx, &types.MsgDeposit{Depositor: signer, Amount: sdk.Coin{Denom: usdai, Amount: amount}})
			case 1:
				_, err = fx.msgs.RequestRedeem(ctx, &types.MsgRequestRedeem{Owner: signer, Shares: amount, BidBps: bps})
			case 2:
				_, err = fx.msgs.UpdateBid(ctx, &types.MsgUpdateBid{Owner: signer, RequestId: id, BidBps: bps})
			case 3:
				_, err = fx.msgs.CancelRedeem(ctx, &types.MsgCancelRedeem{Owner: signer, RequestId: id})
			case 4:
				_, err = fx.msgs.SettleTreasury(ctx, &types.MsgSettleTreasury{Custodian: signer, Principal: amount, Yield: fuzzutil.Int(yieldB)})
			case 5:
				p := testParams()
				p.AdminFeeBps, p.LiquidityBufferBps, p.MaxRedemptionsPerBlock = bps, bps, bps
				_, err = fx.msgs.UpdateParams(ctx, &types.MsgUpdateParams{Authority: signer, Params: p})
			}
			return err
		})
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err != nil {
			require.Equal(t, outstanding.String(), fx.stable.outstanding.String())
			return
		}
		fx.requireInvariants()
		if op%6 <= 3 {
			nav1, shares1 := fx.vaultPrice()
			// nav1/shares1 >= nav0/shares0
			require.True(t, new(big.Int).Mul(nav1, shares0).Cmp(new(big.Int).Mul(nav0, shares1)) >= 0,
				"share price fell from %s/%s to %s/%s", nav0, shares0, nav1, shares1)
		}
		fx.endBlock()
		fx.requireInvariants()
	})
}
