/**
 * The whole visit in the browser with the demo logins, each role in its own browser: a patient books the urgent-care
 * doctor for the next free time, reception checks them in and sees them on the clinic board, the doctor starts the
 * encounter and orders a blood test, the examiner records its result, the doctor reviews it, signs a note and
 * finishes, and reception confirms the outcome.
 */
import { describe, expect, it } from "@jest/globals";
import { openApp, signIn } from "./harness.js";
import { useClinic } from "./useClinic.js";

const clinic = useClinic();

describe("a visit from booking to the confirmed outcome", () => {
  it("patient books, reception checks in, doctor orders an exam, examiner performs it, doctor finishes, reception confirms", async () => {
    const patient = await openApp(clinic());
    const reception = await openApp(clinic());
    const doctor = await openApp(clinic());
    const examiner = await openApp(clinic());
    try {
      // The patient books Dr. Okafor's soonest free time (urgent care is open around the clock).
      await signIn(patient.page, "patient04@clinigraph.demo");
      await patient.page.getByLabel("Doctor's name").fill("Okafor");
      await patient.page.getByRole("button", { name: "Search" }).click();
      await patient.page.getByRole("link", { name: "Dr. Chidi Okafor" }).click();
      const slot = patient.page.locator(".week .slot").first();
      await slot.waitFor();
      const slotDay = await slot.evaluate((el) => el.closest(".day")?.querySelector("h3")?.textContent ?? "");
      await slot.click();
      await patient.page.getByRole("button", { name: "Book this time" }).click();
      await patient.page.getByTestId("appointment-status").getByText("Booked").waitFor();

      // Reception: today's arrivals → check in. (Near midnight the soonest time is tomorrow's: the patient then comes
      // in as a walk-in, the desk's other way onto the board.)
      await signIn(reception.page, "reception@clinigraph.demo");
      await reception.page.getByRole("heading", { name: "Today's arrivals" }).waitFor();
      const todayLabel = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "Europe/Berlin" }).format(new Date());
      if (slotDay === todayLabel) {
        await reception.page.getByRole("button", { name: "Check in David Demo" }).click();
        await reception.page.getByText("David Demo is checked in.").waitFor();
      } else {
        await reception.page.getByRole("link", { name: "Walk-in" }).click();
        await reception.page.getByLabel("Name, e-mail or national id").fill("David Demo");
        await reception.page.getByRole("button", { name: "Find" }).click();
        await reception.page.getByRole("button", { name: "Choose David Demo" }).click();
        await reception.page.getByLabel("Doctor's name").fill("Okafor");
        await reception.page
          .getByRole("button", { name: /Choose Dr. Chidi Okafor|Dr. Chidi Okafor/ })
          .first()
          .click();
        await reception.page.getByRole("button", { name: "Register arrival" }).click();
      }
      await reception.page.getByRole("navigation").getByRole("link", { name: "Clinic board" }).click();
      const boardRow = reception.page.getByRole("row").filter({ hasText: "David Demo" });
      await boardRow.getByText("Waiting").waitFor();

      // The doctor: encounters → the patient → start → order a blood test.
      await signIn(doctor.page, "dr.okafor@clinigraph.demo");
      await doctor.page.getByRole("navigation").getByRole("link", { name: "Encounters" }).click();
      await doctor.page.getByRole("link", { name: "David Demo" }).click();
      await doctor.page.getByRole("button", { name: "Start the encounter" }).click();
      await doctor.page.getByLabel("Examination to order").selectOption({ label: "Blood test (complete blood count)" });
      await doctor.page.getByRole("button", { name: "Order" }).click();
      await boardRow.getByText("At examination").waitFor(); // the board follows live

      // The examiner records the result from the worklist.
      await signIn(examiner.page, "examiner@clinigraph.demo");
      const item = examiner.page.getByRole("listitem").filter({ hasText: "David Demo" });
      await item.getByRole("button", { name: /Record result/ }).click();
      await examiner.page.getByLabel(/Result of Blood test/).fill("Haemoglobin 14.1 g/dL, within range");
      await examiner.page.getByRole("button", { name: "Save the result" }).click();
      await item.waitFor({ state: "detached" });

      // The doctor sees the result arrive, reviews it, signs a note and finishes.
      await doctor.page.getByText("Haemoglobin 14.1 g/dL, within range").waitFor();
      await doctor.page.getByRole("button", { name: /Mark Blood test .* as reviewed/ }).click();
      await doctor.page.getByLabel("Complaints").fill("Fatigue for two weeks");
      await doctor.page.getByLabel("Diagnosis", { exact: true }).fill("No anaemia");
      await doctor.page.getByRole("button", { name: "Save draft" }).click();
      await doctor.page.getByRole("button", { name: "Sign…" }).click();
      await doctor.page.getByRole("button", { name: "Sign the note" }).click();
      await doctor.page.getByText("The note is signed.").waitFor();
      await doctor.page.getByRole("button", { name: "Finish the visit" }).click();
      await doctor.page.getByText("The visit is finished.").waitFor();

      // Reception confirms the outcome on the board.
      await reception.page.getByRole("button", { name: "Confirm outcome: David Demo" }).click();
      await reception.page.getByText("Visit of David Demo closed.").waitFor();
      // The patient's card shows the signed note and the reviewed result.
      await patient.page.getByRole("navigation").getByRole("link", { name: "My card" }).click();
      await patient.page.getByText("No anaemia").waitFor();
      await expect(patient.page.getByText("Haemoglobin 14.1 g/dL, within range").count()).resolves.toBeGreaterThan(0);
    } finally {
      for (const role of [patient, reception, doctor, examiner]) await role.context.close();
    }
  });
});
