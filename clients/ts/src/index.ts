export * from "./generated/index.js";
export { msgEntries, messageFields, queryEntries } from "./generated/index.js";
export type { FieldMeta, MsgEntry, QueryEntry, ProtoType } from "./meta.js";
export { InfrafiValidationError, ChainError, QueryError, type ValidationReason } from "./errors.js";
export { DEC_PRECISION, atomicsToDec, decToAtomics, isDecimal, normalizeDec } from "./decimal.js";
export { fromAminoValue, toAminoValue } from "./amino.js";
export { checkAddress, validateValue, type ValidationContext } from "./validate.js";
export {
  createInfrafiAminoConverters,
  createInfrafiAminoTypes,
  createInfrafiRegistry,
  infrafiRegistryTypes,
  typeNameOf,
  type InfrafiMsg,
} from "./registry.js";
export { InfrafiQueryClient, requestUrl, type Fetch, type InfrafiQueries } from "./query.js";
export { INFRAFI_FEE_DENOM, INFRAFI_PREFIX, InfrafiClient, type InfrafiClientOptions } from "./client.js";
