/**
 * Background work of the accounts process: the data-export worker (domain/dataExport.ts). Every `pollMs` it claims
 * PENDING exports (FOR UPDATE SKIP LOCKED: any number of accounts instances share the work, none assembles an export
 * another holds) and assembles them; a restart resumes PENDING exports, and a claim whose worker died is taken again
 * once older than the stale limit. Every `purgeMs` it drops expired documents. Timers are unref'd; stop() waits for
 * a running pass, so shutdown is clean.
 */
import type { Logger } from "@clinigraph/platform";
import { purgeExpiredDataExports, runDataExportPass, type ExportWorkerDeps } from "./domain/dataExport.js";

export interface DataExportJobOptions {
  pollMs: number;
  purgeMs: number;
  /** Exports claimed per pass. */
  batch?: number;
}

export interface DataExportJobs {
  /** Runs passes until one claims nothing (after any pass already running): tests settle the worker with it. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function startDataExportJobs(deps: ExportWorkerDeps, logger: Logger, options: DataExportJobOptions): DataExportJobs {
  let stopped = false;
  // One pass at a time in this process (other instances are kept apart by the claims).
  let chain: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };
  const run = (name: string, work: () => Promise<unknown>) =>
    serially(work).catch((err: unknown) => logger.warn({ err, job: name }, "background job failed; it will run again"));
  const poll = setInterval(() => void run("dataExports", () => runDataExportPass(deps, options.batch)), options.pollMs);
  const purge = setInterval(() => void run("dataExportPurge", () => purgeExpiredDataExports(deps)), options.purgeMs);
  poll.unref();
  purge.unref();
  // At start: exports left PENDING by a stopped process, and documents that expired meanwhile.
  void run("dataExports", () => runDataExportPass(deps, options.batch));
  void run("dataExportPurge", () => purgeExpiredDataExports(deps));
  return {
    async drain() {
      while (!stopped && (await serially(() => runDataExportPass(deps, options.batch))) > 0);
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(purge);
      await chain;
    },
  };
}
