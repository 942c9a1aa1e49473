// Amino JSON converters for every infrafi Msg, driven by the field metadata
// generated from the protos. They reproduce what the chain's x/tx aminojson
// encoder prints for the same message: proto field names, empty fields
// omitted unless (amino.dont_omitempty), 64-bit integers quoted, enums as
// numbers, cosmos.Dec as a decimal with 18 places, cosmos.Int "" as "0",
// Timestamp as RFC 3339, Duration as quoted nanoseconds, bytes as base64.
import { fromBase64, toBase64 } from "@cosmjs/encoding";

import { normalizeDec } from "./decimal.js";
import { messageFields } from "./generated/index.js";
import type { FieldMeta } from "./meta.js";

const TIMESTAMP = "google.protobuf.Timestamp";
const DURATION = "google.protobuf.Duration";

export function fieldsOf(typeName: string): readonly FieldMeta[] {
  const fields = messageFields[typeName];
  if (!fields) throw new Error(`no field metadata for ${typeName}`);
  return fields;
}

function isEmptyScalar(f: FieldMeta, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  switch (f.kind) {
    case "string":
      return v === "";
    case "bool":
      return v === false;
    case "bytes":
      return (v as Uint8Array).length === 0;
    case "int64":
    case "uint64":
      return BigInt(v as string | number | bigint) === 0n;
    default:
      return v === 0;
  }
}

/** Go's time.RFC3339 for whole seconds, RFC3339Nano (trailing zeros trimmed) otherwise. */
function formatTimestamp(d: Date): string {
  const iso = d.toISOString();
  const [secs, frac] = iso.slice(0, -1).split(".");
  const trimmed = (frac ?? "").replace(/0+$/, "");
  return `${secs}${trimmed ? "." + trimmed : ""}Z`;
}

function scalarToAmino(f: FieldMeta, v: any): unknown {
  if (f.scalar === "cosmos.Dec") return v === "" ? "0" : normalizeDec(v);
  if (f.scalar === "cosmos.Int") return v === "" ? "0" : v;
  switch (f.kind) {
    case "int64":
    case "uint64":
      return BigInt(v).toString();
    case "bytes":
      return toBase64(v);
    default:
      return v;
  }
}

function scalarFromAmino(f: FieldMeta, v: any): unknown {
  // LegacyDec.String() never prints a bare "0": that is an empty field written because of dont_omitempty.
  if (f.scalar === "cosmos.Dec") return v === "0" ? "" : v;
  if (f.kind === "bytes") return fromBase64(v);
  return v;
}

function messageToAmino(typeName: string, v: any): unknown {
  if (typeName === TIMESTAMP) return formatTimestamp(v as Date);
  if (typeName === DURATION) return (BigInt(v.seconds ?? 0) * 1_000_000_000n + BigInt(v.nanos ?? 0)).toString();
  return toAminoValue(typeName, v);
}

function messageFromAmino(typeName: string, v: any): unknown {
  if (typeName === TIMESTAMP) return new Date(v as string);
  if (typeName === DURATION) {
    const total = BigInt(v as string);
    return { seconds: (total / 1_000_000_000n).toString(), nanos: Number(total % 1_000_000_000n) };
  }
  return fromAminoValue(typeName, v);
}

/** A message value (ts-proto shape, decimals as decimals) as amino JSON. */
export function toAminoValue(typeName: string, value: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // x/tx sorts the keys; a sorted insertion order keeps the output readable too.
  const fields = [...fieldsOf(typeName)].sort((a, b) => {
    const an = a.aminoName ?? a.name;
    const bn = b.aminoName ?? b.name;
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  for (const f of fields) {
    const key = f.aminoName ?? f.name;
    const v = value?.[f.json];
    if (f.repeated) {
      const list = (v ?? []) as any[];
      if (list.length === 0) {
        if (f.dontOmitEmpty) out[key] = f.encoding === "legacy_coins" ? [] : null;
        continue;
      }
      out[key] = list.map((e) => (f.kind === "message" ? messageToAmino(f.type!, e) : scalarToAmino(f, e)));
    } else if (f.kind === "message") {
      // Set message fields are always written, like protoreflect's Has.
      if (v === undefined || v === null) continue;
      out[key] = messageToAmino(f.type!, v);
    } else {
      if (isEmptyScalar(f, v)) {
        if (!f.dontOmitEmpty) continue;
        out[key] = scalarToAmino(f, f.kind === "string" ? "" : f.kind === "bool" ? false : f.kind === "bytes" ? new Uint8Array() : 0);
        continue;
      }
      out[key] = scalarToAmino(f, v);
    }
  }
  return out;
}

/** Amino JSON back to the ts-proto shape that fromPartial accepts. */
export function fromAminoValue(typeName: string, json: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fieldsOf(typeName)) {
    const v = json?.[f.aminoName ?? f.name];
    if (v === undefined || v === null) continue;
    if (f.repeated) {
      out[f.json] = (v as any[]).map((e) => (f.kind === "message" ? messageFromAmino(f.type!, e) : scalarFromAmino(f, e)));
    } else if (f.kind === "message") {
      out[f.json] = messageFromAmino(f.type!, v);
    } else {
      out[f.json] = scalarFromAmino(f, v);
    }
  }
  return out;
}

/** Applies fn to every cosmos.Dec string in a message value, returning a copy. */
export function mapDecs(typeName: string, value: any, fn: (dec: string, path: string) => string, path = typeName): any {
  if (value === undefined || value === null || typeName === TIMESTAMP || typeName === DURATION) return value;
  const out: Record<string, unknown> = { ...value };
  for (const f of fieldsOf(typeName)) {
    const v = value[f.json];
    if (v === undefined || v === null) continue;
    const p = `${path}.${f.name}`;
    if (f.kind === "message") {
      out[f.json] = f.repeated ? (v as any[]).map((e, i) => mapDecs(f.type!, e, fn, `${p}[${i}]`)) : mapDecs(f.type!, v, fn, p);
    } else if (f.scalar === "cosmos.Dec") {
      out[f.json] = f.repeated ? (v as string[]).map((e, i) => (e === "" ? e : fn(e, `${p}[${i}]`))) : v === "" ? v : fn(v as string, p);
    }
  }
  return out;
}
