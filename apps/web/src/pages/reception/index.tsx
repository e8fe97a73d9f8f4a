/** Reception's pages: today's arrivals (home), the live clinic board, walk-ins and booking for a patient. */
import { Route, Routes } from "react-router";
import { Arrivals } from "./Arrivals";
import { ClinicBoard } from "./ClinicBoard";
import { WalkIn } from "./WalkIn";
import { BookForPatient } from "./BookForPatient";

export default function ReceptionArea() {
  return (
    <Routes>
      <Route index element={<Arrivals />} />
      <Route path="board" element={<ClinicBoard />} />
      <Route path="walk-in" element={<WalkIn />} />
      <Route path="book" element={<BookForPatient />} />
    </Routes>
  );
}
