/** The patient's pages. */
import { Route, Routes } from "react-router";
import { FindDoctor } from "./FindDoctor";
import { BookDoctor } from "./BookDoctor";
import { AppointmentLive } from "./AppointmentLive";
import { Appointments } from "./Appointments";
import { Reschedule } from "./Reschedule";
import { MyCard } from "./Card";
import { Invoices } from "./Invoices";

export default function PatientArea() {
  return (
    <Routes>
      <Route index element={<FindDoctor />} />
      <Route path="doctors/:doctorId" element={<BookDoctor />} />
      <Route path="appointments" element={<Appointments />} />
      <Route path="appointments/:id" element={<AppointmentLive />} />
      <Route path="appointments/:id/reschedule" element={<Reschedule />} />
      <Route path="card" element={<MyCard />} />
      <Route path="invoices" element={<Invoices />} />
    </Routes>
  );
}
