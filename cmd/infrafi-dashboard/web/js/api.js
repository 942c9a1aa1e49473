// Reads from the node through the dashboard server (same origin). Every
// refresh starts a new cache so one page render asks each path once.

export class NodeDown extends Error {}
export class NotFound extends Error {}
export class HTTPError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let cache = new Map();

export function newRefresh() {
  cache = new Map();
}

export function get(path) {
  if (!cache.has(path)) cache.set(path, fetchJSON(path));
  return cache.get(path);
}

// getOr answers `fallback` when the node says the thing does not exist
// (an optional record such as a title's policy). The server answers such a
// read with 200 {"not_found": true}, so the browser logs no failed request.
export async function getOr(path, fallback) {
  const key = `optional:${path}`;
  if (!cache.has(key)) cache.set(key, fetchJSON(path, true));
  try {
    const res = await cache.get(key);
    return res && res.not_found && res.dashboard ? fallback : res;
  } catch (e) {
    if (e instanceof NotFound) return fallback;
    throw e;
  }
}

async function fetchJSON(path, optional = false) {
  let res;
  try {
    const headers = { Accept: 'application/json' };
    if (optional) headers['X-Dashboard-Optional'] = '1';
    res = await fetch(path, { headers, cache: 'no-store' });
  } catch {
    throw new NodeDown('the dashboard server does not answer');
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.ok && body !== null) return body;
  const msg = (body && (body.message || body.error)) || res.statusText || `HTTP ${res.status}`;
  if (body && body.dashboard && (res.status === 502 || res.status === 504)) throw new NodeDown(msg);
  // The gateway answers a missing record with gRPC NotFound (HTTP 404) or,
  // for some module errors, 500 with "not found" in the message.
  if (res.status === 404 || (body && body.code === 5) || /not found/i.test(msg)) throw new NotFound(msg);
  throw new HTTPError(res.status, msg);
}

// all follows pagination (next_key) up to `max` items of field `key`.
export async function all(path, key, max = 1000) {
  const items = [];
  let next = '';
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}pagination.limit=200${next ? `&pagination.key=${encodeURIComponent(next)}` : ''}`;
    const res = await get(url);
    items.push(...(res[key] || []));
    next = res.pagination && res.pagination.next_key ? res.pagination.next_key : '';
  } while (next && items.length < max);
  return items;
}

// status reads the latest block (height and time) from CometBFT.
export async function status() {
  const res = await fetchJSON('/rpc/status');
  const info = res && res.result && res.result.sync_info;
  if (!info) throw new HTTPError(500, 'unexpected /status answer');
  return {
    height: Number(info.latest_block_height),
    time: new Date(info.latest_block_time),
    chainId: res.result.node_info && res.result.node_info.network,
  };
}

// parties maps addresses to CALIBER party names (issuer, custodian, …).
export async function partyNames() {
  try {
    const parties = await all('/infrafi/caliber/v1/parties', 'parties');
    return new Map(parties.map((p) => [p.address, p.name]));
  } catch (e) {
    if (e instanceof NodeDown) throw e;
    return new Map();
  }
}
