package simulation

import (
	"fmt"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"

	"github.com/infrafi/infrafi/x/lending/types"
)

var (
	timeQueueKey = collections.PairKeyCodec(sdk.TimeKey, collections.Uint64Key)
	exposureKey  = collections.PairKeyCodec(collections.StringKey, collections.StringKey)
)

// decodeKey renders the part of a store key after its one-byte collection prefix.
func decodeKey[K any](kc collcodec.KeyCodec[K], key []byte) string {
	_, k, err := kc.Decode(key[1:])
	if err != nil {
		panic(fmt.Sprintf("x/%s: undecodable key %X: %s", types.ModuleName, key, err))
	}
	return kc.Stringify(k)
}

// decodeValue renders a collections value.
func decodeValue[V any](vc collcodec.ValueCodec[V], bz []byte) string {
	v, err := vc.Decode(bz)
	if err != nil {
		panic(fmt.Sprintf("x/%s: undecodable value %X: %s", types.ModuleName, bz, err))
	}
	if s, ok := any(&v).(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%v", v)
}

// pair renders a record of kvA and kvB: its collection, key and both values.
func pair[V any](name, key string, vc collcodec.ValueCodec[V], kvA, kvB kv.Pair) string {
	return fmt.Sprintf("%s %s\n%s\n%s", name, key, decodeValue(vc, kvA.Value), decodeValue(vc, kvB.Value))
}

// keyOnly renders a key-set entry (its key is the record).
func keyOnly(name, keyA, keyB string) string {
	return fmt.Sprintf("%s\n%s\n%s", name, keyA, keyB)
}

// NewDecodeStore returns a decoder of x/lending's store records for the
// simulation's import/export comparison: it names the collection of a record
// and renders both sides' key and value. It panics on an unknown prefix.
func NewDecodeStore(cdc codec.Codec) func(kvA, kvB kv.Pair) string {
	params := codec.CollValue[types.Params](cdc)
	product := codec.CollValue[types.Product](cdc)
	loan := codec.CollValue[types.Loan](cdc)
	auction := codec.CollValue[types.Auction](cdc)
	revaluation := codec.CollValue[types.Revaluation](cdc)
	return func(kvA, kvB kv.Pair) string {
		if len(kvA.Key) == 0 {
			panic(fmt.Sprintf("x/%s: empty store key", types.ModuleName))
		}
		switch kvA.Key[0] {
		case types.ParamsKey.Bytes()[0]:
			return pair("params", "", params, kvA, kvB)
		case types.ProductsKey.Bytes()[0]:
			return pair("product", decodeKey(collections.StringKey, kvA.Key), product, kvA, kvB)
		case types.LoansKey.Bytes()[0]:
			return pair("loan", decodeKey(collections.Uint64Key, kvA.Key), loan, kvA, kvB)
		case types.LoansByBorrowerKey.Bytes()[0]:
			kc := collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key)
			return keyOnly("loans_by_borrower (borrower, loan)", decodeKey(kc, kvA.Key), decodeKey(kc, kvB.Key))
		case types.LoansByStatusKey.Bytes()[0]:
			kc := collections.PairKeyCodec(collections.Int32Key, collections.Uint64Key)
			return keyOnly("loans_by_status (status, loan)", decodeKey(kc, kvA.Key), decodeKey(kc, kvB.Key))
		case types.LoansByCuratorKey.Bytes()[0]:
			kc := collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)
			return keyOnly("loans_by_curator (curator, loan)", decodeKey(kc, kvA.Key), decodeKey(kc, kvB.Key))
		case types.NextLoanIDKey.Bytes()[0]:
			return pair("next_loan_id", "", collections.Uint64Value, kvA, kvB)
		case types.DueQueueKey.Bytes()[0]:
			return keyOnly("due_queue (next due, loan)", decodeKey(timeQueueKey, kvA.Key), decodeKey(timeQueueKey, kvB.Key))
		case types.PendingQueueKey.Bytes()[0]:
			return keyOnly("pending_queue (expires, loan)", decodeKey(timeQueueKey, kvA.Key), decodeKey(timeQueueKey, kvB.Key))
		case types.DeadlineQueueKey.Bytes()[0]:
			return keyOnly("deadline_queue (deadline, loan)", decodeKey(timeQueueKey, kvA.Key), decodeKey(timeQueueKey, kvB.Key))
		case types.ExposuresKey.Bytes()[0]:
			return pair("exposure (kind, key)", decodeKey(exposureKey, kvA.Key), sdk.IntValue, kvA, kvB)
		case types.TotalsKey.Bytes()[0]:
			return pair("total", decodeKey(collections.StringKey, kvA.Key), sdk.IntValue, kvA, kvB)
		case types.StatusCountsKey.Bytes()[0]:
			return pair("status_count", decodeKey(collections.Int32Key, kvA.Key), collections.Uint64Value, kvA, kvB)
		case types.ClassLoansKey.Bytes()[0]:
			kc := collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)
			return keyOnly("class_loans (class, loan)", decodeKey(kc, kvA.Key), decodeKey(kc, kvB.Key))
		case types.ImpairedKey.Bytes()[0]:
			return keyOnly("impaired (loan)", decodeKey(collections.Uint64Key, kvA.Key), decodeKey(collections.Uint64Key, kvB.Key))
		case types.AuctionsKey.Bytes()[0]:
			return pair("auction", decodeKey(collections.Uint64Key, kvA.Key), auction, kvA, kvB)
		case types.AuctionsByStatusKey.Bytes()[0]:
			kc := collections.PairKeyCodec(collections.Int32Key, collections.Uint64Key)
			return keyOnly("auctions_by_status (status, auction)", decodeKey(kc, kvA.Key), decodeKey(kc, kvB.Key))
		case types.RevaluationsKey.Bytes()[0]:
			return pair("revaluation", decodeKey(collections.StringKey, kvA.Key), revaluation, kvA, kvB)
		default:
			panic(fmt.Sprintf("x/%s: unexpected store key prefix %X", types.ModuleName, kvA.Key[:1]))
		}
	}
}
