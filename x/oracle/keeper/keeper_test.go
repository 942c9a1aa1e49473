package keeper_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/log"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/infrafi/infrafi/x/oracle"
	"github.com/infrafi/infrafi/x/oracle/keeper"
	"github.com/infrafi/infrafi/x/oracle/types"
)

const (
	gpuFeed  = "gpu/nvidia-h100-sxm5-80gb"
	rateFeed = "rate/tbill"
)

var (
	genesisTime = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	authority   = sdk.AccAddress([]byte("authority___________"))
	feeder1     = sdk.AccAddress([]byte("feeder1_____________"))
	feeder2     = sdk.AccAddress([]byte("feeder2_____________"))
	feeder3     = sdk.AccAddress([]byte("feeder3_____________"))
	stranger    = sdk.AccAddress([]byte("stranger____________"))
)

type fixture struct {
	t      *testing.T
	ctx    sdk.Context
	k      *keeper.Keeper
	msgs   types.MsgServer
	query  types.QueryServer
	hooks  *recordingHooks
	encCfg moduletestutil.TestEncodingConfig
}

// recordingHooks records AfterFeedUpdated calls and can be told to fail per feed.
type recordingHooks struct {
	calls  []types.Price
	fail   map[string]error
	panics map[string]bool
	// onCall runs inside the hook, before failing, to prove its writes are discarded.
	onCall func(ctx context.Context, feedID string)
}

func (h *recordingHooks) AfterFeedUpdated(ctx context.Context, feedID string, price types.Price) error {
	h.calls = append(h.calls, price)
	if h.onCall != nil {
		h.onCall(ctx, feedID)
	}
	if h.panics[feedID] {
		panic("hook panic")
	}
	return h.fail[feedID]
}

func newKeeper(t *testing.T) (sdk.Context, *keeper.Keeper, moduletestutil.TestEncodingConfig) {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	testCtx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), authority.String(), log.NewNopLogger())
	ctx := testCtx.Ctx.WithBlockTime(genesisTime).WithBlockHeight(1)
	return ctx, k, encCfg
}

// setup returns a keeper with default params, the feeds gpuFeed (min 2 feeders,
// max_age 10m) and rateFeed (min 1, max_age 1d), and feeder1..3 registered on gpuFeed.
func setup(t *testing.T) *fixture {
	t.Helper()
	ctx, k, encCfg := newKeeper(t)
	hooks := &recordingHooks{fail: map[string]error{}, panics: map[string]bool{}}
	k.SetHooks(hooks)

	gs := types.DefaultGenesis()
	gs.Feeds = []types.Feed{
		{Id: gpuFeed, Description: "H100 SXM5 80GB unit price", Unit: "uusdai/gpu", MinFeeders: 2, MaxAge: 10 * time.Minute},
		{Id: rateFeed, Description: "3-month T-bill APR", Unit: "apr", MinFeeders: 1, MaxAge: 24 * time.Hour},
	}
	gs.Feeders = []types.Feeder{
		{FeedId: gpuFeed, Address: feeder1.String()},
		{FeedId: gpuFeed, Address: feeder2.String()},
		{FeedId: gpuFeed, Address: feeder3.String()},
		{FeedId: rateFeed, Address: feeder1.String()},
	}
	require.NoError(t, k.InitGenesis(ctx, gs))

	return &fixture{
		t:      t,
		ctx:    ctx,
		k:      k,
		msgs:   keeper.NewMsgServerImpl(k),
		query:  keeper.NewQueryServerImpl(k),
		hooks:  hooks,
		encCfg: encCfg,
	}
}

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

// post sends MsgPostPrice with the default expiry and requires success.
func (f *fixture) post(feeder sdk.AccAddress, feedID, value string) {
	f.t.Helper()
	_, err := f.msgs.PostPrice(f.ctx, &types.MsgPostPrice{Feeder: feeder.String(), FeedId: feedID, Value: dec(value)})
	require.NoError(f.t, err)
}

// postErr sends MsgPostPrice and returns its error.
func (f *fixture) postErr(feeder sdk.AccAddress, feedID string, value math.LegacyDec, expiresAt *time.Time) error {
	_, err := f.msgs.PostPrice(f.ctx, &types.MsgPostPrice{Feeder: feeder.String(), FeedId: feedID, Value: value, ExpiresAt: expiresAt})
	return err
}

// endBlock runs EndBlocker on a fresh event manager and returns its events.
func (f *fixture) endBlock() sdk.Events {
	f.t.Helper()
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	require.NoError(f.t, f.k.EndBlocker(f.ctx))
	return f.ctx.EventManager().Events()
}

// advance moves block time and height forward.
func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d)).WithBlockHeight(f.ctx.BlockHeight() + 1)
}

func (f *fixture) storedPrice(feedID string) (types.Price, bool) {
	f.t.Helper()
	p, err := f.k.Prices.Get(f.ctx, feedID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Price{}, false
	}
	require.NoError(f.t, err)
	return p, true
}

func (f *fixture) hasPost(feedID string, feeder sdk.AccAddress) bool {
	f.t.Helper()
	has, err := f.k.Posts.Has(f.ctx, collections.Join(feedID, feeder))
	require.NoError(f.t, err)
	return has
}

func (f *fixture) pending() []string {
	f.t.Helper()
	var ids []string
	require.NoError(f.t, f.k.PendingFeeds.Walk(f.ctx, nil, func(id string) (bool, error) {
		ids = append(ids, id)
		return false, nil
	}))
	return ids
}

// exported returns the whole module state, to assert that a failed message changed nothing.
func (f *fixture) exported() *types.GenesisState {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	return gs
}

func joinKey(feedID string, feeder sdk.AccAddress) collections.Pair[string, sdk.AccAddress] {
	return collections.Join(feedID, feeder)
}

// eventAttr returns an attribute of a typed event (values are JSON encoded).
func eventAttr(e sdk.Event, key string) string {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// typedEvents returns the events of the given proto type name.
func typedEvents(events sdk.Events, name string) []sdk.Event {
	var out []sdk.Event
	for _, e := range events {
		if e.Type == name {
			out = append(out, e)
		}
	}
	return out
}

func TestNewKeeperPanicsOnInvalidAuthority(t *testing.T) {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	require.Panics(t, func() {
		keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), "not-an-address", log.NewNopLogger())
	})
}

func TestSetHooksTwicePanics(t *testing.T) {
	f := setup(t)
	require.Panics(t, func() { f.k.SetHooks(types.NewMultiOracleHooks()) })
	require.Equal(t, authority.String(), f.k.GetAuthority())
}
