/**
 * The examiners' worklist: who and what is waiting (ordered time in the ordering doctor's zone), changes by others
 * announced politely, and an examination performed with its result leaving the list.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MockedProvider } from "@apollo/client/testing/react";
import type { MockLink } from "@apollo/client/testing";
import "../../src/i18n";
import { Worklist } from "../../src/pages/examiner/Worklist";
import { worklistChange } from "../../src/pages/examiner/worklistModel";
import { ExaminationWorklistDocument, ExaminerCancelExaminationDocument, PerformExaminationDocument } from "../../src/generated/operations";

afterEach(cleanup);

function item(id: string, patient: string, service: string, orderedAt: string, allowedTransitions = ["PERFORM", "CANCEL"]) {
  return {
    __typename: "Examination",
    id,
    status: "ORDERED",
    orderedAt,
    allowedTransitions,
    service: { __typename: "MedicalService", id: `svc-${id}`, name: service, kind: "IMAGING" },
    patient: { __typename: "Patient", id: `p-${id}`, name: patient, dateOfBirth: "1980-02-29" },
    encounter: { __typename: "Encounter", id: `e-${id}`, doctor: { __typename: "Doctor", id: "d-w", name: "Dr. Order", timezone: "Asia/Seoul" } },
  };
}

const worklist = (items: ReturnType<typeof item>[]): MockLink.MockedResponse => ({
  request: { query: ExaminationWorklistDocument, variables: { first: 200 } },
  result: { data: { examinationWorklist: items } },
});

describe("worklist changes", () => {
  it("tells new orders from examinations taken elsewhere, leaving out this examiner's own", () => {
    expect(worklistChange(["a", "b", "c"], ["b", "d"], new Set(["a"]))).toEqual({ added: ["d"], removed: ["c"] });
    expect(worklistChange([], [])).toEqual({ added: [], removed: [] });
  });
});

describe("the worklist page", () => {
  it("shows patient, service, ordered time in the doctor's zone; announces changes; a performed examination leaves", async () => {
    const first = item("w-perform", "Petra Perform", "Knee MRI", "2026-05-04T00:15:00Z");
    const second = item("w-other", "Otto Other", "Chest X-ray", "2026-05-04T00:20:00Z");
    const third = item("w-new", "Nina New", "Ultrasound", "2026-05-04T00:45:00Z");
    render(
      <MockedProvider
        mocks={[
          worklist([first, second]),
          worklist([first, second, third]), // the refresh button
          {
            request: { query: PerformExaminationDocument, variables: { id: first.id, result: "No effusion. Menisci intact." } },
            result: {
              data: {
                performExamination: {
                  __typename: "Examination",
                  id: first.id,
                  status: "PERFORMED",
                  performedAt: "2026-05-04T01:00:00Z",
                  allowedTransitions: [],
                },
              },
            },
          },
          worklist([third]), // read again after performing: the other one was taken elsewhere
        ]}
      >
        <Worklist />
      </MockedProvider>,
    );
    const items = await screen.findAllByTestId("worklist-item");
    expect(items).toHaveLength(2);
    const petra = items[0]!;
    expect(within(petra).getByText("Knee MRI")).toBeTruthy();
    expect(within(petra).getByText(/Petra Perform/)).toBeTruthy();
    // 00:15Z is 09:15 in Seoul, with the zone named.
    expect(within(petra).getByText(/Ordered .*09:15.* by Dr\. Order/).textContent).toMatch(/GMT\+9|KST/);

    fireEvent.click(screen.getByRole("button", { name: "Refresh now" }));
    expect(await screen.findByText("1 new examination on the list.")).toBeTruthy();
    expect(screen.getAllByTestId("worklist-item")).toHaveLength(3);

    fireEvent.click(within(petra).getByRole("button", { name: "Record result…" }));
    const result = within(petra).getByLabelText("Result of Knee MRI");
    const save = within(petra).getByRole("button", { name: "Save the result" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(result, { target: { value: " No effusion. Menisci intact. " } });
    fireEvent.click(save);

    expect(await screen.findByText("Result saved: Knee MRI for Petra Perform.")).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("worklist-item")).toHaveLength(1));
    expect(screen.queryByText("Knee MRI")).toBeNull();
    expect(await screen.findByText("1 examination left the list (taken or cancelled elsewhere).")).toBeTruthy();
  });

  it("cancels only with a reason, and offers nothing a caller may not do", async () => {
    const cancellable = item("w-cancel", "Carl Cancel", "Lipid panel", "2026-05-05T02:00:00Z");
    const readOnly = item("w-admin", "Ada Admin", "Abdomen CT", "2026-05-05T02:05:00Z", []);
    render(
      <MockedProvider
        mocks={[
          worklist([cancellable, readOnly]),
          {
            request: { query: ExaminerCancelExaminationDocument, variables: { id: cancellable.id, reason: "Patient left before sampling" } },
            result: {
              data: {
                cancelExamination: {
                  __typename: "Examination",
                  id: cancellable.id,
                  status: "CANCELLED",
                  cancelledAt: "2026-05-05T03:00:00Z",
                  allowedTransitions: [],
                },
              },
            },
          },
          worklist([readOnly]),
        ]}
      >
        <Worklist />
      </MockedProvider>,
    );
    const [carl, ada] = await screen.findAllByTestId("worklist-item");
    expect(within(ada!).queryAllByRole("button")).toHaveLength(0);
    fireEvent.click(within(carl!).getByRole("button", { name: "Cancel…" }));
    const confirm = within(carl!).getByRole("button", { name: "Cancel the examination" }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(carl!).getByLabelText("Why the examination cannot be performed"), { target: { value: "Patient left before sampling" } });
    fireEvent.click(confirm);
    expect(await screen.findByText("Cancelled: Lipid panel for Carl Cancel.")).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("worklist-item")).toHaveLength(1));
  });
});
