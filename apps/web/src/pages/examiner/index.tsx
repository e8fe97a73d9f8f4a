/** The examiner's pages. */
import { Route, Routes } from "react-router";
import { Worklist } from "./Worklist";

export default function ExaminerArea() {
  return (
    <Routes>
      <Route index element={<Worklist />} />
    </Routes>
  );
}
