// The localnet the client tests run against. With INFRAFI_LOCALNET_DIR set to
// a running localnet's directory (the one holding localnet.json from
// `infrafid localnet init`), the tests use it and leave it running, so other
// suites can share it. Otherwise they init a 1-validator localnet in a temp
// directory on free 127.0.0.1 ports, start it with scripts/localnet.sh and
// stop exactly that one at the end.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const binary = process.env.INFRAFID ?? join(repo, "build/infrafid");

async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitForHeight(rpc, min, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${rpc}/status`);
      const h = Number((await res.json()).result.sync_info.latest_block_height);
      if (h >= min) return h;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`${rpc} did not reach height ${min}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function fromManifest(dir, manifest, stop) {
  const node = manifest.nodes[0];
  return { dir, chainId: manifest.chain_id, rpc: node.rpc, rest: node.rest, keys: manifest.keys, stop };
}

/** Returns { chainId, rpc, rest, keys: {name: {address, mnemonic}}, stop() }. */
export async function localnet() {
  const shared = process.env.INFRAFI_LOCALNET_DIR;
  if (shared) {
    const manifest = JSON.parse(await readFile(join(shared, "localnet.json"), "utf8"));
    const net = fromManifest(shared, manifest, async () => {});
    await waitForHeight(net.rpc, 2, 60_000);
    return net;
  }
  const dir = await mkdtemp(join(tmpdir(), "infrafi-client-test-"));
  const cliHome = await mkdtemp(join(tmpdir(), "infrafi-client-cli-"));
  const ports = [];
  while (ports.length < 4) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const [p2p, rpc, grpc, api] = ports;
  await run(binary, [
    "localnet", "init", "--validators", "1", "--output-dir", dir, "--home", cliHome, "--overwrite",
    "--p2p-port", String(p2p), "--rpc-port", String(rpc), "--grpc-port", String(grpc), "--api-port", String(api),
  ]);
  await rm(cliHome, { recursive: true, force: true });
  const env = { ...process.env, LOCALNET_DIR: dir, INFRAFID: binary };
  const script = join(repo, "scripts/localnet.sh");
  await run("bash", [script, "start", "--validators", "1"], { env, timeout: 180_000 });
  const manifest = JSON.parse(await readFile(join(dir, "localnet.json"), "utf8"));
  return fromManifest(dir, manifest, async () => {
    await run("bash", [script, "stop"], { env, timeout: 60_000 });
    await rm(dir, { recursive: true, force: true });
  });
}
