/**
 * A client process of the fan-out benchmark (forked by `bench/fanout.ts` with `--client-procs N`): holds a share
 * of the subscribers in a `ClientPool` and answers the benchmark's calls over IPC. Exits when its parent goes away.
 */
import { ClientPool, type KeysByFeed, type OpenRequest, type PoolCall, type PoolReply, type ReportRequest } from "./clients.js";

if (!process.send) throw new Error("bench/fanout/worker.ts runs as a child process of bench/fanout.ts");
const send = (reply: PoolReply) => process.send!(reply);
const pool = new ClientPool((opened) => send({ progress: opened }));

process.on("message", (raw: PoolCall) => {
  void (async () => {
    try {
      let value: unknown;
      if (raw.method === "open") value = await pool.open(raw.args[0] as OpenRequest);
      else if (raw.method === "waitFor")
        value = await pool.waitFor(raw.args[0] as KeysByFeed, raw.args[1] as number, raw.args[2] as number, raw.args[3] as "all" | "any");
      else if (raw.method === "mark") value = pool.mark();
      else if (raw.method === "usage") value = pool.usage();
      else if (raw.method === "report") value = pool.report(raw.args[0] as ReportRequest);
      else if (raw.method === "close") value = await pool.close();
      else throw new Error(`unknown method ${String(raw.method)}`);
      send({ id: raw.id, ok: true, value: value ?? null });
    } catch (err) {
      send({ id: raw.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  })();
});
process.on("disconnect", () => {
  void pool.close().finally(() => process.exit(0));
});
