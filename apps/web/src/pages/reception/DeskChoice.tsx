/** The patient and the doctor chosen at the desk, and what was done for them (a booking, a walk-in): a new choice clears it. */
import { useState } from "react";
import { PatientPicker, type PickedPatient } from "./PatientPicker";
import { DoctorPicker, type PickedDoctor } from "./DoctorPicker";

export function useDeskChoice<Done>() {
  const [patient, setPatient] = useState<PickedPatient | null>(null);
  const [doctor, setDoctor] = useState<PickedDoctor | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  return {
    patient,
    doctor,
    done,
    setDone,
    choosePatient(p: PickedPatient | null) {
      setPatient(p);
      setDone(null);
    },
    chooseDoctor(d: PickedDoctor | null) {
      setDoctor(d);
      setDone(null);
    },
    /** On to the next patient: nothing chosen, nothing done. */
    next() {
      setDone(null);
      setPatient(null);
      setDoctor(null);
    },
  };
}

type DeskChoice = Pick<ReturnType<typeof useDeskChoice>, "patient" | "doctor" | "choosePatient" | "chooseDoctor">;

/** The patient's picker, then the doctor's. */
export function DeskPickers({ choice }: { choice: DeskChoice }) {
  return (
    <>
      <PatientPicker value={choice.patient} onChange={choice.choosePatient} />
      <DoctorPicker value={choice.doctor} onChange={choice.chooseDoctor} />
    </>
  );
}
