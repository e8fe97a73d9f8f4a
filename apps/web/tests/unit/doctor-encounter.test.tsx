/**
 * The doctor's encounters: the actions each state allows (and only those are shown), the record form's input, a
 * patient registered at reception appearing in today's list without a reload, and a result arriving live on the
 * encounter page (with the review and finish it makes possible).
 */
import { TextDecoder, TextEncoder } from "node:util";
import { afterEach, describe, expect, it } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { MockLink, MockSubscriptionLink } from "@apollo/client/testing";
import { getMainDefinition } from "@apollo/client/utilities";
import "../../src/i18n";
import { encounterActions, recordChanged, recordForm, recordInput } from "../../src/pages/doctor/encounterModel";
import {
  DoctorEncounterDocument,
  DoctorEncountersDocument,
  MyDoctorDocument,
  OrderableServicesDocument,
  type DoctorEncounterQuery,
  type DoctorExaminationFieldsFragment,
} from "../../src/generated/operations";

// jsdom has no TextEncoder, which react-router needs when it loads: the modules using it are imported after this.
Object.assign(globalThis, { TextEncoder, TextDecoder });
const { MemoryRouter, Route, Routes } = await import("react-router");
const { Encounters } = await import("../../src/pages/doctor/Encounters");
const { EncounterPage } = await import("../../src/pages/doctor/EncounterPage");

afterEach(cleanup);

describe("encounter actions", () => {
  it("offers start and refuse on arrival, and the draft to the treating doctor only", () => {
    const arrived = { status: "ARRIVED", allowedTransitions: ["START", "REFUSE"], pendingExaminations: 0, records: [] };
    expect(encounterActions(arrived, true)).toMatchObject({ start: true, refuse: true, order: false, finish: false, editRecord: true, signRecord: false });
    const notMine = encounterActions({ ...arrived, allowedTransitions: [] }, false);
    expect(notMine).toMatchObject({ start: false, refuse: false, editRecord: false, signRecord: false, finishWaitsForExaminations: false });
  });

  it("says why FINISH is missing while examinations are ordered", () => {
    const waiting = { status: "IN_PROGRESS", allowedTransitions: ["ORDER_EXAMINATION", "REFUSE"], pendingExaminations: 2, records: [] };
    expect(encounterActions(waiting, true)).toMatchObject({ order: true, finish: false, finishWaitsForExaminations: true });
    const done = { ...waiting, allowedTransitions: ["ORDER_EXAMINATION", "FINISH", "REFUSE"], pendingExaminations: 0 };
    expect(encounterActions(done, true)).toMatchObject({ finish: true, finishWaitsForExaminations: false });
  });

  it("keeps a draft signable but no longer editable after the visit, and a signed note read-only", () => {
    const finishedDraft = { status: "FINISHED", allowedTransitions: [], pendingExaminations: 0, records: [{ id: "r1", status: "DRAFT" }] };
    expect(encounterActions(finishedDraft, true)).toMatchObject({ editRecord: false, signRecord: true, record: { id: "r1" } });
    const signed = { status: "IN_PROGRESS", allowedTransitions: ["FINISH"], pendingExaminations: 0, records: [{ id: "r2", status: "SIGNED" }] };
    expect(encounterActions(signed, true)).toMatchObject({ editRecord: false, signRecord: false });
  });

  it("sends the record form as a RecordInput: trimmed, blanks cleared, one prescription a line, the code upper-cased", () => {
    const form = { complaints: "  cough ", diagnosisCode: " j06.9", diagnosis: "", prescriptions: "Paracetamol 500 mg\n\n  Rest  \n", notes: " " };
    expect(recordInput(form)).toEqual({
      complaints: "cough",
      diagnosisCode: "J06.9",
      diagnosis: null,
      prescriptions: ["Paracetamol 500 mg", "Rest"],
      notes: null,
    });
    const saved = { complaints: "cough", diagnosisCode: "J06.9", diagnosis: null, prescriptions: ["Paracetamol 500 mg", "Rest"], notes: null };
    expect(recordChanged(form, saved)).toBe(false);
    expect(recordChanged({ ...recordForm(saved), notes: "new" }, saved)).toBe(true);
  });
});

const doctor = (id: string) => ({ __typename: "Doctor" as const, id, name: "Dr. Live", timezone: "Europe/Berlin" });

function myDoctorMock(id: string) {
  return {
    request: { query: MyDoctorDocument },
    maxUsageCount: Number.POSITIVE_INFINITY,
    result: { data: { myDoctor: { ...doctor(id), location: "Room 1", autoApprove: true } } },
  };
}

type Encounter = NonNullable<DoctorEncounterQuery["encounter"]>;

function examination(id: string, overrides: Partial<DoctorExaminationFieldsFragment> = {}) {
  return {
    __typename: "Examination" as const,
    id,
    status: "ORDERED" as const,
    orderedAt: "2026-05-04T08:10:00Z",
    performedAt: null,
    reviewedAt: null,
    cancelledAt: null,
    result: null,
    cancelReason: null,
    allowedTransitions: ["CANCEL"],
    service: { __typename: "MedicalService" as const, id: `svc-${id}`, name: `Blood count ${id}`, kind: "LAB_TEST" as const },
    ...overrides,
  };
}

function encounter(id: string, doctorId: string, patientName: string, overrides: Partial<Encounter> = {}) {
  return {
    __typename: "Encounter" as const,
    id,
    status: "ARRIVED" as const,
    arrivedAt: "2026-05-04T08:00:00Z",
    startedAt: null,
    endedAt: null,
    pendingExaminations: 0,
    allowedTransitions: ["START", "REFUSE"],
    patient: { __typename: "Patient" as const, id: `patient-${id}`, name: patientName },
    doctor: doctor(doctorId),
    appointment: null,
    summary: null,
    refusalReason: null,
    outcomeConfirmedAt: null,
    examinations: [] as ReturnType<typeof examination>[],
    ...overrides,
  };
}

/** A client whose queries and mutations answer from `mocks` and whose subscriptions the test feeds. */
function client(mocks: MockLink.MockedResponse[]) {
  const live = new MockSubscriptionLink();
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === "OperationDefinition" && definition.operation === "subscription";
    },
    live,
    new MockLink(mocks, { defaultOptions: { delay: 0 } }),
  );
  return { apollo: new ApolloClient({ link, cache: new InMemoryCache() }), live };
}

function update(type: string, enc: ReturnType<typeof encounter>, exam: ReturnType<typeof examination> | null = null, byMe = false) {
  return {
    result: {
      data: {
        myEncounterUpdates: {
          __typename: "EncounterUpdate",
          cursor: `c-${type}-${enc.id}`,
          type,
          at: "2026-05-04T09:00:00Z",
          byMe,
          encounter: enc,
          examination: exam,
        },
      },
    },
  };
}

describe("today's encounters", () => {
  it("shows a patient registered at reception without a reload, and announces them", async () => {
    const doctorId = "doc-list";
    const first = encounter("enc-list-1", doctorId, "Walter Waiting", { status: "IN_PROGRESS", allowedTransitions: [], pendingExaminations: 1 });
    const { apollo, live } = client([
      myDoctorMock(doctorId),
      { request: { query: DoctorEncountersDocument, variables: { date: null } }, result: { data: { encounters: [first] } } },
    ]);
    let subscribed = false;
    live.onSetup(() => (subscribed = true));
    render(
      <ApolloProvider client={apollo}>
        <MemoryRouter initialEntries={["/doctor/encounters"]}>
          <Encounters />
        </MemoryRouter>
      </ApolloProvider>,
    );
    const row = (await screen.findByRole("link", { name: "Walter Waiting" })).closest("tr")!;
    expect(within(row).getByText("In progress")).toBeTruthy();
    await waitFor(() => expect(subscribed).toBe(true));

    live.simulateResult(update("REGISTERED", encounter("enc-list-2", doctorId, "Rita Registered", { arrivedAt: "2026-05-04T08:30:00Z" })));
    const link = await screen.findByRole("link", { name: "Rita Registered" });
    expect(link.getAttribute("href")).toBe("/doctor/encounters/enc-list-2");
    expect(screen.getAllByTestId("encounter-row")).toHaveLength(2);
    expect(screen.getByText("Rita Registered has arrived.")).toBeTruthy();
  });
});

describe("the encounter page", () => {
  function renderPage(mocks: MockLink.MockedResponse[], id: string) {
    const { apollo, live } = client(mocks);
    render(
      <ApolloProvider client={apollo}>
        <MemoryRouter initialEntries={[`/doctor/encounters/${id}`]}>
          <Routes>
            <Route path="/doctor/encounters/:id" element={<EncounterPage />} />
          </Routes>
        </MemoryRouter>
      </ApolloProvider>,
    );
    return live;
  }

  it("on arrival offers to start or refuse, and the draft; nothing to order or finish yet", async () => {
    const doctorId = "doc-arrival";
    const enc = { ...encounter("enc-arrival", doctorId, "Anna Arrival"), records: [] };
    renderPage(
      [myDoctorMock(doctorId), { request: { query: DoctorEncounterDocument, variables: { id: enc.id } }, result: { data: { encounter: enc } } }],
      enc.id,
    );
    expect(await screen.findByRole("button", { name: "Start the encounter" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Refuse treatment…" })).toBeTruthy();
    expect(screen.getByLabelText("Complaints")).toBeTruthy();
    expect(screen.queryByLabelText("Examination to order")).toBeNull();
    expect(screen.queryByRole("button", { name: "Finish the visit" })).toBeNull();
    expect(screen.getByRole("link", { name: "Patient card of Anna Arrival" }).getAttribute("href")).toBe("/doctor/patients/patient-enc-arrival");

    fireEvent.click(screen.getByRole("button", { name: "Refuse treatment…" }));
    expect(screen.getByLabelText("Why treatment is refused")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Refuse treatment" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("orders only examination kinds, then shows a result arriving live and lets the doctor review it and finish", async () => {
    const doctorId = "doc-results";
    const ordered = examination("x-live");
    const enc = {
      ...encounter("enc-results", doctorId, "Paul Pending", {
        status: "IN_PROGRESS",
        startedAt: "2026-05-04T08:05:00Z",
        allowedTransitions: ["ORDER_EXAMINATION", "REFUSE"],
        pendingExaminations: 1,
        examinations: [ordered],
      }),
      records: [],
    };
    const service = (id: string, name: string, kind: string) => ({ __typename: "MedicalService", id, name, kind });
    const live = renderPage(
      [
        myDoctorMock(doctorId),
        { request: { query: DoctorEncounterDocument, variables: { id: enc.id } }, result: { data: { encounter: enc } } },
        {
          request: { query: OrderableServicesDocument },
          result: {
            data: {
              medicalServices: [
                service("s-xray", "Chest X-ray", "IMAGING"),
                service("s-consult", "Follow-up consultation", "CONSULTATION"),
                service("s-crp", "CRP", "LAB_TEST"),
              ],
            },
          },
        },
      ],
      enc.id,
    );
    expect(await screen.findByText("1 examination is still ordered: wait for its result or cancel it before finishing.")).toBeTruthy();
    const item = screen.getByTestId("examination");
    expect(within(item).getByText("Ordered")).toBeTruthy();
    expect(within(item).getByRole("button", { name: "Cancel…" })).toBeTruthy();
    expect(within(item).queryByRole("button", { name: /reviewed/ })).toBeNull();

    const select = screen.getByLabelText("Examination to order");
    await within(select).findByRole("option", { name: "CRP" });
    expect(within(select).getByRole("option", { name: "Chest X-ray" })).toBeTruthy();
    expect(within(select).queryByRole("option", { name: "Follow-up consultation" })).toBeNull();

    const performed = examination("x-live", {
      status: "PERFORMED",
      performedAt: "2026-05-04T08:40:00Z",
      result: "Hb 13.9 g/dL, within range",
      allowedTransitions: ["REVIEW"],
    });
    live.simulateResult(
      update(
        "EXAMINATION_PERFORMED",
        encounter(enc.id, doctorId, "Paul Pending", {
          status: "IN_PROGRESS",
          startedAt: "2026-05-04T08:05:00Z",
          allowedTransitions: ["ORDER_EXAMINATION", "FINISH", "REFUSE"],
          pendingExaminations: 0,
          examinations: [performed],
        }),
        performed,
      ),
    );
    expect(await screen.findByText("Hb 13.9 g/dL, within range")).toBeTruthy();
    expect(screen.getByText("A result has arrived: Blood count x-live.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Mark Blood count x-live as reviewed" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Finish the visit" })).toBeTruthy();
    expect(screen.getByLabelText("Summary for the patient (optional)")).toBeTruthy();
    expect(screen.queryByText(/still ordered/)).toBeNull();
  });
});
