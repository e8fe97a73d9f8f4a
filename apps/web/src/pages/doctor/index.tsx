/** The doctor's pages. */
import { Route, Routes } from "react-router";
import { RequestFeed } from "./RequestFeed";
import { Calendar } from "./Calendar";
import { Encounters } from "./Encounters";
import { EncounterPage } from "./EncounterPage";
import { PatientCard } from "./PatientCard";

export default function DoctorArea() {
  return (
    <Routes>
      <Route index element={<RequestFeed />} />
      <Route path="calendar" element={<Calendar />} />
      <Route path="encounters" element={<Encounters />} />
      <Route path="encounters/:id" element={<EncounterPage />} />
      <Route path="patients/:id" element={<PatientCard />} />
    </Routes>
  );
}
