package keeperutil

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/jsonpb"
	"github.com/cosmos/gogoproto/proto"
	protov2 "google.golang.org/protobuf/proto"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// TypedEvent returns exactly what sdk.TypedEventToEvent(msg) returns, without
// its cost: the SDK renders the message with reflection-driven jsonpb, parses
// that JSON back into a map and sorts its keys, on every event. Here each Go
// type gets an encoding plan once (field names, kinds, enums, nested messages),
// and each attribute value is appended to one buffer by that plan, following
// jsonpb's rules (OrigName, EmitDefaults) byte for byte. A type whose fields the
// plan does not cover, and any value it cannot render the same way (a time
// outside 0001–9999, an odd enum String), goes through sdk.TypedEventToEvent,
// so the result is always the SDK's, errors included.
func TypedEvent(msg proto.Message) (sdk.Event, error) {
	p := planOf(msg)
	if p.fallback != "" {
		return sdk.TypedEventToEvent(msg)
	}
	v := reflect.ValueOf(msg)
	if v.IsNil() {
		return sdk.TypedEventToEvent(msg)
	}
	v = v.Elem()

	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	var endsArr [32]int
	ends := endsArr[:0]
	for _, f := range p.fields {
		var ok bool
		if b, ok = f.enc(b, v.Field(f.index)); !ok {
			putBuf(bp, b)
			return sdk.TypedEventToEvent(msg)
		}
		ends = append(ends, len(b))
	}
	s := string(b)
	putBuf(bp, b)

	attrs := make([]abci.EventAttribute, len(p.fields))
	start := 0
	for i, f := range p.fields {
		attrs[i] = abci.EventAttribute{Key: f.key, Value: s[start:ends[i]]}
		start = ends[i]
	}
	return sdk.Event{Type: p.name, Attributes: attrs}, nil
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func putBuf(bp *[]byte, b []byte) {
	if cap(b) <= 64<<10 {
		*bp = b
		bufPool.Put(bp)
	}
}

// encoder appends the JSON jsonpb writes for v; false means v is rendered
// differently or not at all by jsonpb, and the caller must ask the SDK.
type encoder func(b []byte, v reflect.Value) ([]byte, bool)

// eventPlan is the cached plan of one event type: its attributes sorted by key,
// as TypedEventToEvent sorts them, or why the type is left to the SDK.
type eventPlan struct {
	name     string
	fields   []field
	fallback string
}

type field struct {
	key    string
	prefix string // `"key":`, led by a comma after the first field
	index  int
	enc    encoder
}

// plans maps reflect.Type to *eventPlan. A plan depends on the Go type alone,
// so the cache is not state: output is the same with or without it.
var plans sync.Map

func planOf(msg proto.Message) *eventPlan {
	t := reflect.TypeOf(msg)
	if p, ok := plans.Load(t); ok {
		return p.(*eventPlan)
	}
	p := newEventPlan(msg, t)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*eventPlan)
}

func newEventPlan(msg proto.Message, t reflect.Type) *eventPlan {
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return &eventPlan{fallback: fmt.Sprintf("%v is not a pointer to a struct", t)}
	}
	if _, ok := msg.(protov2.Message); ok {
		return &eventPlan{fallback: fmt.Sprintf("%v is rendered by protojson", t)}
	}
	if _, ok := msg.(codectypes.UnpackInterfacesMessage); ok {
		return &eventPlan{fallback: fmt.Sprintf("%v unpacks interfaces", t)}
	}
	pb := &planBuilder{messages: map[reflect.Type]*messagePlan{}}
	mp, err := pb.message(t.Elem())
	if err != nil {
		return &eventPlan{fallback: err.Error()}
	}
	fields := append([]field(nil), mp.fields...)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].key < fields[j].key })
	for i := 1; i < len(fields); i++ {
		if fields[i].key == fields[i-1].key {
			return &eventPlan{fallback: fmt.Sprintf("%v has two fields named %q", t, fields[i].key)}
		}
	}
	return &eventPlan{name: proto.MessageName(msg), fields: fields}
}

// messagePlan writes one message as a JSON object, its fields in Go order.
type messagePlan struct {
	fields []field
}

func (p *messagePlan) encode(b []byte, v reflect.Value) ([]byte, bool) {
	b = append(b, '{')
	for _, f := range p.fields {
		b = append(b, f.prefix...)
		var ok bool
		if b, ok = f.enc(b, v.Field(f.index)); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

type planBuilder struct {
	messages map[reflect.Type]*messagePlan // built or being built (recursive types)
}

var (
	mathInt         = reflect.TypeOf(math.Int{})
	mathDec         = reflect.TypeOf(math.LegacyDec{})
	timeType        = reflect.TypeOf(time.Time{})
	durationType    = reflect.TypeOf(time.Duration(0))
	byteType        = reflect.TypeOf(byte(0))
	protoMessage    = reflect.TypeOf((*proto.Message)(nil)).Elem()
	jsonpbMarshaler = reflect.TypeOf((*jsonpb.JSONPBMarshaler)(nil)).Elem()
	jsonMarshaler   = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	textMarshaler   = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	stringer        = reflect.TypeOf((*fmt.Stringer)(nil)).Elem()
	wellKnown       = reflect.TypeOf((*interface{ XXX_WellKnownType() string })(nil)).Elem()
	unpacker        = reflect.TypeOf((*codectypes.UnpackInterfacesMessage)(nil)).Elem()
)

// implements reports whether t or *t has iface's methods.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

// message plans a message the way jsonpb's marshalObject walks it.
func (pb *planBuilder) message(t reflect.Type) (*messagePlan, error) {
	if mp, ok := pb.messages[t]; ok {
		return mp, nil
	}
	pt := reflect.PointerTo(t)
	switch {
	case !pt.Implements(protoMessage):
		return nil, fmt.Errorf("%v is not a proto message", t)
	case implements(t, jsonpbMarshaler):
		return nil, fmt.Errorf("%v has its own jsonpb encoding", t)
	case implements(t, wellKnown):
		return nil, fmt.Errorf("%v is a well-known type", t)
	case implements(t, unpacker):
		return nil, fmt.Errorf("%v unpacks interfaces", t)
	case len(proto.RegisteredExtensions(reflect.New(t).Interface().(proto.Message))) > 0:
		return nil, fmt.Errorf("%v has extensions", t)
	}
	mp := &messagePlan{}
	pb.messages[t] = mp
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if strings.HasPrefix(sf.Name, "XXX_") {
			continue
		}
		tag := sf.Tag.Get("protobuf")
		if sf.Tag.Get("protobuf_oneof") != "" {
			return nil, fmt.Errorf("%v.%s is a oneof", t, sf.Name)
		}
		if tag == "" {
			continue
		}
		if !sf.IsExported() {
			return nil, fmt.Errorf("%v.%s is not exported", t, sf.Name)
		}
		var prop proto.Properties
		prop.Init(sf.Type, sf.Name, tag, &sf)
		if prop.Required {
			return nil, fmt.Errorf("%v.%s is required", t, sf.Name)
		}
		enc, err := pb.value(sf.Type, &prop)
		if err != nil {
			return nil, fmt.Errorf("%v.%s: %w", t, sf.Name, err)
		}
		prefix := `"` + prop.OrigName + `":`
		if len(mp.fields) > 0 {
			prefix = "," + prefix
		}
		mp.fields = append(mp.fields, field{key: prop.OrigName, prefix: prefix, index: i, enc: enc})
	}
	return mp, nil
}

// value plans one field value in the order of jsonpb's marshalValue checks.
func (pb *planBuilder) value(t reflect.Type, prop *proto.Properties) (encoder, error) {
	switch {
	case t.Kind() == reflect.Pointer:
		if t.Elem().Kind() == reflect.Pointer {
			return nil, errors.New("pointer to pointer")
		}
		elem, err := pb.value(t.Elem(), prop)
		if err != nil {
			return nil, err
		}
		return func(b []byte, v reflect.Value) ([]byte, bool) {
			if v.IsNil() {
				return append(b, "null"...), true
			}
			return elem(b, v.Elem())
		}, nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		if t.Elem().Kind() == reflect.Slice && t.Elem().Elem() != byteType {
			return nil, errors.New("nested repeated")
		}
		elem, err := pb.value(t.Elem(), prop)
		if err != nil {
			return nil, err
		}
		return func(b []byte, v reflect.Value) ([]byte, bool) {
			b = append(b, '[')
			for i := 0; i < v.Len(); i++ {
				if i > 0 {
					b = append(b, ',')
				}
				var ok bool
				if b, ok = elem(b, v.Index(i)); !ok {
					return b, false
				}
			}
			return append(b, ']'), true
		}, nil
	case implements(t, wellKnown):
		return nil, fmt.Errorf("well-known type %v", t)
	case t == timeType:
		return encodeTime, nil
	case t == durationType:
		return encodeDuration, nil
	case prop.Enum != "":
		return enumEncoder(t, prop.Enum)
	case t == mathInt:
		return encodeInt, nil
	case t == mathDec:
		return encodeDec, nil
	case t.Kind() == reflect.Struct:
		if t.Implements(jsonMarshaler) {
			return nil, fmt.Errorf("custom type %v", t)
		}
		mp, err := pb.message(t)
		if err != nil {
			return nil, err
		}
		return mp.encode, nil
	}
	if implements(t, jsonMarshaler) || implements(t, textMarshaler) {
		return nil, fmt.Errorf("%v has its own JSON encoding", t)
	}
	switch t.Kind() {
	case reflect.Bool:
		return encodeBool, nil
	case reflect.String:
		return encodeString, nil
	case reflect.Int32:
		return encodeInt32, nil
	case reflect.Uint32:
		return encodeUint32, nil
	case reflect.Int64:
		return encodeInt64, nil
	case reflect.Uint64:
		return encodeUint64, nil
	case reflect.Slice:
		if t.Elem() == byteType {
			return encodeBytes, nil
		}
	}
	return nil, fmt.Errorf("unsupported %v", t)
}

func encodeBool(b []byte, v reflect.Value) ([]byte, bool) {
	return strconv.AppendBool(b, v.Bool()), true
}

func encodeInt32(b []byte, v reflect.Value) ([]byte, bool) {
	return strconv.AppendInt(b, v.Int(), 10), true
}

func encodeUint32(b []byte, v reflect.Value) ([]byte, bool) {
	return strconv.AppendUint(b, v.Uint(), 10), true
}

// 64-bit integers are JSON strings in proto3 JSON.
func encodeInt64(b []byte, v reflect.Value) ([]byte, bool) {
	b = append(b, '"')
	b = strconv.AppendInt(b, v.Int(), 10)
	return append(b, '"'), true
}

func encodeUint64(b []byte, v reflect.Value) ([]byte, bool) {
	b = append(b, '"')
	b = strconv.AppendUint(b, v.Uint(), 10)
	return append(b, '"'), true
}

// encodeBytes writes what encoding/json does: base64, and null for nil.
func encodeBytes(b []byte, v reflect.Value) ([]byte, bool) {
	if v.IsNil() {
		return append(b, "null"...), true
	}
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v.Bytes())
	return append(b, '"'), true
}

func encodeString(b []byte, v reflect.Value) ([]byte, bool) {
	return appendString(b, v.String()), true
}

// appendString writes s as json.Marshal does. Strings that need escaping
// (quotes, controls, <>&, invalid UTF-8, U+2028/9) are rare in events and are
// left to encoding/json itself, so its exact escaping rules apply.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshaled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			return appendMarshaled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshaled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// enumEncoder writes a known value as its quoted name and an unknown one as
// its number, as jsonpb does by comparing String() with the number.
func enumEncoder(t reflect.Type, enum string) (encoder, error) {
	switch {
	case t.Kind() != reflect.Int32:
		return nil, fmt.Errorf("enum %v is not an int32", t)
	case !t.Implements(stringer):
		return nil, fmt.Errorf("enum %v has no String", t)
	case implements(t, jsonMarshaler):
		return nil, fmt.Errorf("enum %v has its own JSON encoding", t)
	}
	var names []string // quoted names of known values, by value
	for _, n := range proto.EnumValueMap(enum) {
		if n < 0 || n >= 1024 {
			continue
		}
		if int(n) >= len(names) {
			names = append(names, make([]string, int(n)+1-len(names))...)
		}
		e := reflect.New(t).Elem()
		e.SetInt(int64(n))
		q, ok := enumName(e)
		if !ok {
			return nil, fmt.Errorf("enum %v value %d has an odd name", t, n)
		}
		names[n] = q
	}
	return func(b []byte, v reflect.Value) ([]byte, bool) {
		if n := v.Int(); n >= 0 && n < int64(len(names)) && names[n] != "" {
			return append(b, names[n]...), true
		}
		q, ok := enumName(v)
		return append(b, q...), ok
	}, nil
}

// enumName is what jsonpb writes for the enum value v: its quoted String(),
// or its number when String() gives the number. ok is false for a name that
// jsonpb would write unescaped and unchecked.
func enumName(v reflect.Value) (string, bool) {
	name := v.Interface().(fmt.Stringer).String()
	if num := strconv.Itoa(int(v.Int())); name == num {
		return num, true
	}
	if name == "" {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return "", false
		}
	}
	return `"` + name + `"`, true
}

// The range of github.com/cosmos/gogoproto/types.TimestampProto.
const (
	minTimestamp = -62135596800 // 0001-01-01T00:00:00Z
	maxTimestamp = 253402300800 // 10000-01-01T00:00:00Z
)

// encodeTime writes RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits.
func encodeTime(b []byte, v reflect.Value) ([]byte, bool) {
	t := *v.Addr().Interface().(*time.Time)
	if s := t.Unix(); s < minTimestamp || s >= maxTimestamp {
		return b, false
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000000")
	b = trimFraction(b)
	return append(b, 'Z', '"'), true
}

// encodeDuration writes seconds with 0, 3, 6 or 9 fractional digits and "s".
func encodeDuration(b []byte, v reflect.Value) ([]byte, bool) {
	d := time.Duration(v.Int())
	secs := int64(d / time.Second)
	nanos := int64(d - time.Duration(secs)*time.Second)
	b = append(b, '"')
	if nanos < 0 {
		nanos = -nanos
		if secs == 0 {
			b = append(b, '-')
		}
	}
	b = strconv.AppendInt(b, secs, 10)
	b = append(b, '.')
	b = appendPadded(b, uint64(nanos), 9)
	b = trimFraction(b)
	return append(b, 's', '"'), true
}

// trimFraction drops trailing zero groups of a 9-digit fraction as jsonpb does.
func trimFraction(b []byte) []byte {
	for range 2 {
		if n := len(b); string(b[n-3:]) == "000" {
			b = b[:n-3]
		}
	}
	if n := len(b); string(b[n-4:]) == ".000" {
		b = b[:n-4]
	}
	return b
}

// encodeInt writes math.Int's MarshalJSON: the quoted integer, "0" when nil.
func encodeInt(b []byte, v reflect.Value) ([]byte, bool) {
	x := v.Addr().Interface().(*math.Int)
	if x.IsNil() {
		return append(b, `"0"`...), true
	}
	bi := x.BigIntMut()
	b = append(b, '"')
	if bi.Sign() < 0 {
		b = append(b, '-')
	}
	b = appendAbs(b, bi)
	return append(b, '"'), true
}

// encodeDec writes math.LegacyDec's MarshalJSON: the quoted String() with 18
// decimals, "0" when nil.
func encodeDec(b []byte, v reflect.Value) ([]byte, bool) {
	d := v.Addr().Interface().(*math.LegacyDec)
	if d.IsNil() {
		return append(b, `"0"`...), true
	}
	bi := d.BigIntMut()
	b = append(b, '"')
	if bi.Sign() < 0 {
		b = append(b, '-')
	}
	start := len(b)
	b = appendAbs(b, bi)
	n := len(b) - start
	if n <= math.LegacyPrecision {
		// 0.<zeros><digits>
		shift := 2 + math.LegacyPrecision - n
		b = append(b, zeros[:shift]...)
		copy(b[start+shift:], b[start:start+n])
		b[start+1] = '.'
		for i := start + 2; i < start+shift; i++ {
			b[i] = '0'
		}
		b[start] = '0'
	} else {
		dot := start + n - math.LegacyPrecision
		b = append(b, 0)
		copy(b[dot+1:], b[dot:])
		b[dot] = '.'
	}
	return append(b, '"'), true
}

const zeros = "00000000000000000000"

// appendAbs appends |x| in decimal. Below 10^19·2^64 (amounts up to 38
// digits) it does not allocate, unlike big.Int.Append.
func appendAbs(b []byte, x *big.Int) []byte {
	w := x.Bits()
	if bits.UintSize == 64 {
		switch len(w) {
		case 0:
			return append(b, '0')
		case 1:
			return strconv.AppendUint(b, uint64(w[0]), 10)
		case 2:
			if hi := uint64(w[1]); hi < 1e19 {
				q, r := bits.Div64(hi, uint64(w[0]), 1e19)
				b = strconv.AppendUint(b, q, 10)
				return appendPadded(b, r, 19)
			}
		}
	}
	start := len(b)
	b = x.Append(b, 10)
	if b[start] == '-' {
		b = append(b[:start], b[start+1:]...)
	}
	return b
}

// appendPadded appends n in decimal, left-padded with zeros to width digits.
func appendPadded(b []byte, n uint64, width int) []byte {
	var buf [20]byte
	d := strconv.AppendUint(buf[:0], n, 10)
	if len(d) < width {
		b = append(b, zeros[:width-len(d)]...)
	}
	return append(b, d...)
}
