/**
 * A child process of a benchmark: one billing instance as a deployment runs it, `startBilling(env)` with its events on
 * Redis (REDIS_URL, EVENTS_NAMESPACE). Two things are replaced:
 *
 * - the doctors client (`options.catalogue`), by a stand-in that knows one consultation service (every doctor's) and
 *   one examination, given to `start`;
 * - the consumer's name in its group. Billing names its consumers `<group>@<host name>`, so two processes on one
 *   machine would read as one consumer. The instance gets the process's own Redis bus (`options.bus`, closed here on
 *   `stop`), which hands every consumer it starts the name given to `start`.
 *
 * Issuing is observed by wrapping the unit of work: each transaction that saved an invoice with a number is recorded
 * with its id and the time it committed, and repeated attempts (deadlocks, serialization failures) are counted. That
 * costs a clock read per transaction and changes nothing else.
 *
 * Methods (see `children.ts`): `start(env, catalogue, consumerName)` → `{ url }` (the consumers run once it answers),
 * `issued()` → `IssuedReport` since the last call, and `mark`/`usage`; `stop` closes the instance as its main would.
 */
import { createRedisEventBus, type EventBus } from "@clinigraph/events";
import { startBilling, type Deps } from "@clinigraph/billing";
import { createLogger } from "@clinigraph/platform";
import { serveParent } from "./children.js";

/** A medical service as the doctors subgraph describes it. */
export interface BenchService {
  id: string;
  name: string;
  kind: string;
}

/** What the stand-in catalogue knows: every doctor's consultation service, and one examination. */
export interface BenchCatalogue {
  consultation: BenchService;
  examination: BenchService;
}

export interface IssuedReport {
  /** Invoices this process numbered, with the time (epoch ms) their transaction committed. */
  issued: { invoiceId: string; committedAtMs: number }[];
  /** Transactions that ran more than once, and their extra attempts. */
  retriedTransactions: number;
  extraAttempts: number;
}

type Catalogue = Deps["catalogue"];
type UnitOfWork = Deps["unitOfWork"];

function standIn(known: BenchCatalogue): Catalogue {
  const services = new Map([known.consultation, known.examination].map((service) => [service.id, service]));
  return {
    service: async (serviceId) => services.get(serviceId) ?? null,
    consultationOf: async () => known.consultation,
  };
}

/** The bus, with every consumer started on it named `<group>@<consumerName>`. */
function namingConsumers(bus: EventBus, consumerName: string): EventBus {
  return {
    publish: (stream, events) => bus.publish(stream, events),
    consume: (options) => bus.consume({ ...options, consumer: `${options.group}@${consumerName}` }),
    deadLetters: (stream, group) => bus.deadLetters(stream, group),
    replayDeadLetters: (stream, group, ids) => bus.replayDeadLetters(stream, group, ids),
    groupStats: (stream, group) => bus.groupStats(stream, group),
    trim: (stream, before) => bus.trim(stream, before),
    close: () => bus.close(),
  };
}

let running: Awaited<ReturnType<typeof startBilling>> | undefined;
let bus: EventBus | undefined;
let report: IssuedReport = { issued: [], retriedTransactions: 0, extraAttempts: 0 };

/** Wraps `deps.unitOfWork` (the consumers read it from `deps` at each event) to record the invoices each commit numbered. */
function observeIssuing(deps: Deps): void {
  const original: UnitOfWork = deps.unitOfWork;
  deps.unitOfWork = {
    async run(work) {
      let numbered: string[] = [];
      let attempts = 0;
      const result = await original.run(async (tx) => {
        attempts++;
        numbered = [];
        const save = tx.invoices.save.bind(tx.invoices);
        tx.invoices.save = async (invoice, now) => {
          await save(invoice, now);
          if (invoice.number !== null && invoice.issuedAt !== null && invoice.issuedAt.getTime() === now.getTime()) numbered.push(invoice.id);
        };
        return work(tx);
      });
      const committedAtMs = Date.now();
      for (const invoiceId of numbered) report.issued.push({ invoiceId, committedAtMs });
      if (attempts > 1) {
        report.retriedTransactions++;
        report.extraAttempts += attempts - 1;
      }
      return result;
    },
  };
}

serveParent({
  async start(env: Record<string, string>, catalogue: BenchCatalogue, consumerName: string) {
    bus = namingConsumers(await createRedisEventBus({ url: env.REDIS_URL!, logger: createLogger("events", env.LOG_LEVEL) }), consumerName);
    running = await startBilling(env, { catalogue: standIn(catalogue), bus });
    observeIssuing(running.deps);
    return { url: running.url };
  },

  issued(): IssuedReport {
    const current = report;
    report = { issued: [], retriedTransactions: 0, extraAttempts: 0 };
    return current;
  },

  async stop() {
    await running?.close();
    await bus?.close();
  },
});
