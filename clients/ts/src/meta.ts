// Shapes of the tables in generated/index.ts, which scripts/gen-index.mjs
// reads from the protos' options.

/** One protobuf field as the amino converters and the validation walk see it. */
export interface FieldMeta {
  /** Protobuf field name (snake_case), the amino JSON key unless aminoName is set. */
  readonly name: string;
  /** JSON name, which is also the ts-proto property name. */
  readonly json: string;
  readonly repeated: boolean;
  readonly kind:
    | "string"
    | "bool"
    | "bytes"
    | "int32"
    | "uint32"
    | "int64"
    | "uint64"
    | "double"
    | "float"
    | "enum"
    | "message";
  /** Full protobuf name of a message field's type. */
  readonly type?: string;
  /** (amino.dont_omitempty): written even when empty. */
  readonly dontOmitEmpty?: boolean;
  /** (amino.field_name). */
  readonly aminoName?: string;
  /** (amino.encoding). */
  readonly encoding?: string;
  /** (cosmos_proto.scalar): cosmos.Dec, cosmos.Int or cosmos.AddressString. */
  readonly scalar?: string;
}

/** A ts-proto generated message type, as CosmJS's Registry uses it. */
export interface ProtoType<T = any> {
  encode(message: T, writer?: any): { finish(): Uint8Array };
  decode(input: Uint8Array, length?: number): T;
  fromPartial(object: any): T;
  fromJSON(object: any): T;
  toJSON(message: T): unknown;
}

/** One infrafi Msg. */
export interface MsgEntry {
  readonly module: string;
  readonly name: string;
  readonly typeUrl: string;
  readonly aminoType: string;
  /** The field holding the signer's address, from (cosmos.msg.v1.signer). */
  readonly signer: string;
  readonly type: ProtoType;
}

/** One REST query: the gRPC-gateway path template and its request and response types. */
export interface QueryEntry {
  readonly path: string;
  readonly request: ProtoType;
  readonly response: ProtoType;
}
