/** The administrator's pages: users (home), doctors with their schedules and time off, the audit log. */
import { Route, Routes } from "react-router";
import { Users } from "./Users";
import { Doctors } from "./Doctors";
import { DoctorDetail } from "./DoctorDetail";
import { AuditLog } from "./AuditLog";

export default function AdminArea() {
  return (
    <Routes>
      <Route index element={<Users />} />
      <Route path="doctors" element={<Doctors />} />
      <Route path="doctors/:id" element={<DoctorDetail />} />
      <Route path="audit" element={<AuditLog />} />
    </Routes>
  );
}
