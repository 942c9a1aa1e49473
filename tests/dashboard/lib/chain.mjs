// A localnet for the browser tests: the one INFRAFI_LOCALNET_DIR names when
// it answers (shared with other suites), or one validator started here on
// free ports with scripts/localnet.sh and stopped here. Transactions go
// through the real binary, like the demo's.

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const BIN = process.env.INFRAFID || path.join(ROOT, 'build/infrafid');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// freePort asks the kernel for a port nobody listens on right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function getJSON(url, timeoutMs = 5000) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(`GET ${url}: ${res.status} ${body && body.message}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

export class Localnet {
  constructor(dir, manifest, owned) {
    this.dir = dir;
    this.owned = owned;
    this.chainId = manifest.chain_id;
    const n = manifest.nodes[0];
    this.home = n.home;
    this.rpc = n.rpc;
    this.rest = n.rest;
    this.keys = Object.fromEntries(Object.entries(manifest.keys || {}).map(([k, v]) => [k, v.address]));
  }

  static async read(dir) {
    const manifest = JSON.parse(await readFile(path.join(dir, 'localnet.json'), 'utf8'));
    return manifest;
  }

  // open uses INFRAFI_LOCALNET_DIR when its node0 answers, else starts one.
  static async open(log) {
    const shared = process.env.INFRAFI_LOCALNET_DIR;
    if (shared) {
      const ln = new Localnet(shared, await Localnet.read(shared), false);
      if (await ln.answers()) {
        log(`using the running localnet in ${shared} (RPC ${ln.rpc}, REST ${ln.rest})`);
        return ln;
      }
      log(`INFRAFI_LOCALNET_DIR=${shared} does not answer: starting a localnet of our own`);
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'infrafi-dashboard-localnet-'));
    const [p2p, rpc, grpc, api] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const cliHome = await mkdtemp(path.join(os.tmpdir(), 'infrafi-dashboard-cli-'));
    try {
      await run(BIN, ['localnet', 'init', '--overwrite', '--validators', '1', '--output-dir', dir, '--home', cliHome,
        '--p2p-port', String(p2p), '--rpc-port', String(rpc), '--grpc-port', String(grpc), '--api-port', String(api)], { cwd: ROOT });
    } finally {
      await rm(cliHome, { recursive: true, force: true });
    }
    await scriptCmd(dir, 'start', '--validators', '1');
    const ln = new Localnet(dir, await Localnet.read(dir), true);
    log(`started a 1-validator localnet in ${dir} (RPC ${ln.rpc}, REST ${ln.rest})`);
    await ln.waitHeight(2, 90_000);
    return ln;
  }

  // close stops exactly the node this suite started (scripts/localnet.sh
  // stop acts on the pids it recorded in this directory) and deletes it.
  async close() {
    if (!this.owned) return;
    await scriptCmd(this.dir, 'stop');
    await rm(this.dir, { recursive: true, force: true });
  }

  async answers() {
    try {
      return (await this.height()) > 0;
    } catch {
      return false;
    }
  }

  async height() {
    const s = await getJSON(`${this.rpc}/status`, 3000);
    return Number(s.result.sync_info.latest_block_height);
  }

  async waitHeight(h, timeoutMs) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        if ((await this.height()) >= h) return;
      } catch {
        // not up yet
      }
      if (Date.now() > end) throw new Error(`the localnet did not reach height ${h}`);
      await sleep(500);
    }
  }

  q(p) {
    return getJSON(`${this.rest}${p}`);
  }

  // tx signs and broadcasts with the binary, then waits for the block.
  async tx(...args) {
    const full = ['tx', ...args, '--home', this.home, '--keyring-backend', 'test', '--chain-id', this.chainId,
      '--node', this.rpc.replace(/^http/, 'tcp'), '--gas', 'auto', '--gas-adjustment', '1.5',
      '--broadcast-mode', 'sync', '--output', 'json', '--yes'];
    let out;
    try {
      out = await run(BIN, full, { cwd: ROOT, maxBuffer: 16 << 20 });
    } catch (e) {
      throw new Error(`infrafid tx ${args.join(' ')}: ${(e.stderr || e.message).trim().split('\n').pop()}`);
    }
    const lines = out.stdout.trim().split('\n');
    const res = JSON.parse(lines[lines.length - 1]);
    if (res.code) throw new Error(`infrafid tx ${args.join(' ')}: refused: ${res.raw_log}`);
    const end = Date.now() + 60_000;
    for (;;) {
      try {
        const r = await getJSON(`${this.rpc}/tx?hash=0x${res.txhash}`, 3000);
        const result = r.result;
        if (result.tx_result.code) throw Object.assign(new Error(`tx ${args.join(' ')} failed: ${result.tx_result.log}`), { final: true });
        return { hash: res.txhash, height: Number(result.height), events: result.tx_result.events || [] };
      } catch (e) {
        if (e.final) throw e;
        if (Date.now() > end) throw new Error(`tx ${res.txhash} (${args.join(' ')}) not in a block within 60 s`);
        await sleep(400);
      }
    }
  }
}

// event finds a typed event's attribute (JSON-decoded) in a tx result.
export function eventAttr(res, type, key) {
  for (const e of res.events) {
    if (e.type !== type) continue;
    for (const a of e.attributes) if (a.key === key) return JSON.parse(a.value);
  }
  throw new Error(`no ${type}.${key} in the transaction's events`);
}

function scriptCmd(dir, ...args) {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', [path.join(ROOT, 'scripts/localnet.sh'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOCALNET_DIR: dir, INFRAFID: BIN },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scripts/localnet.sh ${args.join(' ')} exited ${code}`))));
  });
}
