package app_test

import (
	"time"

	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	connectiontypes "github.com/cosmos/ibc-go/v10/modules/core/03-connection/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"
	commitmenttypes "github.com/cosmos/ibc-go/v10/modules/core/23-commitment/types"
	ibctm "github.com/cosmos/ibc-go/v10/modules/light-clients/07-tendermint"

	transfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
)

// The ICS-20 benchmark's channel. Opening one through handshakes needs a
// second chain and a relayer (app/ibc_test.go does that with ibctesting); a
// transfer out only reads the channel, its connection and the light client's
// latest consensus state, so openBenchChannel writes those into the IBC
// keepers directly, as a completed handshake would have left them.
const (
	benchClientID     = "07-tendermint-0"
	benchConnectionID = "connection-0"
	benchChannelID    = "channel-0"
)

// openBenchChannel writes an OPEN ics20-1 channel on port transfer over an OPEN
// connection whose 07-tendermint client's latest consensus state is the last
// block's time (trusted for 10 days, so the client stays active through the
// benchmark).
func (bk *benchBook) openBenchChannel() {
	ctx := bk.writeCtx()
	height := clienttypes.NewHeight(1, 100)
	cs := ibctm.NewClientState("counterparty-1", ibctm.DefaultTrustLevel, 10*24*time.Hour, 21*24*time.Hour, 10*time.Minute,
		height, commitmenttypes.GetSDKSpecs(), []string{"upgrade", "upgradedIBCState"})
	ibc := bk.IBCKeeper
	ibc.ClientKeeper.SetClientState(ctx, benchClientID, cs)
	ibc.ClientKeeper.SetClientConsensusState(ctx, benchClientID, height,
		ibctm.NewConsensusState(bk.BlockTime(), commitmenttypes.NewMerkleRoot([]byte("bench-root")), make([]byte, 32)))
	ibc.ConnectionKeeper.SetConnection(ctx, benchConnectionID, connectiontypes.NewConnectionEnd(connectiontypes.OPEN, benchClientID,
		connectiontypes.NewCounterparty(benchClientID, benchConnectionID, commitmenttypes.NewMerklePrefix([]byte("ibc"))),
		connectiontypes.GetCompatibleVersions(), 0))
	ibc.ChannelKeeper.SetChannel(ctx, transfertypes.PortID, benchChannelID, channeltypes.NewChannel(channeltypes.OPEN, channeltypes.UNORDERED,
		channeltypes.NewCounterparty(transfertypes.PortID, benchChannelID), []string{benchConnectionID}, transfertypes.V1))
	ibc.ChannelKeeper.SetNextSequenceSend(ctx, transfertypes.PortID, benchChannelID, 1)
	bk.NextBlock(time.Second)
}
