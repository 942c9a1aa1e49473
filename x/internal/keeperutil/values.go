package keeperutil

import (
	collcodec "cosmossdk.io/collections/codec"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
)

// protoMarshaler is a gogoproto message type with its generated Marshal.
type protoMarshaler[T any] interface {
	*T
	proto.Message
	Marshal() ([]byte, error)
}

// CollValue is codec.CollValue with a cheaper Encode. The SDK codec's
// Marshal sizes a message twice before marshaling it (gogoproto.Size to
// catch an empty message, then proto.Marshal's own size), and gogoproto
// sizes an Int or Dec field by encoding it to decimal text, so a record with
// a dozen amounts (a loan) encoded each of them four times to store it once.
// Encode calls the generated Marshal, which sizes once: the same bytes
// (an empty message is an empty, non-nil slice either way). Decode, JSON and
// the rest are codec.CollValue's.
func CollValue[T any, PT protoMarshaler[T]](cdc codec.BinaryCodec) collcodec.ValueCodec[T] {
	return collValue[T, PT]{codec.CollValue[T, PT](cdc)}
}

type collValue[T any, PT protoMarshaler[T]] struct {
	collcodec.ValueCodec[T]
}

func (collValue[T, PT]) Encode(value T) ([]byte, error) {
	return PT(&value).Marshal()
}
