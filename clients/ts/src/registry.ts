// The CosmJS Registry and AminoTypes for every infrafi Msg, assembled from the
// generated message table; nothing here is written per message.
import { AminoTypes, createDefaultAminoConverters, type AminoConverters } from "@cosmjs/stargate";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { Registry, type GeneratedType } from "@cosmjs/proto-signing";

import { atomicsToDec, decToAtomics } from "./decimal.js";
import { fromAminoValue, mapDecs, toAminoValue } from "./amino.js";
import { msgEntries } from "./generated/index.js";
import type { MsgEntry } from "./meta.js";

type Entries = (typeof msgEntries)[number];

/** Any infrafi Msg as an EncodeObject with its value typed: `{ typeUrl, value } satisfies InfrafiMsg`. */
export type InfrafiMsg = {
  [E in Entries as E["typeUrl"]]: { typeUrl: E["typeUrl"]; value: NonNullable<Parameters<E["type"]["create"]>[0]> };
}[Entries["typeUrl"]];

/** Full protobuf name of a Msg from its type URL. */
export const typeNameOf = (typeUrl: string): string => typeUrl.replace(/^\//, "");

/**
 * The generated type with cosmos.Dec fields taken as decimals ("0.98") and put
 * on the wire as LegacyDec atomics, the form the chain decodes.
 */
function withDecimals(entry: MsgEntry): GeneratedType {
  const name = typeNameOf(entry.typeUrl);
  return {
    encode: (message: any, writer?: any) => entry.type.encode(mapDecs(name, message, decToAtomics), writer),
    decode: (input: Uint8Array) => mapDecs(name, entry.type.decode(input), atomicsToDec),
    fromPartial: (object: any) => entry.type.fromPartial(object),
  } as unknown as GeneratedType;
}

/** [type URL, type] of every infrafi Msg. */
export const infrafiRegistryTypes: ReadonlyArray<[string, GeneratedType]> = msgEntries.map((e) => [e.typeUrl, withDecimals(e)]);

/** The SDK's default messages (bank, staking, gov, ...) and every infrafi Msg. */
export function createInfrafiRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...infrafiRegistryTypes]);
}

/** Amino converters of every infrafi Msg, keyed by type URL. */
export function createInfrafiAminoConverters(): AminoConverters {
  const converters: AminoConverters = {};
  for (const e of msgEntries) {
    const name = typeNameOf(e.typeUrl);
    converters[e.typeUrl] = {
      aminoType: e.aminoType,
      toAmino: (value: any) => toAminoValue(name, value),
      fromAmino: (json: any) => fromAminoValue(name, json),
    };
  }
  return converters;
}

/** The SDK's default amino converters and every infrafi Msg's. */
export function createInfrafiAminoTypes(): AminoTypes {
  return new AminoTypes({ ...createDefaultAminoConverters(), ...createInfrafiAminoConverters() });
}
