// Package quota puts x/stable's IBC outflow quota into the ICS-20 transfer
// stack: an ICS4 wrapper below the transfer keeper counts what leaves (and
// refuses a send over quota), and an IBC module around the transfer module
// counts what comes back (receipts of our own denoms, refunds after a
// timeout or an error acknowledgement). Returns are never refused.
package quota

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	transfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
)

// Keeper is the part of x/stable's keeper the quota needs.
type Keeper interface {
	RecordOutflow(ctx context.Context, channel, denom string, amount math.Int) error
	RecordReturn(ctx context.Context, channel, denom string, amount math.Int) error
}

// ICS4Wrapper counts native coins sent over a channel against the quota.
type ICS4Wrapper struct {
	porttypes.ICS4Wrapper
	keeper Keeper
}

var _ porttypes.ICS4Wrapper = ICS4Wrapper{}

// NewICS4Wrapper wraps next (the core channel keeper).
func NewICS4Wrapper(next porttypes.ICS4Wrapper, k Keeper) ICS4Wrapper {
	return ICS4Wrapper{ICS4Wrapper: next, keeper: k}
}

// SendPacket refuses a transfer of a native denom that would take the
// channel's net outflow over the quota; otherwise it records it and sends.
func (w ICS4Wrapper) SendPacket(
	ctx sdk.Context, sourcePort, sourceChannel string,
	timeoutHeight clienttypes.Height, timeoutTimestamp uint64, data []byte,
) (uint64, error) {
	if denom, amount, ok := nativeToken(data); ok {
		if err := w.keeper.RecordOutflow(ctx, sourceChannel, denom, amount); err != nil {
			return 0, err
		}
	}
	return w.ICS4Wrapper.SendPacket(ctx, sourcePort, sourceChannel, timeoutHeight, timeoutTimestamp, data)
}

// IBCModule counts returns to the chain against the quota.
type IBCModule struct {
	porttypes.IBCModule
	keeper Keeper
}

var _ porttypes.IBCModule = IBCModule{}

// NewIBCModule wraps app (the transfer module).
func NewIBCModule(app porttypes.IBCModule, k Keeper) IBCModule {
	return IBCModule{IBCModule: app, keeper: k}
}

// OnRecvPacket passes the packet on; when our own native coin comes back and
// is credited, the channel's net outflow falls by its amount. Never refused.
func (m IBCModule) OnRecvPacket(ctx sdk.Context, channelVersion string, packet channeltypes.Packet, relayer sdk.AccAddress) ibcexported.Acknowledgement {
	ack := m.IBCModule.OnRecvPacket(ctx, channelVersion, packet, relayer)
	if !ack.Success() {
		return ack
	}
	data, err := transfertypes.UnmarshalPacketData(packet.GetData(), channelVersion, "")
	if err != nil {
		return ack
	}
	denom := data.Token.Denom
	// Our own coin returns with the sender side's port/channel as first hop;
	// one hop means it is back home as a native denom.
	if !denom.HasPrefix(packet.GetSourcePort(), packet.GetSourceChannel()) || len(denom.Trace) != 1 {
		return ack
	}
	amount, ok := math.NewIntFromString(data.Token.Amount)
	if !ok {
		return ack
	}
	if err := m.keeper.RecordReturn(ctx, packet.GetDestChannel(), denom.Base, amount); err != nil {
		// The coins are credited whatever the quota's books say; a failed
		// record only leaves the window counting them as out.
		ctx.Logger().Error("outflow quota: record return", "channel", packet.GetDestChannel(), "denom", denom.Base, "err", err)
	}
	return ack
}

// OnAcknowledgementPacket passes the ack on; an error ack refunds the sender,
// so the amount no longer counts as out.
func (m IBCModule) OnAcknowledgementPacket(ctx sdk.Context, channelVersion string, packet channeltypes.Packet, acknowledgement []byte, relayer sdk.AccAddress) error {
	if err := m.IBCModule.OnAcknowledgementPacket(ctx, channelVersion, packet, acknowledgement, relayer); err != nil {
		return err
	}
	var ack channeltypes.Acknowledgement
	if err := transfertypes.ModuleCdc.UnmarshalJSON(acknowledgement, &ack); err != nil || ack.Success() {
		return nil
	}
	return m.refund(ctx, packet)
}

// OnTimeoutPacket passes the timeout on (the transfer module refunds) and
// takes the amount off the net outflow.
func (m IBCModule) OnTimeoutPacket(ctx sdk.Context, channelVersion string, packet channeltypes.Packet, relayer sdk.AccAddress) error {
	if err := m.IBCModule.OnTimeoutPacket(ctx, channelVersion, packet, relayer); err != nil {
		return err
	}
	return m.refund(ctx, packet)
}

// refund never fails the callback: the sender's refund matters more than the
// quota's books, which at worst keep counting the amount as out.
func (m IBCModule) refund(ctx sdk.Context, packet channeltypes.Packet) error {
	denom, amount, ok := nativeToken(packet.GetData())
	if !ok {
		return nil
	}
	if err := m.keeper.RecordReturn(ctx, packet.GetSourceChannel(), denom, amount); err != nil {
		ctx.Logger().Error("outflow quota: record refund", "channel", packet.GetSourceChannel(), "denom", denom, "err", err)
	}
	return nil
}

// nativeToken returns the denom and amount of an ICS-20 v1 packet that sends
// a coin native to this chain (no trace). Vouchers going home are not ours to
// cap: they burn here and unescrow at their origin.
func nativeToken(data []byte) (string, math.Int, bool) {
	pd, err := transfertypes.UnmarshalPacketData(data, transfertypes.V1, "")
	if err != nil || !pd.Token.Denom.IsNative() {
		return "", math.Int{}, false
	}
	amount, ok := math.NewIntFromString(pd.Token.Amount)
	if !ok {
		return "", math.Int{}, false
	}
	return pd.Token.Denom.Base, amount, true
}
