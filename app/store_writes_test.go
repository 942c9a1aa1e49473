package app_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// storeOp is one line of the store tracer's output (cosmossdk.io/store/tracekv).
type storeOp struct {
	Operation string         `json:"operation"`
	Key       string         `json:"key"`
	Value     string         `json:"value"`
	Metadata  map[string]any `json:"metadata"`
}

// An idle block (nothing due) writes no infrafi record with the value it
// already holds. IAVL stores every write as a new leaf and path, equal value
// or not, so such a write costs every block for nothing (x/yield rewrote its
// checkpoint count each block until issue #20's tenth part).
func TestIdleBlockRewritesNoUnchangedRecord(t *testing.T) {
	bk := newBenchBook(t, 10)
	bk.NextBlock(time.Second)

	var trace bytes.Buffer
	bk.SetCommitMultiStoreTracer(&trace)
	bk.NextBlock(time.Second)
	bk.SetCommitMultiStoreTracer(nil)

	before, err := bk.CommitMultiStore().CacheMultiStoreWithVersion(bk.Height() - 1)
	require.NoError(t, err)
	ours := map[string]bool{}
	for _, name := range []string{calibertypes.StoreKey, lendingtypes.StoreKey, oracletypes.StoreKey, stabletypes.StoreKey, yieldtypes.StoreKey} {
		ours[name] = true
	}
	writes, unchanged := 0, map[string]bool{} // the tracer may report a write twice
	lines := bufio.NewScanner(&trace)
	lines.Buffer(make([]byte, 0, 1<<20), 1<<26)
	for lines.Scan() {
		var op storeOp
		require.NoError(t, json.Unmarshal(lines.Bytes(), &op))
		store, _ := op.Metadata["store_name"].(string)
		if op.Operation != "write" || !ours[store] {
			continue
		}
		key, err := base64.StdEncoding.DecodeString(op.Key)
		require.NoError(t, err)
		value, err := base64.StdEncoding.DecodeString(op.Value)
		require.NoError(t, err)
		writes++
		if old := before.GetKVStore(bk.GetKey(store)).Get(key); old != nil && bytes.Equal(old, value) {
			unchanged[fmt.Sprintf("%s key %x", store, key)] = true
		}
	}
	require.NoError(t, lines.Err())
	require.Positive(t, writes, "the trace saw no write to an infrafi store (x/yield accrues every block)")
	require.Empty(t, unchanged, "rewritten with the value they held")
}
