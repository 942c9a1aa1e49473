// Typed REST queries for every infrafi query, assembled from the generated
// query table: the gRPC-gateway path is filled from the request, the other
// request fields become query parameters, the JSON answer is parsed by the
// generated fromJSON.
import { toBase64 } from "@cosmjs/encoding";

import { QueryError } from "./errors.js";
import { queryEntries } from "./generated/index.js";
import type { QueryEntry } from "./meta.js";

type Entries = typeof queryEntries;
type RequestOf<E> = E extends { request: { create(base?: infer P): any } } ? P : never;
type ResponseOf<E> = E extends { response: { fromJSON(o: any): infer R } } ? R : never;

/** queries.<module>.<query>(request) → the typed response. */
export type InfrafiQueries = {
  [M in keyof Entries]: {
    [Q in keyof Entries[M]]: (request?: RequestOf<Entries[M][Q]>) => Promise<ResponseOf<Entries[M][Q]>>;
  };
};

const snake = (camel: string): string => camel.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
const camel = (snakeName: string): string => snakeName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function isDefault(v: unknown): boolean {
  // "0" is how ts-proto holds a 64-bit zero, which the gateway also defaults to.
  return v === undefined || v === null || v === "" || v === "0" || v === 0 || v === false || (v instanceof Uint8Array && v.length === 0);
}

function paramValue(v: unknown): string {
  if (v instanceof Uint8Array) return toBase64(v);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Flattens a request into gateway query parameters: snake_case names, nested fields dotted, enums as numbers. */
function addParams(params: URLSearchParams, value: Record<string, unknown>, prefix: string, skip: ReadonlySet<string>): void {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix + snake(key);
    if (skip.has(name) || isDefault(v)) continue;
    if (Array.isArray(v)) {
      for (const e of v) params.append(name, paramValue(e));
    } else if (typeof v === "object" && !(v instanceof Uint8Array) && !(v instanceof Date)) {
      addParams(params, v as Record<string, unknown>, name + ".", skip);
    } else {
      params.append(name, paramValue(v));
    }
  }
}

/** The URL path and query string of a request to one gateway route. */
export function requestUrl(entry: QueryEntry, request: Record<string, unknown>): string {
  const used = new Set<string>();
  const path = entry.path.replace(/\{([a-z0-9_.]+)(=[^}]*)?\}/g, (_, field: string, pattern?: string) => {
    used.add(field);
    const v = field.split(".").reduce<any>((o, part) => o?.[camel(part)], request);
    if (v === undefined || v === null || v === "") throw new Error(`${entry.path}: path field ${field} is required`);
    // A {field=**} segment takes slashes, as in feed ids like "gpu/nvidia-h100-sxm5-80gb".
    const s = paramValue(v);
    return pattern === "=**" ? s.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(s);
  });
  const params = new URLSearchParams();
  addParams(params, request, "", used);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/** REST client of one node's API server (e.g. http://127.0.0.1:1317). */
export class InfrafiQueryClient {
  readonly queries: InfrafiQueries;

  constructor(
    readonly rest: string,
    private readonly fetchImpl: Fetch = globalThis.fetch as unknown as Fetch,
  ) {
    this.rest = rest.replace(/\/+$/, "");
    const queries: Record<string, Record<string, unknown>> = {};
    for (const [module, routes] of Object.entries(queryEntries) as [string, Record<string, QueryEntry>][]) {
      queries[module] = {};
      for (const [name, entry] of Object.entries(routes)) {
        queries[module][name] = async (request: Record<string, unknown> = {}) => {
          const json = await this.getJson(requestUrl(entry, entry.request.fromPartial(request)));
          return entry.response.fromJSON(json);
        };
      }
    }
    this.queries = queries as InfrafiQueries;
  }

  /** GET a path of the node's REST API and parse the JSON answer; non-200 raises QueryError. */
  async getJson(pathAndQuery: string): Promise<any> {
    const url = this.rest + pathAndQuery;
    const res = await this.fetchImpl(url, { headers: { accept: "application/json" } });
    const body = await res.text();
    if (!res.ok) {
      let grpcCode: number | undefined;
      try {
        grpcCode = JSON.parse(body).code;
      } catch {
        grpcCode = undefined;
      }
      throw new QueryError(res.status, url, grpcCode, body);
    }
    return JSON.parse(body);
  }

  /** Every denom the chain knows: the bank supply and the denoms with metadata. */
  async denoms(): Promise<Set<string>> {
    const out = new Set<string>();
    let key = "";
    do {
      const page = await this.getJson(`/cosmos/bank/v1beta1/supply?pagination.limit=1000${key ? "&pagination.key=" + encodeURIComponent(key) : ""}`);
      for (const c of page.supply ?? []) out.add(c.denom);
      key = page.pagination?.next_key ?? "";
    } while (key);
    const meta = await this.getJson("/cosmos/bank/v1beta1/denoms_metadata?pagination.limit=1000");
    for (const m of meta.metadatas ?? []) out.add(m.base);
    return out;
  }

  /** One account's balance of one denom, in base units. */
  async balance(address: string, denom: string): Promise<bigint> {
    const res = await this.getJson(`/cosmos/bank/v1beta1/balances/${address}/by_denom?denom=${encodeURIComponent(denom)}`);
    return BigInt(res.balance?.amount ?? "0");
  }
}
