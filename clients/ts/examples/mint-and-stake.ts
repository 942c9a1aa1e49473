import type { OfflineSigner } from "@cosmjs/proto-signing";
import { InfrafiClient, type InfrafiMsg } from "@infrafi/client";

// Mints USDai for `usdc` base units of USDC through the PSM, stakes all of it
// into sUSDai and returns the USDai minted and the sUSDai received.
export async function mintAndStake(signer: OfflineSigner, rpc: string, rest: string, usdc: string) {
  const [{ address }] = await signer.getAccounts();
  const client = await InfrafiClient.connect(signer, { rpc, rest });
  const balance = (denom: string) => client.query.balance(address, denom);
  const [usdaiBefore, sharesBefore] = [await balance("uusdai"), await balance("ususdai")];

  const mint = { typeUrl: "/infrafi.stable.v1.MsgMint", value: { sender: address, amount: { denom: "uusdc", amount: usdc } } } satisfies InfrafiMsg;
  await client.signAndBroadcast(address, [mint]);
  const minted = (await balance("uusdai")) - usdaiBefore; // USDC less the PSM's mint fee

  const stake = { typeUrl: "/infrafi.yield.v1.MsgDeposit", value: { depositor: address, amount: { denom: "uusdai", amount: minted.toString() } } } satisfies InfrafiMsg;
  await client.signAndBroadcast(address, [stake]);
  const shares = (await balance("ususdai")) - sharesBefore;

  const { vault } = await client.queries.yield.vault();
  client.disconnect();
  return { minted, shares, sharePrice: vault?.sharePrice };
}
