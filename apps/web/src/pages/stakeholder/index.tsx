/** The stakeholder's pages (ADMIN too): the KPI dashboard and the clinic board. */
import { Route, Routes } from "react-router";
import { Dashboard } from "./Dashboard";
import { ClinicBoard } from "../reception/ClinicBoard";

export default function StakeholderArea() {
  return (
    <Routes>
      <Route index element={<Dashboard />} />
      <Route path="board" element={<ClinicBoard />} />
    </Routes>
  );
}
