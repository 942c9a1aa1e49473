package app_test

import (
	"encoding/json"
	"testing"

	"cosmossdk.io/log"
	sdkmath "cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"

	transfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v10/testing"

	"github.com/infrafi/infrafi/app"
	stablekeeper "github.com/infrafi/infrafi/x/stable/keeper"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

// ibcSuite is two infrafi chains joined by an ICS-20 channel: A is infrafi,
// B stands in for the USDC issuer's chain (it holds native uusdc).
type ibcSuite struct {
	t      *testing.T
	coord  *ibctesting.Coordinator
	a, b   *ibctesting.TestChain
	path   *ibctesting.Path
	usdcA  string // the uusdc voucher on A
	usdaiB string // the uusdai voucher on B
}

const ibcUSDC = "uusdc"

func newIBCSuite(t *testing.T) *ibcSuite {
	ibctesting.DefaultTestingAppInit = func() (ibctesting.TestingApp, map[string]json.RawMessage) {
		a := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
		return a, a.DefaultGenesis()
	}
	coord := ibctesting.NewCoordinator(t, 2)
	s := &ibcSuite{t: t, coord: coord, a: coord.GetChain(ibctesting.GetChainID(1)), b: coord.GetChain(ibctesting.GetChainID(2))}
	s.path = ibctesting.NewTransferPath(s.a, s.b)
	s.path.Setup()
	s.usdcA = transfertypes.NewDenom(ibcUSDC, transfertypes.NewHop(transfertypes.PortID, s.path.EndpointA.ChannelID)).IBCDenom()
	s.usdaiB = transfertypes.NewDenom(stabletypes.USDaiDenom, transfertypes.NewHop(transfertypes.PortID, s.path.EndpointB.ChannelID)).IBCDenom()

	// The issuer's chain holds native USDC: mint it to B's sender.
	b := s.appB()
	usdc := sdk.NewCoins(sdk.NewInt64Coin(ibcUSDC, 5_000_000_000))
	require.NoError(t, b.BankKeeper.MintCoins(s.b.GetContext(), minttypes.ModuleName, usdc))
	require.NoError(t, b.BankKeeper.SendCoinsFromModuleToAccount(s.b.GetContext(), minttypes.ModuleName, s.b.SenderAccount.GetAddress(), usdc))
	s.coord.CommitBlock(s.b)

	// Infrafi's USDai may grow to 10,000 units; the default quotas apply.
	s.govUpdateStable(func(p *stabletypes.Params) { p.SupplyCap = sdkmath.NewInt(10_000_000_000) })
	return s
}

func (s *ibcSuite) appA() *app.App { return s.a.App.(*app.App) }
func (s *ibcSuite) appB() *app.App { return s.b.App.(*app.App) }

func (s *ibcSuite) balanceA(addr sdk.AccAddress, denom string) sdkmath.Int {
	return s.appA().BankKeeper.GetBalance(s.a.GetContext(), addr, denom).Amount
}

func (s *ibcSuite) balanceB(addr sdk.AccAddress, denom string) sdkmath.Int {
	return s.appB().BankKeeper.GetBalance(s.b.GetContext(), addr, denom).Amount
}

func (s *ibcSuite) escrowA(denom string) sdkmath.Int {
	return s.balanceA(transfertypes.GetEscrowAddress(transfertypes.PortID, s.path.EndpointA.ChannelID), denom)
}

// requireInvariants checks every infrafi invariant on both chains.
func (s *ibcSuite) requireInvariants(step string) {
	s.t.Helper()
	require.NoError(s.t, s.appA().CheckInvariants(s.a.GetContext()), "chain A after %s", step)
	require.NoError(s.t, s.appB().CheckInvariants(s.b.GetContext()), "chain B after %s", step)
}

// govUpdateStable runs MsgUpdateParams on A as the gov authority, exactly as
// an executed proposal does.
func (s *ibcSuite) govUpdateStable(mutate func(*stabletypes.Params)) error {
	a := s.appA()
	ctx := s.a.GetContext()
	p, err := a.StableKeeper.GetParams(ctx)
	require.NoError(s.t, err)
	mutate(&p)
	_, err = stablekeeper.NewMsgServerImpl(a.StableKeeper).UpdateParams(ctx, &stabletypes.MsgUpdateParams{
		Authority: authtypes.NewModuleAddress("gov").String(), Params: p,
	})
	s.coord.CommitBlock(s.a)
	return err
}

// send transfers coin from the sender of `from` over the path's channel.
func (s *ibcSuite) send(from *ibctesting.Endpoint, coin sdk.Coin, receiver string, timeout clienttypes.Height) (channeltypes.Packet, error) {
	msg := transfertypes.NewMsgTransfer(from.ChannelConfig.PortID, from.ChannelID, coin,
		from.Chain.SenderAccount.GetAddress().String(), receiver, timeout, 0, "")
	res, err := from.Chain.SendMsgs(msg)
	if err != nil {
		return channeltypes.Packet{}, err
	}
	return ibctesting.ParsePacketFromEvents(res.Events)
}

// resyncSequence reads A's sender sequence from the chain: ibctesting counts
// every tx, but one refused before its ante handler ran used none.
func (s *ibcSuite) resyncSequence() {
	acc := s.appA().AccountKeeper.GetAccount(s.a.GetContext(), s.a.SenderAccount.GetAddress())
	require.NoError(s.t, s.a.SenderAccount.SetSequence(acc.GetSequence()))
}

func (s *ibcSuite) relay(p channeltypes.Packet) {
	s.t.Helper()
	require.NoError(s.t, s.path.RelayPacket(p))
}

func (s *ibcSuite) usage() stabletypes.OutflowUsage {
	s.t.Helper()
	a := s.appA()
	ctx := s.a.GetContext()
	p, err := a.StableKeeper.GetParams(ctx)
	require.NoError(s.t, err)
	u, err := a.StableKeeper.OutflowUsage(ctx, p, s.path.EndpointA.ChannelID, stabletypes.USDaiDenom)
	require.NoError(s.t, err)
	return u
}

var noTimeout = clienttypes.NewHeight(1, 100_000)

// TestIBCRoundTrip walks DESIGN's IBC story on two in-process chains with
// packets relayed by the test: USDC arrives from its issuer's chain, becomes
// a listed reserve, backs USDai, USDai travels out and back, a timeout and an
// error acknowledgement refund, a send over quota escrows nothing, and the
// USDC is redeemed and sent home. Invariants hold on both chains after each
// step.
func TestIBCRoundTrip(t *testing.T) {
	s := newIBCSuite(t)
	userA := s.a.SenderAccount.GetAddress()
	userB := s.b.SenderAccount.GetAddress()
	s.requireInvariants("channel open")

	// 1. USDC from B to infrafi: escrowed on B, a voucher minted on A.
	pkt, err := s.send(s.path.EndpointB, sdk.NewInt64Coin(ibcUSDC, 2_000_000_000), userA.String(), noTimeout)
	require.NoError(t, err)
	s.relay(pkt)
	require.Equal(t, sdkmath.NewInt(2_000_000_000), s.balanceA(userA, s.usdcA))
	require.Equal(t, sdkmath.NewInt(3_000_000_000), s.balanceB(userB, ibcUSDC))
	s.requireInvariants("USDC arrives")

	// A packet whose receipt fails on infrafi (an undecodable receiver) gets an
	// error acknowledgement, not a panic, and B refunds its sender.
	pkt, err = s.send(s.path.EndpointB, sdk.NewInt64Coin(ibcUSDC, 7_000_000), "infra1notanaddress", noTimeout)
	require.NoError(t, err)
	require.Equal(t, sdkmath.NewInt(2_993_000_000), s.balanceB(userB, ibcUSDC))
	s.relay(pkt)
	require.Equal(t, sdkmath.NewInt(3_000_000_000), s.balanceB(userB, ibcUSDC))
	require.Equal(t, sdkmath.NewInt(2_000_000_000), s.balanceA(userA, s.usdcA))
	s.requireInvariants("error acknowledgement from infrafi")

	// 2. Governance lists the voucher as a reserve, exactly like uusdc.
	unknown := transfertypes.NewDenom(ibcUSDC, transfertypes.NewHop(transfertypes.PortID, "channel-9")).IBCDenom()
	err = s.govUpdateStable(func(p *stabletypes.Params) {
		p.Reserves = append(p.Reserves, stabletypes.ReserveAsset{Denom: unknown, Enabled: true, Cap: sdkmath.NewInt(1), DepegThreshold: sdkmath.LegacyZeroDec()})
	})
	require.ErrorIs(t, err, stabletypes.ErrUnknownVoucher, "a voucher the chain never received")
	reserve := stabletypes.ReserveAsset{Denom: s.usdcA, Enabled: true, MintFeeBps: 10, RedeemFeeBps: 10, Cap: sdkmath.NewInt(5_000_000_000), DepegThreshold: sdkmath.LegacyZeroDec()}
	require.NoError(t, s.govUpdateStable(func(p *stabletypes.Params) { p.Reserves = append(p.Reserves, reserve) }))
	err = s.govUpdateStable(func(p *stabletypes.Params) { p.Reserves = append(p.Reserves, reserve) })
	require.ErrorIs(t, err, stabletypes.ErrInvalidParams, "listed twice")
	status, err := stablekeeper.NewQueryServerImpl(s.appA().StableKeeper).Reserve(s.a.GetContext(), &stabletypes.QueryReserveRequest{Denom: s.usdcA})
	require.NoError(t, err)
	require.Equal(t, &stabletypes.ReserveOrigin{Path: "transfer/" + s.path.EndpointA.ChannelID, BaseDenom: ibcUSDC}, status.Reserve.Origin)

	// 3. Mint USDai with the voucher: 1,000 USDC -> 999 USDai (10 bps).
	_, err = s.a.SendMsgs(&stabletypes.MsgMint{Sender: userA.String(), Amount: sdk.NewInt64Coin(s.usdcA, 1_000_000_000)})
	require.NoError(t, err)
	require.Equal(t, sdkmath.NewInt(999_000_000), s.balanceA(userA, stabletypes.USDaiDenom))
	proof, err := s.appA().StableKeeper.ProofOfReserves(s.a.GetContext())
	require.NoError(t, err)
	require.Equal(t, sdkmath.NewInt(1_000_000_000), proof.ReservesHeld)
	require.Equal(t, ibcUSDC, proof.Reserves[0].Origin.BaseDenom)
	s.requireInvariants("mint against the voucher")
	supply := s.appA().BankKeeper.GetSupply(s.a.GetContext(), stabletypes.USDaiDenom).Amount

	// 4. USDai to B: escrowed on A (still in supply), a voucher on B.
	pkt, err = s.send(s.path.EndpointA, sdk.NewInt64Coin(stabletypes.USDaiDenom, 50_000_000), userB.String(), noTimeout)
	require.NoError(t, err)
	s.relay(pkt)
	require.Equal(t, sdkmath.NewInt(50_000_000), s.escrowA(stabletypes.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(50_000_000), s.balanceB(userB, s.usdaiB))
	require.Equal(t, supply, s.appA().BankKeeper.GetSupply(s.a.GetContext(), stabletypes.USDaiDenom).Amount)
	require.Equal(t, sdkmath.NewInt(50_000_000), s.usage().Used)
	s.requireInvariants("USDai sent out")

	// 5. And back: unescrowed on A, the voucher burned on B, the quota freed.
	pkt, err = s.send(s.path.EndpointB, sdk.NewCoin(s.usdaiB, sdkmath.NewInt(20_000_000)), userA.String(), noTimeout)
	require.NoError(t, err)
	s.relay(pkt)
	require.Equal(t, sdkmath.NewInt(30_000_000), s.escrowA(stabletypes.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(30_000_000), s.balanceB(userB, s.usdaiB))
	require.Equal(t, sdkmath.NewInt(30_000_000), s.usage().Used)
	s.requireInvariants("USDai returned")

	// 6. A timeout refunds the sender and the quota.
	before := s.balanceA(userA, stabletypes.USDaiDenom)
	timeout := clienttypes.NewHeight(1, uint64(s.b.LatestCommittedHeader.GetHeight().GetRevisionHeight())+1)
	pkt, err = s.send(s.path.EndpointA, sdk.NewInt64Coin(stabletypes.USDaiDenom, 10_000_000), userB.String(), timeout)
	require.NoError(t, err)
	require.Equal(t, sdkmath.NewInt(40_000_000), s.escrowA(stabletypes.USDaiDenom))
	s.coord.CommitNBlocks(s.b, 3)
	require.NoError(t, s.path.EndpointA.UpdateClient())
	require.NoError(t, s.path.EndpointA.TimeoutPacket(pkt))
	require.Equal(t, before, s.balanceA(userA, stabletypes.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(30_000_000), s.escrowA(stabletypes.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(30_000_000), s.usage().Used)
	s.requireInvariants("timeout")

	// 7. An error acknowledgement (B cannot decode the receiver) refunds too.
	pkt, err = s.send(s.path.EndpointA, sdk.NewInt64Coin(stabletypes.USDaiDenom, 10_000_000), "not-an-address", noTimeout)
	require.NoError(t, err)
	s.relay(pkt)
	require.Equal(t, before, s.balanceA(userA, stabletypes.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(30_000_000), s.escrowA(stabletypes.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(30_000_000), s.usage().Used)
	s.requireInvariants("error acknowledgement")

	// 8. Over quota (10% of a ~999 USDai supply, 30 already out): refused
	// with x/stable's registered error, nothing escrowed.
	room := s.usage().Remaining
	require.Equal(t, supply.QuoRaw(10).SubRaw(30_000_000), room)
	_, err = s.send(s.path.EndpointA, sdk.NewCoin(stabletypes.USDaiDenom, room.AddRaw(1)), userB.String(), noTimeout)
	require.ErrorContains(t, err, stabletypes.ErrOutflowQuota.Codespace()+"/19")
	require.Equal(t, sdkmath.NewInt(30_000_000), s.escrowA(stabletypes.USDaiDenom))
	require.Equal(t, before, s.balanceA(userA, stabletypes.USDaiDenom))
	// Exactly the room passes.
	pkt, err = s.send(s.path.EndpointA, sdk.NewCoin(stabletypes.USDaiDenom, room), userB.String(), noTimeout)
	require.NoError(t, err)
	s.relay(pkt)
	require.True(t, s.usage().Remaining.IsZero())
	// Returns are never blocked, even at a full quota.
	pkt, err = s.send(s.path.EndpointB, sdk.NewCoin(s.usdaiB, room), userA.String(), noTimeout)
	require.NoError(t, err)
	s.relay(pkt)
	require.Equal(t, room, s.usage().Remaining)
	s.requireInvariants("quota")

	// 9. Bad transfers move no coin.
	escrow, held := s.escrowA(stabletypes.USDaiDenom), s.balanceA(userA, stabletypes.USDaiDenom)
	for name, coin := range map[string]sdk.Coin{
		"unknown channel": sdk.NewInt64Coin(stabletypes.USDaiDenom, 1),
		"zero amount":     sdk.NewInt64Coin(stabletypes.USDaiDenom, 0),
		"denom not held":  sdk.NewInt64Coin("unotheld", 1),
	} {
		channel := s.path.EndpointA.ChannelID
		if name == "unknown channel" {
			channel = "channel-42"
		}
		msg := transfertypes.NewMsgTransfer(transfertypes.PortID, channel, coin, userA.String(), userB.String(), noTimeout, 0, "")
		_, err := s.a.SendMsgs(msg)
		require.Error(t, err, name)
		s.resyncSequence()
	}
	_, err = s.send(s.path.EndpointA, sdk.NewInt64Coin(stabletypes.USDaiDenom, 1), "", noTimeout)
	require.Error(t, err, "empty receiver")
	s.resyncSequence()
	require.Equal(t, escrow, s.escrowA(stabletypes.USDaiDenom))
	require.Equal(t, held, s.balanceA(userA, stabletypes.USDaiDenom))

	// 10. Redeem USDai into the voucher reserve and send the USDC home.
	_, err = s.a.SendMsgs(&stabletypes.MsgRedeem{Sender: userA.String(), Amount: sdk.NewInt64Coin(stabletypes.USDaiDenom, 500_000_000), ReserveDenom: s.usdcA})
	require.NoError(t, err)
	// 500 USDai less 10 bps = 499.5 USDC; the voucher wallet had 1,000 left.
	require.Equal(t, sdkmath.NewInt(1_499_500_000), s.balanceA(userA, s.usdcA))
	s.requireInvariants("redeem into the voucher")
	pkt, err = s.send(s.path.EndpointA, sdk.NewCoin(s.usdcA, sdkmath.NewInt(1_499_500_000)), userB.String(), noTimeout)
	require.NoError(t, err)
	s.relay(pkt)
	require.True(t, s.balanceA(userA, s.usdcA).IsZero(), "the voucher burns on its way home")
	require.Equal(t, sdkmath.NewInt(4_499_500_000), s.balanceB(userB, ibcUSDC))
	s.requireInvariants("USDC home")
}
