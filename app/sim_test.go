//go:build sims

package app_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/log"
	sdkmath "cosmossdk.io/math"
	upgradetypes "cosmossdk.io/x/upgrade/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/x/feegrant"
	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	"github.com/cosmos/cosmos-sdk/x/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation/client/cli"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/infrafi/infrafi/app"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// The SDK's simulator flags (-NumBlocks, -BlockSize, -Commit, -Verbose, ...)
// plus the seeds to run. `make test-sim` and `make test-sim-long` set them.
var simSeeds = flag.String("SimSeeds", "2,18", "comma-separated simulation seeds")

func init() { cli.GetSimulatorFlags() }

// simGenesisTime fixes the genesis time unless -GenesisTime is given, so a
// seed reproduces the same run on any day.
var simGenesisTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

// simReserve is every simulated account's genesis balance of the reserve
// asset app.LocalnetReserveDenom (x/internal/simutil.ReserveDenom: the
// modules' generators make it x/stable's reserve).
var simReserve = sdkmath.NewInt(1_000_000_000_000) // 1,000,000 USDC

func simConfig(t *testing.T) simtypes.Config {
	cfg := cli.NewConfigFromFlags()
	cfg.ChainID = simsx.SimAppChainID
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "GenesisTime" })
	if !given {
		cfg.GenesisTime = simGenesisTime
	}
	return cfg
}

func seeds(t *testing.T) []int64 {
	var out []int64
	for _, s := range strings.Split(*simSeeds, ",") {
		seed, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		require.NoError(t, err, "-SimSeeds")
		out = append(out, seed)
	}
	return out
}

// simAccounts keeps the account count between 20 and 150: the role accounts
// of simutil need more than simutil.NumRoles, and thousands of accounts only
// slow the run down.
func simAccounts(r *rand.Rand, n int) []simtypes.Account {
	return simtypes.RandomAccounts(r, min(max(n, 20), 150))
}

// heightHash is the app hash a block started from (the previous commit's).
type heightHash struct {
	Height int64
	Hash   []byte
}

// recorder collects, per run, the app hash at every height; the app checks
// every invariant after every EndBlock and fails the block if one breaks.
type recorder struct {
	hashes   []heightHash
	lastTime time.Time
	// executed counts the authority messages authorityOps ran, by type.
	executed map[string]int
}

func (r *recorder) factory(logger log.Logger, db dbm.DB, trace io.Writer, loadLatest bool,
	opts servertypes.AppOptions, baseOpts ...func(*baseapp.BaseApp),
) *app.App {
	a := app.New(logger, db, trace, loadLatest, opts, baseOpts...)
	sm := a.SimulationManager()
	r.executed = map[string]int{}
	sm.Modules = append(sm.Modules, authorityOps{a, r.executed})
	a.SetEndBlockCheck(func(ctx sdk.Context) error {
		r.hashes = append(r.hashes, heightHash{ctx.BlockHeight(), bytes.Clone(ctx.BlockHeader().AppHash)})
		r.lastTime = ctx.BlockTime()
		return a.CheckInvariants(ctx)
	})
	return a
}

// infrafiModules have governance-only messages (ProposalMsgsX).
var infrafiModules = []string{"oracle", "caliber", "stable", "yield", "lending"}

// authorityOps executes the infrafi modules' governance messages the way x/gov
// does once a proposal passes: through the message router, as the gov
// authority, in the block's state. x/gov's own simulation submits the same
// messages in proposals, but with its random deposits, votes and quorum they
// almost never pass, so without this the valid authority messages (params,
// feeds, parties, classes, products, allowlist) would never run. Each factory
// builds a message that must succeed; an error fails the run.
type authorityOps struct {
	app      *app.App
	executed map[string]int
}

func (authorityOps) GenerateGenesisState(*module.SimulationState)       {}
func (authorityOps) RegisterStoreDecoder(simtypes.StoreDecoderRegistry) {}

func (o authorityOps) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation {
	reg := simsx.NewUniqueTypeRegistry()
	for _, name := range infrafiModules {
		if m, ok := o.app.ModuleManager.Modules[name].(simsx.HasProposalMsgsX); ok {
			m.ProposalMsgsX(simsx.ParamWeightSource(simtypes.AppParams{}), reg)
		}
	}
	var ops []simtypes.WeightedOperation
	for weight, factory := range reg.Iterator() {
		// Proposal weights are sized for x/gov, which divides them by 25.
		ops = append(ops, simulation.NewWeightedOperation(max(int(weight)/10, 1), o.op(factory)))
	}
	return ops
}

func (o authorityOps) op(factory simsx.FactoryMethod) simtypes.Operation {
	return func(r *rand.Rand, _ *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		data := simsx.NewChainDataSource(ctx, r, o.app.AccountKeeper, o.app.BankKeeper, o.app.AccountKeeper.AddressCodec(), accs...)
		reporter := simsx.NewBasicSimulationReporter()
		_, msg := simsx.SafeRunFactoryMethod(ctx, data, reporter, factory)
		if msg == nil || reporter.IsSkipped() {
			return simtypes.NoOpMsg("gov", "authority", reporter.Comment()), nil, nil
		}
		handler := o.app.MsgServiceRouter().Handler(msg)
		if handler == nil {
			return simtypes.NoOpMsg("gov", sdk.MsgTypeURL(msg), "no handler"), nil, fmt.Errorf("no handler for %s", sdk.MsgTypeURL(msg))
		}
		cacheCtx, write := ctx.CacheContext()
		if _, err := handler(cacheCtx, msg); err != nil {
			return simtypes.NoOpMsg("gov", sdk.MsgTypeURL(msg), err.Error()), nil,
				fmt.Errorf("authority message %s refused: %w", sdk.MsgTypeURL(msg), err)
		}
		write()
		o.executed[sdk.MsgTypeURL(msg)]++
		return simtypes.NewOperationMsg(msg, true, "executed as the gov authority"), nil, nil
	}
}

// stateFactory builds the randomized genesis: every module's generator, then
// the reserve asset for every simulated account.
func stateFactory(a *app.App) simsx.SimStateFactory {
	inner := simtestutil.AppStateFnWithExtendedCbs(a.AppCodec(), a.SimulationManager(), a.DefaultGenesis(), nil, nil)
	return simsx.SimStateFactory{
		Codec: a.AppCodec(),
		AppStateFn: func(r *rand.Rand, accs []simtypes.Account, cfg simtypes.Config) (json.RawMessage, []simtypes.Account, string, time.Time) {
			state, simAccs, chainID, genTime := inner(r, accs, cfg)
			return keepValidators(a, fundReserve(a, state, simAccs)), simAccs, chainID, genTime
		},
		BlockedAddr:   app.BlockedAddresses(),
		AccountSource: a.AccountKeeper,
		BalanceSource: a.BankKeeper,
	}
}

// fundReserve gives every simulated account simReserve of the reserve asset
// and the bank genesis infrafi's denom metadata.
func fundReserve(a *app.App, state json.RawMessage, accs []simtypes.Account) json.RawMessage {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(state, &raw); err != nil {
		panic(err)
	}
	var bg banktypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(raw[banktypes.ModuleName], &bg)
	reserve := sdk.NewCoin(app.LocalnetReserveDenom, simReserve)
	for _, acc := range accs {
		addr := acc.Address.String()
		found := false
		for i := range bg.Balances {
			if bg.Balances[i].Address == addr {
				bg.Balances[i].Coins = bg.Balances[i].Coins.Add(reserve)
				found = true
				break
			}
		}
		if !found {
			bg.Balances = append(bg.Balances, banktypes.Balance{Address: addr, Coins: sdk.NewCoins(reserve)})
		}
	}
	if !bg.Supply.Empty() {
		bg.Supply = bg.Supply.Add(sdk.NewCoin(app.LocalnetReserveDenom, simReserve.MulRaw(int64(len(accs)))))
	}
	bg.DenomMetadata = append(app.DenomMetadata(),
		app.NewDenomMetadata(app.LocalnetReserveDenom, "usdc", "USDC", "USDC", "simulated reserve asset"))
	raw[banktypes.ModuleName] = a.AppCodec().MustMarshalJSON(&bg)
	out, err := json.Marshal(raw)
	if err != nil {
		panic(err)
	}
	return out
}

// keepValidators stretches the slashing window past any run's length. With
// the SDK's random one (as short as a few blocks) and its random validator
// downtime, some seeds jail every validator and the simulator stops early;
// infrafi's localnet uses the same long window.
func keepValidators(a *app.App, state json.RawMessage) json.RawMessage {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(state, &raw); err != nil {
		panic(err)
	}
	var sg slashingtypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(raw[slashingtypes.ModuleName], &sg)
	sg.Params.SignedBlocksWindow = 10_000
	raw[slashingtypes.ModuleName] = a.AppCodec().MustMarshalJSON(&sg)
	out, err := json.Marshal(raw)
	if err != nil {
		panic(err)
	}
	return out
}

// evidenceFraction is the share of blocks the SDK simulator gives double-sign
// evidence against a random validator (about f/(1-f) validators tombstoned
// per block). It is the seed's first random draws (simulation.RandomParams),
// so it does not depend on the modules' operations. Seeds above ~0.1 jail the
// whole validator set within a few hundred blocks and the simulator stops;
// the seeds in the Makefile are below 0.1.
func evidenceFraction(seed int64) float64 {
	return simulation.RandomParams(rand.New(rand.NewSource(seed))).EvidenceFraction()
}

// runSim runs one seed as a subtest and returns the app hashes it recorded.
// post runs on the final app (before it is closed). A run that stops early
// (the SDK's simulator skips when no validator is left) fails: every seed must
// run all its blocks.
func runSim(t *testing.T, name string, seed int64, post func(testing.TB, simsx.TestInstance[*app.App], time.Time)) ([]heightHash, bool) {
	rec := &recorder{}
	completed := false
	passed := t.Run(name, func(t *testing.T) {
		simsx.RunWithSeedAndRandAcc(t, simConfig(t), rec.factory, stateFactory, seed, nil, simAccounts,
			func(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
				// The last block's transactions ran after its EndBlock check.
				ctx := ti.App.NewContextLegacy(true, cmtproto.Header{Height: ti.App.LastBlockHeight(), Time: rec.lastTime})
				require.NoError(tb, ti.App.CheckInvariants(ctx))
				types := slices.Sorted(maps.Keys(rec.executed))
				summary := make([]string, len(types))
				for i, typ := range types {
					summary[i] = fmt.Sprintf("%s %d", typ, rec.executed[typ])
				}
				fmt.Printf("authority messages executed as x/gov: %s\n", strings.Join(summary, ", "))
				if post != nil {
					post(tb, ti, rec.lastTime)
				}
				completed = true
			})
	})
	switch {
	case !passed:
		t.Errorf("%s failed after %d blocks (replay: -SimSeeds=%d)", name, len(rec.hashes), seed)
	case !completed:
		t.Errorf("%s stopped after %d blocks: the SDK simulator ran out of validators; its double-sign "+
			"evidence, drawn at fraction %.3f for this seed, tombstones them (see evidenceFraction)",
			name, len(rec.hashes), evidenceFraction(seed))
	}
	return rec.hashes, passed && completed
}

// TestAppSimulation runs the full app with every module's random operations
// (valid and invalid inputs) for each seed, checks every invariant after every
// block, then exports the final state, imports it into a fresh app and
// requires every store to be equal.
func TestAppSimulation(t *testing.T) {
	for _, seed := range seeds(t) {
		runSim(t, fmt.Sprintf("seed=%d", seed), seed, requireImportExportEqual)
	}
}

// TestAppStateDeterminism runs the first seed twice: the app hash must be the
// same at every height.
func TestAppStateDeterminism(t *testing.T) {
	seed := seeds(t)[0]
	first, ok1 := runSim(t, fmt.Sprintf("seed=%d/run=1", seed), seed, nil)
	second, ok2 := runSim(t, fmt.Sprintf("seed=%d/run=2", seed), seed, nil)
	require.True(t, ok1 && ok2, "both runs must complete")
	require.NotEmpty(t, first)
	require.Equal(t, len(first), len(second), "runs of seed %d made a different number of blocks", seed)
	for i := range first {
		require.Equal(t, first[i].Height, second[i].Height)
		require.Equal(t, first[i].Hash, second[i].Hash, "seed %d: app hash differs at height %d", seed, first[i].Height)
	}
}

// skippedPrefixes are store prefixes an import does not rebuild byte for byte:
// the SDK modules' queues and per-height bookkeeping (as in the SDK's simapp).
func skippedPrefixes() map[string][][]byte {
	return map[string][][]byte{
		stakingtypes.StoreKey: {
			stakingtypes.UnbondingQueueKey, stakingtypes.RedelegationQueueKey, stakingtypes.ValidatorQueueKey,
			stakingtypes.HistoricalInfoKey, stakingtypes.UnbondingIDKey, stakingtypes.UnbondingIndexKey,
			stakingtypes.UnbondingTypeKey, stakingtypes.ValidatorUpdatesKey,
		},
		slashingtypes.StoreKey: {slashingtypes.ValidatorMissedBlockBitmapKeyPrefix},
		// Feeds with posts not yet aggregated: on a chain, EndBlock empties the
		// set after the block's txs; the simulator delivers txs after EndBlock,
		// so the last block's posts leave marks an import does not recreate.
		oracletypes.StoreKey: {oracletypes.PendingFeedsKey.Bytes()},
		authzkeeper.StoreKey: {authzkeeper.GrantQueuePrefix},
		feegrant.StoreKey:    {feegrant.FeeAllowanceQueueKeyPrefix},
	}
}

// requireImportExportEqual exports the simulated chain, starts a fresh app
// from the export and compares every module store key by key.
func requireImportExportEqual(tb testing.TB, ti simsx.TestInstance[*app.App], blockTime time.Time) {
	a := ti.App
	exported, err := a.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(tb, err)

	b := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true,
		simtestutil.NewAppOptionsWithFlagHome(tb.TempDir()), baseapp.SetChainID(simsx.SimAppChainID))
	var genesis map[string]json.RawMessage
	require.NoError(tb, json.Unmarshal(exported.AppState, &genesis))

	header := cmtproto.Header{Height: a.LastBlockHeight(), ChainID: simsx.SimAppChainID, Time: blockTime}
	ctxA := a.NewContextLegacy(true, header)
	ctxB := b.NewContextLegacy(true, header)
	_, err = b.ModuleManager.InitGenesis(ctxB, b.AppCodec(), genesis)
	require.NoError(tb, err)
	require.NoError(tb, b.StoreConsensusParams(ctxB, exported.ConsensusParams))

	skip := skippedPrefixes()
	decoders := a.SimulationManager().StoreDecoders
	compared := 0
	for _, name := range storeNames(a) {
		keyA, keyB := a.GetKey(name), b.GetKey(name)
		storeA, storeB := ctxA.KVStore(keyA), ctxB.KVStore(keyB)
		onlyA, onlyB := simtestutil.DiffKVStores(storeA, storeB, skip[name])
		if len(onlyA) != len(onlyB) {
			tb.Fatalf("store %s differs after import/export: exported chain %d records, imported %d:\n%v\n%v",
				name, len(onlyA), len(onlyB), onlyA, onlyB)
		}
		require.Empty(tb, onlyA, "store %s differs after import/export:\n%s", name,
			simtestutil.GetSimulationLog(name, decoders, onlyA, onlyB))
		compared++
	}
	tb.Logf("import/export: %d stores equal at height %d", compared, a.LastBlockHeight())
}

// storeNames are the app's KV store names, sorted, without the upgrade
// store (its done-markers are not exported) and the consensus params (stored
// above from the export, not from module genesis).
func storeNames(a *app.App) []string {
	var names []string
	for _, name := range a.StoreNames() {
		if name != upgradetypes.StoreKey && name != consensustypes.StoreKey {
			names = append(names, name)
		}
	}
	return names
}
