/**
 * What a signed-in patient does on the platform, for the load tests: searches free slots (`availableSlots`,
 * `first: 20`), opens a doctor's page (`doctor`, with prices from billing), books one of the slots found
 * (`requestAppointment`) and cancels a booking (`cancelAppointment`); a doctor approves or rejects requests. Every
 * request goes through the router over HTTP and is recorded as a `Sample` (when it was sent, how long it took, what
 * came back). The appointments the platform answered for are kept in a `BookingLedger`, which checks them against
 * scheduling's tables afterwards.
 */
import type http from "node:http";
import type { createPrisma } from "@clinigraph/scheduling";
import { answerError, networkError, type ErrorKind } from "./loadMath.js";
import { NetworkError, type GqlError, type GqlReply, type RouterClient } from "./routerClient.js";
import type { SeededDoctor } from "./seed.js";
import type { Session } from "./session.js";

export const SEARCH = `query ($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { id startsAt endsAt doctor { id name } } }`;
const DOCTOR = `query ($id: ID!) {
  doctor(id: $id) { id name location bio autoApprove specialty { code name } services { id name durationMinutes price { amountMinor currency } } }
}`;
const REQUEST = `mutation ($i: RequestAppointmentInput!) {
  requestAppointment(input: $i) { __typename ... on Appointment { id status startsAt } ... on SlotUnavailable { code message } }
}`;
const CANCEL = `mutation ($id: ID!) { cancelAppointment(id: $id, reason: "Load test") { id status } }`;
const APPROVE = `mutation ($id: ID!) { approveAppointment(id: $id) { id status } }`;
const REJECT = `mutation ($id: ID!) { rejectAppointment(id: $id, reason: "Load test") { id status } }`;

export type Op = "search" | "doctor" | "book" | "cancel" | "approve" | "reject" | "probe";
export type UserOp = "search" | "doctor" | "book" | "cancel";

/** One request: what, when it was sent (ms on the test's clock), how long until its answer or failure, and how it ended. */
export interface Sample {
  op: Op;
  at: number;
  ms: number;
  /** "ok", "SlotUnavailable <code>", or the error's label. */
  outcome: string;
  error: ErrorKind | null;
  /** An error's first message, path and subgraph (errors only). */
  detail?: string;
}

export interface TrafficUser {
  session: Session;
  /** The user's own keep-alive connection (a browser's); undefined: the client's shared pool. */
  agent?: http.Agent;
  /** The slots of its last search, which it books from. */
  lastSlots: { id: string; doctorId: string }[];
  /** Its appointments answered BOOKED, which it may cancel. */
  booked: string[];
}

/** A request waiting for its doctor's answer. */
export interface Pending {
  id: string;
  doctorId: string;
}

export const trafficUser = (session: Session, agent?: http.Agent): TrafficUser => ({ session, agent, lastSlots: [], booked: [] });

const DAY_MS = 24 * 3600_000;
/** Filters of the searches, in turn with the random pick: what patients filter the search page by. */
const SEARCH_SERVICES = ["SPECIALIST_CONSULT", "GENERAL_CHECKUP", "IMG_ULTRASOUND", "PROC_ECG"];

export class Traffic {
  readonly samples: Sample[] = [];
  readonly ledger = new BookingLedger();
  /** Requests sent and not answered yet. */
  inFlight = 0;
  private readonly specialties: string[];
  private readonly searchServices: string[];
  private readonly servicesOf: Map<string, string[]>;

  constructor(
    private readonly client: RouterClient,
    private readonly doctors: readonly SeededDoctor[],
    services: ReadonlyMap<string, string>,
    /** The test's clock: ms since its start. */
    private readonly clock: () => number,
    /** A request without an answer after this long fails (network ETIMEDOUT). */
    private readonly timeoutMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.specialties = [...new Set(doctors.map((d) => d.specialty))];
    this.searchServices = SEARCH_SERVICES.map((code) => services.get(code)).filter((id): id is string => Boolean(id));
    this.servicesOf = new Map(doctors.map((d) => [d.id, d.serviceIds]));
  }

  /** One action of a user: a booking without slots found, or a cancellation without a booking, is a search instead. */
  async act(op: UserOp, user: TrafficUser): Promise<{ pending?: Pending }> {
    if (op === "book" && user.lastSlots.length > 0) return this.book(user);
    if (op === "cancel" && user.booked.length > 0) await this.cancel(user);
    else if (op === "doctor") await this.lookupDoctor(user);
    else await this.search(user);
    return {};
  }

  /** Free slots over a week starting 1 to 21 days ahead, by specialty, service, doctor or unfiltered. */
  async search(user: TrafficUser, op: Op = "search"): Promise<void> {
    const from = Date.now() + (1 + Math.floor(this.random() * 21)) * DAY_MS;
    const filter: Record<string, string> = { from: new Date(from).toISOString(), to: new Date(from + 7 * DAY_MS).toISOString() };
    const kind = Math.floor(this.random() * 4);
    if (kind === 0) filter.specialty = this.pick(this.specialties);
    if (kind === 1 && this.searchServices.length) filter.serviceId = this.pick(this.searchServices);
    if (kind === 2) filter.doctorId = this.pick(this.doctors).id;
    const reply = await this.call<{ availableSlots: { id: string; doctor: { id: string } }[] }>(op, SEARCH, { f: filter, n: 20 }, user);
    const slots = reply?.data?.availableSlots;
    if (slots && op === "search") user.lastSlots = slots.map((s) => ({ id: s.id, doctorId: s.doctor.id }));
  }

  async lookupDoctor(user: TrafficUser): Promise<void> {
    await this.call("doctor", DOCTOR, { id: this.pick(this.doctors).id }, user);
  }

  /** Requests one of the slots of the user's last search; answers a PENDING appointment (it waits for the doctor). */
  async book(user: TrafficUser): Promise<{ pending?: Pending; booked?: string }> {
    const index = Math.floor(this.random() * user.lastSlots.length);
    const [slot] = user.lastSlots.splice(index, 1);
    const serviceId = this.servicesOf.get(slot!.doctorId)?.[0];
    const reply = await this.call<{ requestAppointment: { __typename: string; id?: string; status?: string; code?: string } }>(
      "book",
      REQUEST,
      { i: { slotId: slot!.id, serviceId, reason: "Load test" } },
      user,
      (result) => (result.requestAppointment.__typename === "SlotUnavailable" ? `SlotUnavailable ${result.requestAppointment.code}` : "ok"),
    );
    const result = reply?.data?.requestAppointment;
    if (result?.__typename !== "Appointment" || !result.id || !result.status) return {};
    this.ledger.answered(result.id, result.status);
    if (result.status === "BOOKED") user.booked.push(result.id);
    return result.status === "PENDING" ? { pending: { id: result.id, doctorId: slot!.doctorId } } : { booked: result.id };
  }

  /** Cancels one of the user's bookings (or the appointment `id`). */
  async cancel(user: TrafficUser, id?: string): Promise<boolean> {
    const which = id ?? user.booked.splice(Math.floor(this.random() * user.booked.length), 1)[0]!;
    return this.change("cancel", CANCEL, which, user, "cancelAppointment");
  }

  /** The doctor's answer to a PENDING request: approved (BOOKED) or rejected. Answers whether it went through. */
  async decide(doctor: TrafficUser, id: string, approve: boolean): Promise<boolean> {
    return approve ? this.change("approve", APPROVE, id, doctor, "approveAppointment") : this.change("reject", REJECT, id, doctor, "rejectAppointment");
  }

  /** A status change of appointment `id`: the ledger learns the answered status, or that the outcome is unknown. */
  private async change(op: Op, query: string, id: string, user: TrafficUser, field: string): Promise<boolean> {
    const reply = await this.call<Record<string, { status: string }>>(op, query, { id }, user);
    const status = reply?.data?.[field]?.status;
    if (status) this.ledger.answered(id, status);
    else if (!reply || reply.status >= 500) this.ledger.unknown(id); // it may have happened: no answer says otherwise
    return Boolean(status);
  }

  /**
   * Sends one operation as `user` and records its sample; null when no answer came (network error, timeout, or the
   * session could not be refreshed). `outcome` names a successful answer ("ok" by default).
   */
  async call<T>(op: Op, query: string, variables: Record<string, unknown>, user: TrafficUser, outcome?: (data: T) => string): Promise<GqlReply<T> | null> {
    const at = this.clock();
    let token: string;
    try {
      token = await user.session.token();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const error = { label: "client: refreshSession failed", serverFault: /HTTP 5\d\d| INTERNAL/.test(message), network: false };
      this.samples.push({ op, at, ms: this.clock() - at, outcome: error.label, error });
      return null;
    }
    this.inFlight++;
    try {
      const reply = await this.client.post<T>(query, variables, token, user.agent, this.timeoutMs);
      const error = answerError(reply);
      const first = reply.errors?.[0] as (GqlError & { path?: unknown[] }) | undefined;
      const detail =
        error && first
          ? `${first.message}${first.path ? ` at ${first.path.join(".")}` : ""}${first.extensions?.serviceName ? ` (${String(first.extensions.serviceName)})` : ""}`
          : undefined;
      this.samples.push({
        op,
        at,
        ms: reply.ms,
        outcome: error ? error.label : outcome && reply.data ? outcome(reply.data) : "ok",
        error,
        ...(detail ? { detail } : {}),
      });
      return reply;
    } catch (err) {
      const error = networkError(err instanceof NetworkError ? err.code : "ERR_CLIENT");
      this.samples.push({ op, at, ms: err instanceof NetworkError ? err.ms : this.clock() - at, outcome: error.label, error });
      return null;
    } finally {
      this.inFlight--;
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the platform answered, against what its database holds

const LIVE = ["PENDING", "BOOKED", "CHECKED_IN"];

export interface LedgerCheck {
  /** Appointments the platform answered for (requested, booked, cancelled, approved, rejected). */
  answered: number;
  /** … of which the database has no row: lost. */
  missing: number;
  /** … whose status is not the last one answered (a PENDING one may have EXPIRED meanwhile). */
  wrongStatus: number;
  /** Slots with more than one live appointment (PENDING, BOOKED, CHECKED_IN): a double booking. */
  slotsWithSeveralLive: number;
  /** Live appointments whose slot is not BUSY. */
  liveOnFreeSlot: number;
  /** Live appointments the load test was never answered for (e.g. a request that timed out after committing). */
  liveUnknownToTest: number;
  samples: string[];
  ok: boolean;
}

export class BookingLedger {
  /** Appointment id → the last status answered for it; null once an answer was lost (it may or may not have changed). */
  private readonly expected = new Map<string, string | null>();

  answered(id: string, status: string) {
    this.expected.set(id, status);
  }

  unknown(id: string) {
    this.expected.set(id, null);
  }

  get size() {
    return this.expected.size;
  }

  /** Checks every answered appointment and every slot in scheduling's tables. */
  async check(prisma: ReturnType<typeof createPrisma>): Promise<LedgerCheck> {
    const ids = [...this.expected.keys()];
    const found = new Map<string, string>();
    for (let from = 0; from < ids.length; from += 5_000) {
      const rows = await prisma.appointment.findMany({ where: { id: { in: ids.slice(from, from + 5_000) } }, select: { id: true, status: true } });
      for (const row of rows) found.set(row.id, row.status);
    }
    const samples: string[] = [];
    let missing = 0;
    let wrongStatus = 0;
    for (const [id, status] of this.expected) {
      const actual = found.get(id);
      if (actual === undefined) {
        missing++;
        if (samples.length < 5) samples.push(`appointment ${id} answered ${status ?? "(answer lost)"} is not in the database`);
      } else if (status !== null && actual !== status && !(status === "PENDING" && actual === "EXPIRED")) {
        wrongStatus++;
        if (samples.length < 5) samples.push(`appointment ${id} answered ${status} is ${actual}`);
      }
    }
    const live = LIVE.map((s) => `'${s}'`).join(", ");
    const [several] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (SELECT slot_id FROM scheduling.appointments WHERE status::text IN (${live}) AND slot_id IS NOT NULL GROUP BY slot_id HAVING count(*) > 1) t`,
    );
    const [onFree] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM scheduling.appointments a JOIN scheduling.slots s ON s.id = a.slot_id WHERE a.status::text IN (${live}) AND s.status::text <> 'BUSY'`,
    );
    const liveIds = await prisma.appointment.findMany({ where: { status: { in: ["PENDING", "BOOKED", "CHECKED_IN"] } }, select: { id: true } });
    const result = {
      answered: ids.length,
      missing,
      wrongStatus,
      slotsWithSeveralLive: several?.n ?? 0,
      liveOnFreeSlot: onFree?.n ?? 0,
      liveUnknownToTest: liveIds.filter((row) => !this.expected.has(row.id)).length,
      samples,
    };
    return { ...result, ok: missing === 0 && wrongStatus === 0 && result.slotsWithSeveralLive === 0 && result.liveOnFreeSlot === 0 };
  }
}
