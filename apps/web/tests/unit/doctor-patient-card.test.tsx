/**
 * The patient card for doctors: history by visit, newest first, each visit with its notes and examinations (results
 * and cancellations), entries of no listed visit kept in a group of their own.
 */
import { TextDecoder, TextEncoder } from "node:util";
import { afterEach, describe, expect, it } from "@jest/globals";
import { cleanup, render, screen, within } from "@testing-library/react";
import { MockedProvider } from "@apollo/client/testing/react";
import "../../src/i18n";
import { DoctorPatientCardDocument, MyDoctorDocument } from "../../src/generated/operations";

// jsdom has no TextEncoder, which react-router needs when it loads: the modules using it are imported after this.
Object.assign(globalThis, { TextEncoder, TextDecoder });
const { MemoryRouter, Route, Routes } = await import("react-router");
const { PatientCard, historyByVisit } = await import("../../src/pages/doctor/PatientCard");

afterEach(cleanup);

const doctor = { __typename: "Doctor", id: "d-card", name: "Dr. Card", timezone: "Europe/Paris" };

function visit(id: string, arrivedAt: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    __typename: "Encounter",
    id,
    status,
    arrivedAt,
    startedAt: null,
    endedAt: null,
    summary: null,
    refusalReason: null,
    doctor,
    appointment: null,
    ...extra,
  };
}

function record(id: string, encounterId: string | null, status: string, diagnosis: string) {
  return {
    __typename: "MedicalRecordEntry",
    id,
    status,
    version: status === "AMENDED" ? 2 : 1,
    complaints: null,
    diagnosisCode: "J06.9",
    diagnosis,
    prescriptions: ["Rest"],
    notes: null,
    amendReason: status === "AMENDED" ? "Code corrected" : null,
    createdAt: "2026-01-01T10:00:00Z",
    signedAt: status === "DRAFT" ? null : "2026-01-01T11:00:00Z",
    encounter: encounterId ? { __typename: "Encounter", id: encounterId } : null,
  };
}

function exam(id: string, encounterId: string, status: string, result: string | null, cancelReason: string | null = null) {
  return {
    __typename: "Examination",
    id,
    status,
    orderedAt: "2026-01-01T10:10:00Z",
    performedAt: result ? "2026-01-01T10:30:00Z" : null,
    reviewedAt: null,
    cancelledAt: cancelReason ? "2026-01-01T10:20:00Z" : null,
    result,
    cancelReason,
    allowedTransitions: [],
    service: { __typename: "MedicalService", id: `svc-${id}`, name: `Service ${id}`, kind: "LAB_TEST" },
    encounter: { __typename: "Encounter", id: encounterId },
  };
}

const card = {
  __typename: "PatientCard",
  patient: { __typename: "Patient", id: "p-card", name: "Hannah History", dateOfBirth: "1990-06-15", gender: "FEMALE" },
  encounters: [
    visit("v-old", "2025-11-02T09:00:00Z", "FINISHED", { summary: "Recovered well." }),
    visit("v-new", "2026-01-01T09:00:00Z", "REFUSED", { refusalReason: "Not this specialty." }),
  ],
  records: [record("r-old", "v-old", "AMENDED", "Acute URTI"), record("r-loose", "v-gone", "SIGNED", "Imported note")],
  examinations: [exam("x-done", "v-old", "REVIEWED", "CRP 4 mg/L"), exam("x-cancel", "v-new", "CANCELLED", null, "Sample haemolysed")],
};

describe("patient card", () => {
  it("groups the history by visit, newest first, and keeps unmatched entries last", () => {
    const groups = historyByVisit(card as never);
    expect(groups.map((g) => g.encounter?.id ?? null)).toEqual(["v-new", "v-old", null]);
    expect(groups[1]!.records.map((r) => r.id)).toEqual(["r-old"]);
    expect(groups[1]!.examinations.map((x) => x.id)).toEqual(["x-done"]);
    expect(groups[2]!.records.map((r) => r.id)).toEqual(["r-loose"]);
  });

  it("shows the patient and each visit with its outcome, notes and examinations", async () => {
    render(
      <MockedProvider
        mocks={[
          { request: { query: MyDoctorDocument }, result: { data: { myDoctor: { ...doctor, location: null, autoApprove: false } } } },
          { request: { query: DoctorPatientCardDocument, variables: { patientId: "p-card" } }, result: { data: { patientCard: card } } },
        ]}
      >
        <MemoryRouter initialEntries={["/doctor/patients/p-card"]}>
          <Routes>
            <Route path="/doctor/patients/:id" element={<PatientCard />} />
          </Routes>
        </MemoryRouter>
      </MockedProvider>,
    );
    expect(await screen.findByRole("heading", { level: 1, name: "Patient card: Hannah History" })).toBeTruthy();
    expect(screen.getByText("Female")).toBeTruthy();
    const [newest, older, loose] = screen.getAllByTestId("card-visit");
    expect(within(newest!).getByText("Treatment refused", { selector: ".status" })).toBeTruthy();
    expect(within(newest!).getByText("Not this specialty.")).toBeTruthy();
    expect(within(newest!).getByText("Cancelled: Sample haemolysed")).toBeTruthy();
    expect(within(older!).getByText("Recovered well.")).toBeTruthy();
    expect(within(older!).getByText("J06.9 — Acute URTI")).toBeTruthy();
    expect(within(older!).getByText("Code corrected")).toBeTruthy();
    expect(within(older!).getByText("CRP 4 mg/L")).toBeTruthy();
    expect(within(older!).getByRole("link", { name: "Open the visit" }).getAttribute("href")).toBe("/doctor/encounters/v-old");
    expect(within(loose!).getByRole("heading", { name: "Other entries" })).toBeTruthy();
  });
});
