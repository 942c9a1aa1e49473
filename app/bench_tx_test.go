package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"

	"github.com/infrafi/infrafi/testutil"
)

const (
	// txsPerBlock is the block size of the transaction benchmarks. The
	// lending fixture has as many loans, so each loan takes one payment a block.
	txsPerBlock  = 100
	benchGasWant = 2_000_000
)

// benchSigner signs transactions for one account, counting its sequence
// itself so a block can carry several of its transactions.
type benchSigner struct {
	acc    testutil.Account
	number uint64
	seq    uint64
}

func newBenchSigners(tb testing.TB, fx *testutil.App, accs []testutil.Account) []*benchSigner {
	out := make([]*benchSigner, len(accs))
	for i, a := range accs {
		acc := fx.AccountKeeper.GetAccount(fx.Ctx(), a.Address)
		require.NotNil(tb, acc)
		out[i] = &benchSigner{acc: a, number: acc.GetAccountNumber(), seq: acc.GetSequence()}
	}
	return out
}

// sign encodes msgs as a transaction signed by s at its next sequence
// (SIGN_MODE_DIRECT, no fee, no memo, so every benchmark's tx has the same shape).
func (s *benchSigner) sign(tb testing.TB, txCfg client.TxConfig, msgs ...sdk.Msg) []byte {
	mode, err := authsigning.APISignModeToInternal(txCfg.SignModeHandler().DefaultMode())
	require.NoError(tb, err)
	builder := txCfg.NewTxBuilder()
	require.NoError(tb, builder.SetMsgs(msgs...))
	builder.SetGasLimit(benchGasWant)
	pub := s.acc.Priv.PubKey()
	data := &signing.SingleSignatureData{SignMode: mode}
	sig := signing.SignatureV2{PubKey: pub, Data: data, Sequence: s.seq}
	require.NoError(tb, builder.SetSignatures(sig))
	signerData := authsigning.SignerData{
		Address: s.acc.Address.String(), ChainID: testutil.ChainID, AccountNumber: s.number, Sequence: s.seq, PubKey: pub,
	}
	bz, err := authsigning.GetSignBytesAdapter(context.Background(), txCfg.SignModeHandler(), mode, signerData, builder.GetTx())
	require.NoError(tb, err)
	data.Signature, err = s.acc.Priv.Sign(bz)
	require.NoError(tb, err)
	require.NoError(tb, builder.SetSignatures(sig))
	tx, err := txCfg.TxEncoder()(builder.GetTx())
	require.NoError(tb, err)
	s.seq++
	return tx
}

// txBench is one message type: msg builds the i-th transaction's message
// (from state as of the last committed block) and names its signer.
type txBench struct {
	name string
	msg  func(i int, signer *benchSigner) sdk.Msg
	// event is a typed event every tx must emit (proof the message did its work).
	event string
	// prepare, when set, writes and commits (untimed) what the next n
	// transactions consume.
	prepare func(n int)
}

// deliverBlock signs n transactions of bench, numbered from first, and commits
// them in one block a second after the last; it returns the time of
// FinalizeBlock + Commit, which alone runs on timer's clock when timer is
// not nil. Every transaction must succeed and emit bench.event.
func deliverBlock(tb testing.TB, timer *testing.B, clock func() time.Duration, bk *benchBook, signers []*benchSigner, bench txBench, first, n int) time.Duration {
	if bench.prepare != nil {
		bench.prepare(n)
	}
	txCfg := bk.TxConfig()
	txs := make([][]byte, n)
	for j := range txs {
		s := signers[(first+j)%len(signers)]
		txs[j] = s.sign(tb, txCfg, bench.msg(first+j, s))
	}
	if timer != nil {
		timer.StartTimer()
	}
	start := clock()
	res := bk.NextBlock(time.Second, txs...)
	spent := clock() - start
	if timer != nil {
		timer.StopTimer()
	}
	for j, r := range res.TxResults {
		if r.Code != 0 {
			tb.Fatalf("%s: tx %d failed: codespace=%s code=%d log=%s", bench.name, first+j, r.Codespace, r.Code, r.Log)
		}
		if len(testutil.EventsOfType(r, bench.event)) == 0 {
			tb.Fatalf("%s: tx %d emitted no %s", bench.name, first+j, bench.event)
		}
	}
	return spent
}

// txSamples are per-round costs in ns per transaction of each message type,
// and of an empty block ("empty-block", ns per block).
type txSamples map[string][]float64

// interleaveTxs measures on cpuClock one block of each message type per
// round, plus an empty block, so that each round's ratios compare neighbours
// in time; the order rotates from round to round.
func interleaveTxs(b *testing.B, bk *benchBook, signers []*benchSigner, benches []txBench) txSamples {
	const rounds = 30
	samples := txSamples{}
	for r := 0; r < rounds; r++ {
		start := cpuClock()
		bk.NextBlock(time.Second)
		samples["empty-block"] = append(samples["empty-block"], float64((cpuClock() - start).Nanoseconds()))
		// Each round starts one type further on: a block pays for the GC work
		// its predecessor's garbage left, so a fixed order would charge every
		// type its fixed neighbour's.
		for k := range benches {
			bench := benches[(r+k)%len(benches)]
			spent := deliverBlock(b, nil, cpuClock, bk, signers, bench, 0, txsPerBlock)
			samples[bench.name] = append(samples[bench.name], float64(spent.Nanoseconds())/txsPerBlock)
		}
	}
	return samples
}

// logTxTable prints each type's mean cost per transaction (every GC cycle
// counted in the block it landed on) and its median round's (which leaves out
// the rounds a GC cycle or another process inflated: steadier between runs,
// but it charges heavy allocators less than their share of GC).
func logTxTable(benches []txBench, samples txSamples) {
	mean := func(xs []float64) float64 {
		if len(xs) == 0 {
			return 0 // bank-send left out by INFRAFI_BENCH_TX: no ratios
		}
		var sum float64
		for _, x := range xs {
			sum += x
		}
		return sum / float64(len(xs))
	}
	slot := mean(samples["empty-block"]) / txsPerBlock
	send := mean(samples["bank-send"])
	median := func(xs []float64) float64 {
		if len(xs) == 0 {
			return 0
		}
		ys := slices.Sorted(slices.Values(xs))
		return (ys[(len(ys)-1)/2] + ys[len(ys)/2]) / 2
	}
	sendMed := median(samples["bank-send"])
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nper transaction, FinalizeBlock + Commit in blocks of %d txs, %s,\nmean and median of %d interleaved rounds (each round one block of every type)\n",
		txsPerBlock, cpuClockKind, len(samples["bank-send"]))
	fmt.Fprintf(&sb, "(an empty block costs %.0f µs: %.1f µs per tx slot, included in µs/tx, taken out in the last two columns)\n",
		mean(samples["empty-block"])/1e3, slot/1e3)
	fmt.Fprintf(&sb, "%-20s %8s %8s %12s %8s %10s %8s\n", "message", "µs/tx", "x-send", "µs/tx-slot", "x-send", "median µs", "x-send")
	for _, bench := range benches {
		ns, med := mean(samples[bench.name]), median(samples[bench.name])
		if send == 0 {
			fmt.Fprintf(&sb, "%-20s %8.0f %8s %12.0f %8s %10.0f %8s\n", bench.name, ns/1e3, "-", (ns-slot)/1e3, "-", med/1e3, "-")
			continue
		}
		fmt.Fprintf(&sb, "%-20s %8.0f %8.2f %12.0f %8.2f %10.0f %8.2f\n", bench.name, ns/1e3, ns/send, (ns-slot)/1e3, (ns-slot)/(send-slot), med/1e3, med/sendMed)
	}
	fmt.Print(sb.String())
}
