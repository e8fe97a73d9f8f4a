/**
 * The whole platform for end-to-end tests: a fresh database, every subgraph and the router serving the
 * committed supergraph, all in-process on free ports. Clients talk to the router only.
 */
import path from "node:path";
import { createClient } from "redis";
import { REPO_ROOT, createLogger, createTracing, type RunningSubgraph } from "@clinigraph/platform";
import { createTestDatabase, settleWorkers, testEnv, uniqueEmail } from "@clinigraph/testing";
import {
  combineCareRelationshipSources,
  createHttpCareRelationshipSource,
  startAccounts,
  type CareRelationship,
  type CareRelationshipSource,
  type ExportSubgraphUrls,
} from "@clinigraph/accounts";
import { startDoctors } from "@clinigraph/doctors";
import {
  createHttpDoctorsClient,
  createHttpPatientDirectory,
  startScheduling,
  type DoctorsClient,
  type PatientDirectory,
  type SchedulingDeps,
} from "@clinigraph/scheduling";
import { createRouter } from "@clinigraph/router";
import { startClinical, type ClinicalDeps } from "@clinigraph/clinical";
import { startNotifications } from "@clinigraph/notifications";
import { startBilling } from "@clinigraph/billing";
import { startAnalytics } from "@clinigraph/analytics";
// new:subgraph imports

export interface Stack {
  routerUrl: string;
  /** The stack's own database (every subgraph's schema), e.g. to check what a test wrote. */
  databaseUrl: string;
  admin: { email: string; password: string };
  /** The subgraphs as started (after `clinical.stop()`/`start()`, use `clinical`). */
  subgraphs: Record<string, { url: string; close(): Promise<void> }>;
  /** scheduling's dependencies (run its jobs, e.g. expireHolds, on the test's clock). */
  scheduling: SchedulingDeps;
  /** accounts' care-relationship projection (ADR 0011): its rows for a patient; stopping its consumer leaves misses to scheduling. */
  care: { of(patientId: string): Promise<CareRelationship[]>; stopProjection(): Promise<void> };
  /** scheduling's live-feed bridge (bus → feeds): stopped, appointment events wait in the stream (a lagging bridge); started, it catches up. */
  liveBridge: { stop(): Promise<void>; start(): void };
  /**
   * The clinical subgraph: its dependencies while it runs (null when stopped), and an outage switch; and the
   * examiners' worklist consumer's own switch (the examiners' functions down; kept across clinical restarts).
   */
  clinical: { deps(): ClinicalDeps | null; stop(): Promise<void>; start(): Promise<void>; stopWorklist(): Promise<void>; startWorklist(): void };
  /**
   * The subgraphs `pnpm new:subgraph` added (notifications, billing, analytics): `stop` one (its consumers too: left out
   * of eventsSettled meanwhile), `start` it again on the same port, with `env` over the stack's (e.g. a DATABASE_URL of
   * its own: the subgraph rebuilt in an empty database). Its consumer groups resume where they stopped unless removed.
   */
  added: { stop(name: string): Promise<void>; start(name: string, env?: Record<string, string>): Promise<void> };
  /** accounts' data-export worker: `drain()` runs its passes until no PENDING export is due (every claimed one assembled or failed). */
  dataExports: { drain(): Promise<void> };
  /** This stack's events: the Redis they are on and EVENTS_NAMESPACE, the prefix of its streams and keys. */
  events: { redisUrl: string; namespace: string };
  /** Resolves when every committed event has been relayed and delivered to the live feeds, accounts' care relationships, clinical's read models (the clinic board) and scheduling's slots (doctors' schedule changes). */
  eventsSettled(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** The clock scheduling, doctors, clinical and the added subgraphs run on (fake clocks in tests). */
  clock?: () => Date;
  /** Extra environment, e.g. BOOKING_HOLD_MINUTES. */
  env?: Record<string, string>;
  /** The router's TRUSTED_PROXIES (whose X-Forwarded-For it believes); none by default. */
  trustedProxies?: string[];
}

/** The running stacks' `eventsSettled`, by router URL. */
const settledByRouter = new Map<string, () => Promise<void>>();

/** `eventsSettled` of the stack whose router is at `routerUrl`, for helpers given only the URL (support/people.ts). */
export function eventsSettledAt(routerUrl: string): Promise<void> {
  const settled = settledByRouter.get(routerUrl);
  return settled ? settled() : Promise.reject(new Error(`no running stack has its router at ${routerUrl}`));
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const admin = { email: uniqueEmail("admin"), password: "Admin-password-1" };
  const env = {
    ...testEnv(db.url),
    HOST: "127.0.0.1",
    CLINIGRAPH_ADMIN_EMAIL: admin.email,
    CLINIGRAPH_ADMIN_PASSWORD: admin.password,
    // Up to three stacks run side by side (one per test worker) on one PostgreSQL of 100 connections: 3 per
    // subgraph and a LISTEN connection per outbox keep a stack under 30.
    DATABASE_POOL_SIZE: "3",
    // Subgraph logs stay quiet unless TEST_LOG_LEVEL asks (e.g. "error", to see what lies behind an INTERNAL).
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    // Events and live feeds on the real Redis, namespaced by this stack's database.
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    EVENTS_NAMESPACE: `${db.name}:`,
    // Every test registers from 127.0.0.1: no per-address registration limit unless a test asks for one.
    REGISTRATION_MAX_PER_IP_PER_HOUR: "0",
    // Patients register without an e-mail code unless a test asks for verification (and gives SMTP_URL).
    REGISTRATION_VERIFICATION: "off",
    ...options.env,
  };
  // On free ports, scheduling starts first (doctors needs accounts, which asks scheduling about care relationships),
  // with a client that reaches doctors once doctors is up. Doctors' schedule changes reach it as events.
  const doctorsRef: { client?: DoctorsClient } = {};
  const lateDoctors: DoctorsClient = {
    fetchDoctor: (id) => doctorsRef.client!.fetchDoctor(id),
    fetchAllDoctors: () => doctorsRef.client!.fetchAllDoctors(),
    serviceStatus: (id) => doctorsRef.client!.serviceStatus(id),
  };
  // Likewise scheduling asks accounts (started next: it needs scheduling's URL) whether a patient named by staff exists.
  const accountsRef: { patients?: PatientDirectory } = {};
  const latePatients: PatientDirectory = { exists: (caller, id) => accountsRef.patients!.exists(caller, id) };
  const scheduling = await startScheduling(
    { ...env, SCHEDULING_PORT: "0" },
    { clock: options.clock, jobs: false, doctors: lateDoctors, patients: latePatients },
  );
  // Accounts asks scheduling, then clinical (started later: it needs doctors, which needs accounts) about care relationships.
  const clinicalCare: { source?: CareRelationshipSource } = {};
  const routerSecrets = env.CLINIGRAPH_ROUTER_SECRETS.split(",");
  // The data-export worker reads the subgraphs started after accounts: their URLs once known (kept across restarts).
  const exportUrls: ExportSubgraphUrls = { scheduling: scheduling.url, clinical: null, billing: null, notifications: null, doctors: null };
  const accounts = await startAccounts(
    { ...env, ACCOUNTS_PORT: "0", SCHEDULING_URL: scheduling.url },
    {
      exportUrls: () => exportUrls,
      // The e-mail change's messages go through notifications, started later.
      notificationsUrl: () => exportUrls.notifications,
      scheduling: combineCareRelationshipSources([
        createHttpCareRelationshipSource({ url: scheduling.url, routerSecrets }),
        { confirm: (doctor, patientIds) => (clinicalCare.source ? clinicalCare.source.confirm(doctor, patientIds) : Promise.resolve([])) },
      ]),
    },
  );
  accountsRef.patients = createHttpPatientDirectory({ url: accounts.url, routerSecrets });
  // Doctors asks scheduling for the appointments a schedule template's preview would leave uncovered.
  const doctors = await startDoctors({ ...env, DOCTORS_PORT: "0", ACCOUNTS_URL: accounts.url, SCHEDULING_URL: scheduling.url }, { clock: options.clock });
  exportUrls.doctors = doctors.url;
  doctorsRef.client = createHttpDoctorsClient({ url: doctors.url, routerSecrets: env.CLINIGRAPH_ROUTER_SECRETS.split(",") });
  // Where the subgraphs started so far are, for the ones started next (clinical, and those `pnpm new:subgraph` adds).
  const serviceUrls = { ACCOUNTS_URL: accounts.url, DOCTORS_URL: doctors.url, SCHEDULING_URL: scheduling.url };
  const clinicalEnv = { ...env, ...serviceUrls };
  let clinical: Awaited<ReturnType<typeof startClinical>> | null = await startClinical({ ...clinicalEnv, CLINICAL_PORT: "0" }, { clock: options.clock });
  const clinicalPort = clinical.port;
  const added: Record<string, RunningSubgraph> = {};
  const addedEnv = { ...clinicalEnv, CLINICAL_URL: clinical.url };
  for (const [name, start] of Object.entries(ADDED_SUBGRAPHS))
    added[name] = await start({ ...addedEnv, [`${name.toUpperCase()}_PORT`]: "0" }, { clock: options.clock });
  const addedPorts: Record<string, number> = Object.fromEntries(Object.entries(added).map(([name, subgraph]) => [name, subgraph.port]));
  clinicalCare.source = createHttpCareRelationshipSource({ url: clinical.url, field: "myEncounterPatients", routerSecrets });
  Object.assign(exportUrls, { clinical: clinical.url, billing: added.billing?.url ?? null, notifications: added.notifications?.url ?? null });
  const router = await createRouter({
    supergraph: { supergraphPath: path.join(REPO_ROOT, "schema", "supergraph.graphql") },
    jwksUrl: accounts.url.replace("/graphql", "/.well-known/jwks.json"),
    sessions: {
      url: accounts.url.replace("/graphql", "/internal/sessions"),
      cacheMs: Number(options.env?.SESSION_CHECK_CACHE_MS ?? 5_000),
      recheckMs: Number(options.env?.SESSION_RECHECK_MS ?? 10_000),
    },
    routerSecrets: env.CLINIGRAPH_ROUTER_SECRETS.split(","),
    subgraphUrls: {
      accounts: accounts.url,
      doctors: doctors.url,
      scheduling: scheduling.url,
      clinical: clinical.url,
      ...Object.fromEntries(Object.entries(added).map(([name, subgraph]) => [name, subgraph.url])),
    },
    logger: createLogger("router", process.env.TEST_LOG_LEVEL ?? "silent"),
    trustedProxies: options.trustedProxies,
    tracing: createTracing("router", env),
  });
  const running = await router.listen(0);
  let careStopped = false;
  let worklistStopped = false;
  const stack: Stack = {
    routerUrl: running.url,
    databaseUrl: db.url,
    admin,
    subgraphs: { accounts, doctors, scheduling, clinical, ...added },
    scheduling: scheduling.deps,
    care: {
      of: (patientId) => accounts.server.careRelationships.ofPatient(patientId),
      async stopProjection() {
        careStopped = true;
        await accounts.careProjection.stop();
      },
    },
    liveBridge: { stop: () => scheduling.bridge.stop(), start: () => scheduling.bridge.start() },
    clinical: {
      deps: () => clinical?.deps ?? null,
      /** Stops the clinical subgraph (its consumers too), as an outage would. */
      async stop() {
        const running = clinical;
        clinical = null;
        await running?.close();
      },
      /** Starts it again on the same port: its consumer group resumes where it stopped. */
      async start() {
        clinical ??= await startClinical({ ...clinicalEnv, CLINICAL_PORT: String(clinicalPort) }, { clock: options.clock, worklist: !worklistStopped });
      },
      async stopWorklist() {
        worklistStopped = true;
        await clinical?.worklist.stop();
      },
      startWorklist() {
        worklistStopped = false;
        clinical?.worklist.start();
      },
    },
    added: {
      async stop(name) {
        const running = added[name];
        delete added[name];
        delete stack.subgraphs[name];
        await running?.close();
      },
      async start(name, extraEnv = {}) {
        const start = ADDED_SUBGRAPHS[name];
        if (!start) throw new Error(`no added subgraph is called ${name}`);
        if (added[name]) return;
        const running = await start({ ...addedEnv, [`${name.toUpperCase()}_PORT`]: String(addedPorts[name]), ...extraEnv }, { clock: options.clock });
        added[name] = running;
        stack.subgraphs[name] = running;
      },
    },
    dataExports: { drain: () => accounts.dataExports!.drain() },
    events: { redisUrl: env.REDIS_URL, namespace: env.EVENTS_NAMESPACE },
    /** Every outbox published and every consumer idle, rounds repeated while consumers write new events (a saga). */
    eventsSettled: () =>
      settleWorkers(() => [
        // A stopped consumer refuses idle(): accounts' care projection when a test stopped it.
        { ...accounts.workers, consumers: accounts.workers.consumers.filter((c) => !careStopped || c !== accounts.careProjection) },
        doctors.workers,
        scheduling.workers,
        ...(clinical ? [clinical.workers] : []),
        ...Object.values(added).map((subgraph) => subgraph.workers),
      ]),
    async stop() {
      settledByRouter.delete(running.url);
      await running.close();
      for (const subgraph of Object.values(added)) await subgraph.close();
      await clinical?.close();
      await doctors.close();
      await scheduling.close();
      await accounts.close();
      await db.drop();
      await dropRedisKeys(env.REDIS_URL, env.EVENTS_NAMESPACE);
    },
  };
  settledByRouter.set(running.url, stack.eventsSettled);
  return stack;
}

/** Subgraphs added by `pnpm new:subgraph`: started after the others, on free ports, told where the others are. */
const ADDED_SUBGRAPHS: Record<string, (env: Record<string, string | undefined>, options: { clock?: () => Date }) => Promise<RunningSubgraph>> = {
  notifications: startNotifications,
  billing: startBilling,
  analytics: startAnalytics,
  // new:subgraph starts
};

async function dropRedisKeys(url: string, namespace: string) {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) if (keys.length) await client.del(keys);
  } finally {
    await client.quit();
  }
}

export interface Response<T> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** A GraphQL call to the router, as a front end makes it. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<Response<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<Response<T>, "status">) };
}

/** A GraphQL call that must succeed: its data, or an Error naming the first error's code and message. */
export async function expectData<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await graphql<T>(url, query, variables, token);
  if (res.errors?.length) throw new Error(`${res.errors[0]!.extensions?.code}: ${res.errors[0]!.message} (${query.slice(0, 60)})`);
  return res.data as T;
}

/** Signs in through the router; the access token. */
export const signIn = async (url: string, email: string, password: string): Promise<string> =>
  (
    await expectData<{ login: { accessToken: string } }>(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
      e: email,
      p: password,
    })
  ).login.accessToken;
