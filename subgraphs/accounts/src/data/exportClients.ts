/**
 * The parts of a patient's data export that other subgraphs hold, read through each subgraph's OWN GraphQL API with
 * the PATIENT's identity, signed like the router signs it (callSubgraphAs, ADR 0002): each subgraph applies its own
 * policy to the patient, so the export holds exactly what the patient may read, whoever requested it
 * (docs/adr/0027-patient-data-export.md). Every connection is read to its end, 100 entries a page.
 *
 * Each part is a `collect*` function over an `ask` (one GraphQL operation → its data), so the paging and the mapping
 * are tested without the network (tests/dataExportAssembly.test.ts); `createExportSources` binds them to the
 * subgraphs' URLs.
 */
import { callSubgraphAs } from "@clinigraph/platform";
import { MAX_EXPORT_PAGES, type ExportContext, type PatientDataSource } from "../domain/dataExport.js";
import type { Actor } from "../domain/types.js";

/** One GraphQL operation against one subgraph, as the patient: its data (throws when there is none). */
export type Ask = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

export class ExportSourceUnavailable extends Error {
  override name = "ExportSourceUnavailable";
}

type Json = Record<string, unknown>;
interface Page {
  edges: { node: Json }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PAGE = 100;

/** Every node of a connection: `field` of the answer to `query` (variables `$first`, `$after`), page after page. */
export async function readAllPages(ask: Ask, field: string, query: string, variables: Json = {}): Promise<Json[]> {
  const nodes: Json[] = [];
  const seen = new Set<string>();
  let after: string | null = null;
  for (let page = 0; ; page++) {
    if (page >= MAX_EXPORT_PAGES) throw new ExportSourceUnavailable(`${field}: more than ${MAX_EXPORT_PAGES} pages`);
    const data = await ask(query, { ...variables, first: PAGE, after });
    const connection = data[field] as Page | null | undefined;
    if (!connection || !Array.isArray(connection.edges) || !connection.pageInfo) throw new ExportSourceUnavailable(`${field}: no connection in the answer`);
    nodes.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage) return nodes;
    const cursor = connection.pageInfo.endCursor;
    // A page that promises more without a new cursor would loop forever.
    if (!cursor || seen.has(cursor)) throw new ExportSourceUnavailable(`${field}: the next page has no new cursor`);
    seen.add(cursor);
    after = cursor;
  }
}

/** `{ id }` of an entity reference (or null) → its id. */
const idOf = (ref: unknown): string | null => (ref && typeof ref === "object" && typeof (ref as Json).id === "string" ? ((ref as Json).id as string) : null);

// ---------------------------------------------------------------------------------------------------------------
// scheduling: appointments (history, feedback) and the waitlist

const APPOINTMENTS = `query($first: Int, $after: String) {
  myAppointments(first: $first, after: $after) {
    edges { node {
      id startsAt endsAt status reason holdExpiresAt overbooked
      doctor { id } service { id }
      history { at actorId actorRole action fromStatus toStatus fromStartsAt toStartsAt reason }
      feedback { rating comment submittedAt }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const WAITLIST = `{ myWaitlist { id from to status createdAt doctor { id } service { id } offeredAppointment { id } } }`;

export async function collectScheduling(ask: Ask): Promise<Json> {
  const appointments = await readAllPages(ask, "myAppointments", APPOINTMENTS);
  const waitlist = (await ask(WAITLIST)).myWaitlist;
  if (!Array.isArray(waitlist)) throw new ExportSourceUnavailable("myWaitlist: no list in the answer");
  return {
    appointments: appointments.map(({ doctor, service, ...rest }) => ({ ...rest, doctorId: idOf(doctor), serviceId: idOf(service) })),
    waitlist: (waitlist as Json[]).map(({ doctor, service, offeredAppointment, ...rest }) => ({
      ...rest,
      doctorId: idOf(doctor),
      serviceId: idOf(service),
      offeredAppointmentId: idOf(offeredAppointment),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// clinical: the patient's card (encounters, signed record entries, examinations with results)

const RECORD_FIELDS = "id status version complaints diagnosisCode diagnosis prescriptions notes amendReason createdAt signedAt";
const PATIENT_CARD = `query($p: ID!) {
  patientCard(patientId: $p) {
    encounters { id status arrivedAt startedAt endedAt summary refusalReason outcomeConfirmedAt doctor { id } appointment { id } }
    records { ${RECORD_FIELDS} encounter { id } history { ${RECORD_FIELDS} } }
    examinations { id status orderedAt performedAt reviewedAt cancelledAt result cancelReason encounter { id } service { id } }
  }
}`;

export async function collectClinical(ask: Ask, patientId: string): Promise<Json> {
  const card = (await ask(PATIENT_CARD, { p: patientId })).patientCard as Record<string, Json[]> | null;
  // Null only when clinical cannot answer (its fault isolation): not "nothing".
  if (!card) throw new ExportSourceUnavailable("patientCard: clinical could not answer");
  return {
    encounters: card.encounters!.map(({ doctor, appointment, ...rest }) => ({ ...rest, doctorId: idOf(doctor), appointmentId: idOf(appointment) })),
    records: card.records!.map(({ encounter, ...rest }) => ({ ...rest, encounterId: idOf(encounter) })),
    examinations: card.examinations!.map(({ encounter, service, ...rest }) => ({ ...rest, encounterId: idOf(encounter), serviceId: idOf(service) })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// billing: invoices with their payments, the account, and prepayments of appointments

const MONEY = "{ amountMinor currency }";
const PAYMENT = `id kind method amount ${MONEY} credit ${MONEY} creditLeft ${MONEY} refunded ${MONEY} reason createdAt`;
const INVOICES = `query($first: Int, $after: String) {
  myInvoices(first: $first, after: $after) {
    edges { node {
      id number status kind reason visitDate issuedAt creditFor { id }
      net ${MONEY} tax ${MONEY} total ${MONEY} paid ${MONEY} balance ${MONEY}
      lines { description quantity taxRateBp unitPrice ${MONEY} net ${MONEY} tax ${MONEY} total ${MONEY} service { id } }
      payments { ${PAYMENT} }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ACCOUNT = `{ myBillingAccount { credit ${MONEY} prepaid ${MONEY} outstanding ${MONEY} } }`;
const PREPAYMENTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Appointment { id prepayment { ${PAYMENT} invoice { id } } } } }`;
/** Representations per `_entities` call. */
const ENTITY_CHUNK = 100;

export async function collectBilling(ask: Ask, context: ExportContext): Promise<Json> {
  const invoices = await readAllPages(ask, "myInvoices", INVOICES);
  const account = (await ask(ACCOUNT)).myBillingAccount ?? null;
  const prepayments: Json[] = [];
  for (let i = 0; i < context.appointmentIds.length; i += ENTITY_CHUNK) {
    const representations = context.appointmentIds.slice(i, i + ENTITY_CHUNK).map((id) => ({ __typename: "Appointment", id }));
    const entities = (await ask(PREPAYMENTS, { r: representations }))._entities;
    if (!Array.isArray(entities)) throw new ExportSourceUnavailable("_entities: no list in the answer");
    for (const entity of entities as (Json | null)[]) {
      const prepayment = entity?.prepayment as Json | null | undefined;
      if (!prepayment) continue;
      const { invoice, ...rest } = prepayment;
      prepayments.push({ ...rest, appointmentId: entity!.id, invoiceId: idOf(invoice) });
    }
  }
  return {
    account,
    invoices: invoices.map(({ creditFor, lines, ...rest }) => ({
      ...rest,
      creditForInvoiceId: idOf(creditFor),
      lines: (lines as Json[]).map(({ service, ...line }) => ({ ...line, serviceId: idOf(service) })),
    })),
    prepayments,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// notifications: the delivery log and the preferences

const NOTIFICATIONS = `query($first: Int, $after: String) {
  myNotifications(first: $first, after: $after) {
    edges { node { id kind channel subject status dueAt sentAt createdAt attempts lastError appointmentId recipientId } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const PREFERENCES = `{ myNotificationPreferences { language channels reminderOffsetsMinutes } }`;

export async function collectNotifications(ask: Ask): Promise<Json> {
  const deliveries = await readAllPages(ask, "myNotifications", NOTIFICATIONS);
  const preferences = (await ask(PREFERENCES)).myNotificationPreferences ?? null;
  return { preferences, deliveries };
}

// ---------------------------------------------------------------------------------------------------------------
// doctors: the names of the doctors and medical services the other parts refer to by id

const DIRECTORY = `query($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Doctor { __typename id name specialty { name } }
    ... on MedicalService { __typename id code name kind }
  }
}`;

/** The doctors and services named by id in the parts before (a retired service or an inactive doctor included). */
export async function collectDirectory(ask: Ask, context: ExportContext): Promise<Json> {
  const representations = [
    ...[...context.doctorIds].sort().map((id) => ({ __typename: "Doctor", id })),
    ...[...context.serviceIds].sort().map((id) => ({ __typename: "MedicalService", id })),
  ];
  const doctors: Json[] = [];
  const services: Json[] = [];
  for (let i = 0; i < representations.length; i += ENTITY_CHUNK) {
    const entities = (await ask(DIRECTORY, { r: representations.slice(i, i + ENTITY_CHUNK) }))._entities;
    if (!Array.isArray(entities)) throw new ExportSourceUnavailable("_entities: no list in the answer");
    for (const entity of entities as (Json | null)[]) {
      if (!entity) continue; // an id doctors does not know (nothing to name)
      const { __typename, specialty, ...rest } = entity;
      if (__typename === "Doctor") doctors.push({ ...rest, specialty: (specialty as Json | null)?.name ?? null });
      else services.push(rest);
    }
  }
  return { doctors, services };
}

/** Remembers every id in `ids` that is a string. */
const remember = (into: Set<string>, ...ids: unknown[]) => {
  for (const id of ids) if (typeof id === "string") into.add(id);
};

// ---------------------------------------------------------------------------------------------------------------
// Binding to the subgraphs

/** Where the subgraphs are (null: that part is left out of the document, with a note). Asked at each export. */
export interface ExportSubgraphUrls {
  scheduling: string | null;
  clinical: string | null;
  billing: string | null;
  notifications: string | null;
  /** Asked last: it names the doctors and services of the parts before. */
  doctors: string | null;
}

export interface ExportSourceOptions {
  urls: () => ExportSubgraphUrls;
  routerSecrets: readonly string[];
  timeoutMs?: number;
}

/** An `ask` against `url` with the patient's identity; any error, or no data, is ExportSourceUnavailable. */
export function askAs(options: Omit<ExportSourceOptions, "urls"> & { url: string; part: string }, patient: Actor): Ask {
  return (query, variables = {}) =>
    callSubgraphAs<Record<string, unknown>>({
      url: options.url,
      routerSecrets: options.routerSecrets,
      timeoutMs: options.timeoutMs ?? 10_000,
      caller: { userId: patient.userId, role: "PATIENT", requestId: patient.requestId },
      query,
      variables,
      unavailable: (message) => new ExportSourceUnavailable(`${options.part}: ${message}`),
    });
}

/** The parts in the order they are collected (scheduling first: billing asks about its appointments). */
export function createExportSources(options: ExportSourceOptions): PatientDataSource[] {
  const part = (
    name: keyof ExportSubgraphUrls,
    collect: (ask: Ask, patient: Actor, context: ExportContext) => Promise<Json>,
    learn?: PatientDataSource["learn"],
  ): PatientDataSource => ({
    part: name,
    async collect(patient, context) {
      const url = options.urls()[name];
      if (!url) return { unavailable: `The ${name} service is not connected to this installation` };
      return collect(askAs({ ...options, url, part: name }, patient), patient, context);
    },
    learn,
  });
  return [
    part(
      "scheduling",
      (ask) => collectScheduling(ask),
      (collected, context) => {
        const { appointments = [], waitlist = [] } = collected as { appointments?: Json[]; waitlist?: Json[] };
        context.appointmentIds.push(...appointments.map((a) => a.id as string));
        for (const entry of [...appointments, ...waitlist]) {
          remember(context.doctorIds, entry.doctorId);
          remember(context.serviceIds, entry.serviceId);
        }
      },
    ),
    part(
      "clinical",
      (ask, patient) => collectClinical(ask, patient.userId),
      (collected, context) => {
        const { encounters = [], examinations = [] } = collected as { encounters?: Json[]; examinations?: Json[] };
        for (const encounter of encounters) remember(context.doctorIds, encounter.doctorId);
        for (const examination of examinations) remember(context.serviceIds, examination.serviceId);
      },
    ),
    part(
      "billing",
      (ask, _patient, context) => collectBilling(ask, context),
      (collected, context) => {
        for (const invoice of (collected as { invoices?: { lines?: Json[] }[] }).invoices ?? [])
          for (const line of invoice.lines ?? []) remember(context.serviceIds, line.serviceId);
      },
    ),
    part("notifications", (ask) => collectNotifications(ask)),
    part("doctors", (ask, _patient, context) => collectDirectory(ask, context)),
  ];
}
