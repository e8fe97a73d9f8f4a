/**
 * Router-level authorization from the schema, end to end.
 *
 * The role × operation matrix covers every Query, Mutation and Subscription field of the committed
 * supergraph: a new operation without a row in MATRIX fails "covers every operation". For each operation
 * and each kind of caller it sends the operation (arguments generated from the schema) through the router
 * and checks the router's own decision: denied callers get FORBIDDEN / UNAUTHENTICATED at the field's path
 * (`extensions.authorization: "router"`) and no subgraph is called; allowed callers pass the router (the
 * subgraph may still refuse a row they may not touch — those rules have their own matrices, e.g.
 * subgraphs/scheduling/tests/roleMatrix.int.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { Supergraph } from "@apollo/federation-internals";
import { REPO_ROOT, ROLES, type Role } from "@clinigraph/platform";
import { uniqueEmail } from "@clinigraph/testing";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

type Caller = "ANONYMOUS" | Role;
const CALLERS: readonly Caller[] = ["ANONYMOUS", ...ROLES];

/** Who passes the router, per operation. PUBLIC: everyone; SIGNED_IN: every role; else the roles named. */
const PUBLIC = "PUBLIC" as const;
const SIGNED_IN = "SIGNED_IN" as const;
type Rule = typeof PUBLIC | typeof SIGNED_IN | readonly Role[];

const MATRIX: Record<string, Rule> = {
  // accounts
  "Query.me": PUBLIC,
  "Query.patient": ["PATIENT", "DOCTOR", "RECEPTIONIST", "BILLING", "EXAMINER", "ADMIN"],
  "Query.patients": ["RECEPTIONIST", "BILLING", "EXAMINER", "ADMIN"],
  "Query.users": ["ADMIN"],
  "Query.auditLog": ["ADMIN"],
  "Query.myRecordAccess": ["PATIENT"],
  "Mutation.requestRegistrationCode": PUBLIC,
  "Mutation.registerPatient": PUBLIC,
  "Mutation.login": PUBLIC,
  "Mutation.refreshSession": PUBLIC,
  "Mutation.logout": PUBLIC,
  "Mutation.createStaffUser": ["ADMIN"],
  "Mutation.changePassword": SIGNED_IN,
  "Mutation.setPatientNationalId": ["RECEPTIONIST", "ADMIN"],
  // doctors
  "Query.doctors": PUBLIC,
  "Query.doctor": PUBLIC,
  "Query.specialties": PUBLIC,
  "Query.medicalServices": PUBLIC,
  "Mutation.createDoctor": ["ADMIN"],
  "Mutation.updateDoctor": ["ADMIN", "DOCTOR"],
  "Mutation.setWeeklySchedule": ["ADMIN", "DOCTOR"],
  "Mutation.addTimeOff": ["ADMIN", "DOCTOR"],
  "Mutation.createSpecialty": ["ADMIN"],
  "Mutation.updateSpecialty": ["ADMIN"],
  "Mutation.retireSpecialty": ["ADMIN"],
  "Mutation.restoreSpecialty": ["ADMIN"],
  "Mutation.createMedicalService": ["ADMIN"],
  "Mutation.updateMedicalService": ["ADMIN"],
  "Mutation.retireMedicalService": ["ADMIN"],
  "Mutation.restoreMedicalService": ["ADMIN"],
  // scheduling
  "Query.availableSlots": PUBLIC,
  "Query.appointment": SIGNED_IN,
  "Query.myAppointments": SIGNED_IN,
  "Query.calendar": ["DOCTOR", "RECEPTIONIST", "ADMIN"],
  "Query.myWaitlist": ["PATIENT"],
  "Query.myCareRelationships": ["DOCTOR"],
  "Mutation.requestAppointment": ["PATIENT", "RECEPTIONIST", "ADMIN"],
  "Mutation.approveAppointment": ["DOCTOR", "ADMIN"],
  "Mutation.rejectAppointment": ["DOCTOR", "ADMIN"],
  "Mutation.rescheduleAppointment": ["PATIENT", "ADMIN"],
  "Mutation.cancelAppointment": ["PATIENT", "ADMIN"],
  "Mutation.checkInAppointment": ["RECEPTIONIST", "ADMIN"],
  "Mutation.markNoShow": ["DOCTOR", "ADMIN"],
  "Mutation.fulfillAppointment": ["DOCTOR", "ADMIN"],
  "Mutation.joinWaitlist": ["PATIENT"],
  "Mutation.overbookAppointment": ["ADMIN"],
  "Mutation.submitFeedback": ["PATIENT"],
  "Mutation.syncDoctorSlots": ["DOCTOR", "ADMIN"],
  // clinical
  "Query.encounter": SIGNED_IN,
  "Query.encounters": ["DOCTOR", "RECEPTIONIST", "ADMIN"],
  "Query.examinationWorklist": ["EXAMINER", "ADMIN"],
  "Query.patientCard": ["DOCTOR", "PATIENT"],
  "Query.myDoctor": ["DOCTOR"],
  "Query.myEncounterPatients": ["DOCTOR"],
  "Query.clinicBoard": ["RECEPTIONIST", "ADMIN", "STAKEHOLDER"],
  "Mutation.registerWalkIn": ["RECEPTIONIST", "ADMIN"],
  "Mutation.startEncounter": ["DOCTOR"],
  "Mutation.orderExamination": ["DOCTOR"],
  "Mutation.performExamination": ["EXAMINER"],
  "Mutation.cancelExamination": ["EXAMINER", "DOCTOR"],
  "Mutation.reviewExamination": ["DOCTOR"],
  "Mutation.finishEncounter": ["DOCTOR"],
  "Mutation.refuseEncounter": ["DOCTOR"],
  "Mutation.confirmVisitOutcome": ["RECEPTIONIST"],
  "Mutation.saveRecordDraft": ["DOCTOR"],
  "Mutation.signRecord": ["DOCTOR"],
  "Mutation.amendRecord": ["DOCTOR"],
  // notifications
  "Query.myNotificationPreferences": SIGNED_IN,
  "Mutation.updateNotificationPreferences": SIGNED_IN,
  "Query.myNotifications": SIGNED_IN,
  "Query.notifications": ["ADMIN"],
  "Query.pushPublicKey": PUBLIC,
  "Mutation.registerPushSubscription": SIGNED_IN,
  "Mutation.unregisterPushSubscription": SIGNED_IN,
  // billing (recordPayment is the desk's: ADMIN holds no billing or reception scope)
  "Query.myInvoices": ["PATIENT"],
  "Query.invoice": SIGNED_IN,
  "Query.invoices": ["BILLING", "RECEPTIONIST", "ADMIN"],
  "Mutation.setServicePrice": ["BILLING", "ADMIN"],
  "Mutation.issueInvoice": ["BILLING", "ADMIN"],
  "Mutation.recordPayment": ["BILLING", "RECEPTIONIST"],
  "Query.invoicePdf": SIGNED_IN,
  "Mutation.payInvoice": ["PATIENT"],
  "Mutation.refundPayment": ["BILLING", "ADMIN"],
  "Mutation.issueCreditNote": ["BILLING", "ADMIN"],
  "Query.myBillingAccount": ["PATIENT"],
  // analytics
  "Query.kpis": ["STAKEHOLDER", "ADMIN"],
  "Query.kpisCsv": ["STAKEHOLDER", "ADMIN"],
  "Query.kpisByDoctor": ["STAKEHOLDER", "ADMIN"],
  "Query.kpisBySpecialty": ["STAKEHOLDER", "ADMIN"],
  "Query.topServices": ["STAKEHOLDER", "ADMIN"],
  "Query.load": ["STAKEHOLDER", "ADMIN"],
  "Subscription.kpisToday": ["STAKEHOLDER", "ADMIN"],
  "Query.analyticsStatus": SIGNED_IN,
  "Mutation.importVisitsCsv": ["ADMIN"],
  "Query.billingAccount": ["BILLING", "RECEPTIONIST", "ADMIN"],
  "Mutation.prepayAppointment": ["PATIENT"],
  "Mutation.applyCredit": ["BILLING", "RECEPTIONIST"],
  "Subscription.appointmentRequests": ["DOCTOR", "ADMIN"],
  "Subscription.myAppointmentUpdates": ["PATIENT"],
  "Subscription.clinicBoardUpdates": ["RECEPTIONIST", "ADMIN", "STAKEHOLDER"],
  "Subscription.myEncounterUpdates": ["DOCTOR"],
};

const allows = (rule: Rule, caller: Caller) => rule === PUBLIC || (caller !== "ANONYMOUS" && (rule === SIGNED_IN || rule.includes(caller)));

const supergraphSdl = readFileSync(path.join(REPO_ROOT, "schema", "supergraph.graphql"), "utf8");
const schema: GraphQLSchema = Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
const rootFields = (["Query", "Mutation", "Subscription"] as const).flatMap((root) => {
  const type = schema.getType(root);
  return type && "getFields" in type
    ? Object.values((type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()).map((f) => ({ root, field: f }))
    : [];
});

/** A value of the argument's type that passes GraphQL validation (not necessarily the subgraph's). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type))
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sample(f.type)]),
    );
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        return randomUUID();
      case "Int":
        return 1;
      case "Float":
        return 1.5;
      case "Boolean":
        return true;
      case "DateTime":
        return "2031-01-06T10:00:00Z";
      case "Date":
        return "1990-01-01";
      default:
        return "x";
    }
  }
  return null;
}

function operationFor(root: "Query" | "Mutation" | "Subscription", field: GraphQLField<unknown, unknown>) {
  const args = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type));
  const defs = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(", ")})` : "";
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? "" : " { __typename }";
  const keyword = root === "Query" ? "query" : root === "Mutation" ? "mutation" : "subscription";
  return {
    query: `${keyword} Matrix${defs ? `(${defs})` : ""} { ${field.name}${call}${selection} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, sample(a.type)])),
  };
}

let stack: Stack;
let url: string;
const tokens: Partial<Record<Caller, string>> = {};
/** An access token of a patient session that has been signed out (refused before any operation). */
let signedOut: string;
const clients: Client[] = [];

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const login = (email: string, password: string) => signIn(url, email, password);

async function subgraphRequests(): Promise<number> {
  const text = await (await fetch(url.replace("/graphql", "/metrics"))).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("clinigraph_router_subgraph_requests_total{"))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}

const routerDenial = (errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] | undefined, field: string) =>
  errors?.find((e) => e.extensions?.authorization === "router" && e.path?.[0] === field);

beforeAll(async () => {
  // Plenty of room for the matrix's few hundred requests from one address (per-user edge limits).
  stack = await startStack({ env: { RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "100000" } });
  url = stack.routerUrl;
  tokens.ADMIN = await login(stack.admin.email, stack.admin.password);
  const password = "Matrix-password-1";
  for (const role of ["RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER"] as const) {
    const email = uniqueEmail(role.toLowerCase());
    await ok(
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email, password, name: `Matrix ${role}`, role } },
      tokens.ADMIN,
    );
    tokens[role] = await login(email, password);
  }
  const doctorEmail = uniqueEmail("dr.matrix");
  await ok(
    `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`,
    { i: { email: doctorEmail, password, name: "Dr. Matrix", specialtyCode: "GP", timezone: "Europe/Berlin", serviceCodes: ["GENERAL_CHECKUP"] } },
    tokens.ADMIN,
  );
  tokens.DOCTOR = await login(doctorEmail, password);
  const patientEmail = uniqueEmail("matrix.patient");
  const reg = await ok<{ registerPatient: { accessToken: string; refreshToken: string } }>(
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken refreshToken } }`,
    { i: { email: patientEmail, password, name: "Matrix Patient" } },
  );
  // The first session signs out (its token is kept: the signed-out caller below); the patient signs in again.
  signedOut = reg.registerPatient.accessToken;
  await ok("mutation($r: String!) { logout(refreshToken: $r) }", { r: reg.registerPatient.refreshToken });
  tokens.PATIENT = await login(patientEmail, password);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

describe("role × operation matrix (generated from the supergraph)", () => {
  it("covers every operation of the supergraph, and nothing else", () => {
    const inSchema = rootFields.map(({ root, field }) => `${root}.${field.name}`).sort();
    expect(Object.keys(MATRIX).sort()).toEqual(inSchema);
  });

  const httpFields = rootFields.filter(({ root }) => root !== "Subscription");
  it.each(httpFields.map(({ root, field }) => [`${root}.${field.name}`, root, field] as const))("%s", async (coordinate, root, field) => {
    const rule = MATRIX[coordinate];
    if (!rule) throw new Error(`no row for ${coordinate}`);
    const { query, variables } = operationFor(root, field);
    for (const caller of CALLERS) {
      const before = await subgraphRequests();
      const res = await graphql(url, query, variables, tokens[caller]);
      const denial = routerDenial(res.errors, field.name);
      if (allows(rule, caller)) {
        expect({ caller, denial }).toEqual({ caller, denial: undefined });
      } else {
        expect({ caller, code: denial?.extensions?.code }).toEqual({ caller, code: caller === "ANONYMOUS" ? "UNAUTHENTICATED" : "FORBIDDEN" });
        expect({ caller, subgraphCalls: (await subgraphRequests()) - before }).toEqual({ caller, subgraphCalls: 0 });
      }
    }
  });

  it("a signed-out session's token is refused for every operation (401 UNAUTHENTICATED), with no subgraph call", async () => {
    for (const { root, field } of httpFields) {
      const { query, variables } = operationFor(root, field);
      const before = await subgraphRequests();
      const res = await graphql(url, query, variables, signedOut);
      expect({ operation: `${root}.${field.name}`, status: res.status, code: res.errors?.[0]?.extensions?.code, data: res.data }).toEqual({
        operation: `${root}.${field.name}`,
        status: 401,
        code: "UNAUTHENTICATED",
        data: undefined,
      });
      expect((await subgraphRequests()) - before).toBe(0);
    }
  });

  const subscriptionFields = rootFields.filter(({ root }) => root === "Subscription");
  it.each(subscriptionFields.map(({ field }) => [`Subscription.${field.name}`, field] as const))("%s", async (coordinate, field) => {
    const rule = MATRIX[coordinate]!;
    const { query, variables } = operationFor("Subscription", field);
    for (const caller of CALLERS.filter((c) => c !== "ANONYMOUS")) {
      // The router decides in graphql-ws `subscribe` before planning: a denial is the first (and only) answer.
      const client = createClient({
        url: url.replace("http", "ws"),
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${tokens[caller]}` },
      });
      clients.push(client);
      const polling = { stop: false };
      const outcome = await new Promise<{ denial?: Record<string, unknown> }>((resolve) => {
        const dispose = client.subscribe(
          { query, variables },
          {
            next: (result) => {
              const denial = routerDenial(result.errors as never, field.name);
              resolve(denial ? { denial: denial.extensions } : {});
              dispose();
            },
            error: (err) => {
              const errors = Array.isArray(err) ? err : [];
              const denial = routerDenial(errors, field.name);
              resolve(denial ? { denial: denial.extensions } : {});
            },
            complete: () => resolve({}),
          },
        );
        // An allowed subscription reaches the subgraph: the router opens (or shares) an upstream for it.
        void upstreams((n) => n > 0, polling).then(() => {
          resolve({});
          dispose();
        });
      });
      polling.stop = true;
      if (allows(rule, caller)) expect({ caller, denial: outcome.denial }).toEqual({ caller, denial: undefined });
      else expect({ caller, code: outcome.denial?.code }).toEqual({ caller, code: "FORBIDDEN" });
      await client.dispose();
      await upstreams((n) => n === 0, { stop: false }); // the next caller starts from none
    }
  });
});

/** Resolves once the router's number of upstream subscriptions (polled from /metrics) satisfies `ok`, or polling stops. */
async function upstreams(ok: (n: number) => boolean, polling: { stop: boolean }): Promise<void> {
  while (!polling.stop) {
    const text = await (await fetch(url.replace("/graphql", "/metrics"))).text();
    const line = text.split("\n").find((l) => l.startsWith("clinigraph_router_upstream_subscriptions "));
    if (ok(Number(line?.split(" ").pop() ?? 0))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("field-level rules and token claims", () => {
  const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;

  it("serves the rest of the answer when a field is removed: null at its path, FORBIDDEN there", async () => {
    const res = await graphql<{ specialties: unknown[]; patient: null }>(
      url,
      `
        query ($id: ID!) {
          specialties {
            code
          }
          patient(id: $id) {
            id
          }
        }
      `,
      { id: randomUUID() },
      tokens.STAKEHOLDER,
    );
    expect(res.data?.specialties.length).toBeGreaterThan(0);
    expect(res.data?.patient).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ["patient"], extensions: expect.objectContaining({ code: "FORBIDDEN", authorization: "router" }) }),
    ]);
  });

  it("removes a staff-only field from a patient's query, keeping its siblings", async () => {
    const res = await graphql<{ myAppointments: { pageInfo: { hasNextPage: boolean } } }>(
      url,
      `
        {
          myAppointments {
            edges {
              node {
                id
                needsAttention
              }
            }
            pageInfo {
              hasNextPage
            }
          }
        }
      `,
      {},
      tokens.PATIENT,
    );
    expect(res.data?.myAppointments.pageInfo.hasNextPage).toBe(false);
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["myAppointments", "edges", "node", "needsAttention"], "FORBIDDEN"]]);
    // The same field for staff passes the router.
    const staff = await graphql(
      url,
      `
        {
          myAppointments {
            edges {
              node {
                id
                needsAttention
              }
            }
          }
        }
      `,
      {},
      tokens.RECEPTIONIST,
    );
    expect(routerDenial(staff.errors, "myAppointments")).toBeUndefined();
  });

  it("asks anonymous callers to sign in (UNAUTHENTICATED), with no subgraph call for a denied mutation", async () => {
    const before = await subgraphRequests();
    const res = await graphql(
      url,
      `
        mutation ($id: ID!) {
          cancelAppointment(id: $id) {
            id
          }
        }
      `,
      { id: randomUUID() },
    );
    expect(res.data).toBeNull(); // Appointment! is non-null: the null reaches the root
    expect(res.errors?.[0]).toMatchObject({ path: ["cancelAppointment"], extensions: { code: "UNAUTHENTICATED" } });
    expect(await subgraphRequests()).toBe(before);
  });

  it("issues scopes from the role and keeps the sign-in time across refreshes (for recent_login)", async () => {
    const email = uniqueEmail("claims");
    const password = "Claims-password-1";
    const reg = await ok<{ registerPatient: { accessToken: string; refreshToken: string } }>(
      `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken refreshToken } }`,
      { i: { email, password, name: "Claims Patient" } },
    );
    const first = claims(reg.registerPatient.accessToken);
    expect(first).toMatchObject({ role: "PATIENT", scope: "patient" });
    expect(typeof first.auth_time).toBe("number");
    const refreshed = await ok<{ refreshSession: { accessToken: string } }>(`mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, {
      t: reg.registerPatient.refreshToken,
    });
    expect(Math.abs((claims(refreshed.refreshSession.accessToken).auth_time as number) - (first.auth_time as number))).toBeLessThanOrEqual(1);
    expect(claims(tokens.ADMIN!).scope).toBe("staff admin");
  });
});
