/**
 * The app's routes. Each role's pages are one lazily loaded chunk (pages/<area>/index.tsx, its own <Routes>), so a
 * user downloads only their own screens.
 */
import { lazy } from "react";
import { Navigate, Route, Routes, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Layout } from "./components/Layout";
import { Page } from "./components/Page";
import { HOME, RequireRole, useSession } from "./auth";
import { SignIn } from "./pages/SignIn";
import { Register } from "./pages/Register";

const PatientArea = lazy(() => import("./pages/patient/index"));
const DoctorArea = lazy(() => import("./pages/doctor/index"));
const ReceptionArea = lazy(() => import("./pages/reception/index"));
const ExaminerArea = lazy(() => import("./pages/examiner/index"));
const StakeholderArea = lazy(() => import("./pages/stakeholder/index"));
const AdminArea = lazy(() => import("./pages/admin/index"));
const BillingArea = lazy(() => import("./pages/admin/billing"));
const NotificationSettings = lazy(() => import("./pages/settings/NotificationSettings"));

function Home() {
  const current = useSession();
  return <Navigate to={current ? HOME[current.user.role] : "/sign-in"} replace />;
}

/**
 * The links in the platform's e-mails and pushes (`/appointments/:id`, `/invoices/:id`, `/examinations/:id`) open the
 * page that shows that thing (after sign-in, when the tab has no session).
 */
function MessageLink({ to }: { to: (id: string) => string }) {
  const { id = "" } = useParams();
  return <Navigate to={to(id)} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t("notFound")}>
      <p>
        <a href="/">{t("back")}</a>
      </p>
    </Page>
  );
}

export function App() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/sign-in" element={<SignIn />} />
        <Route path="/register" element={<Register />} />
        <Route
          path="/patient/*"
          element={
            <RequireRole roles={["PATIENT"]}>
              <PatientArea />
            </RequireRole>
          }
        />
        <Route
          path="/doctor/*"
          element={
            <RequireRole roles={["DOCTOR"]}>
              <DoctorArea />
            </RequireRole>
          }
        />
        <Route
          path="/reception/*"
          element={
            <RequireRole roles={["RECEPTIONIST", "ADMIN"]}>
              <ReceptionArea />
            </RequireRole>
          }
        />
        <Route
          path="/examiner/*"
          element={
            <RequireRole roles={["EXAMINER", "ADMIN"]}>
              <ExaminerArea />
            </RequireRole>
          }
        />
        <Route
          path="/stakeholder/*"
          element={
            <RequireRole roles={["STAKEHOLDER", "ADMIN"]}>
              <StakeholderArea />
            </RequireRole>
          }
        />
        <Route
          path="/admin/*"
          element={
            <RequireRole roles={["ADMIN"]}>
              <AdminArea />
            </RequireRole>
          }
        />
        <Route
          path="/billing/*"
          element={
            <RequireRole roles={["BILLING", "ADMIN"]}>
              <BillingArea />
            </RequireRole>
          }
        />
        <Route
          path="/settings/notifications"
          element={
            <RequireRole roles={["PATIENT", "DOCTOR", "RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER", "ADMIN"]}>
              <NotificationSettings />
            </RequireRole>
          }
        />
        <Route
          path="/appointments/:id"
          element={
            <RequireRole roles={["PATIENT"]}>
              <MessageLink to={(id) => `/patient/appointments/${id}`} />
            </RequireRole>
          }
        />
        <Route
          path="/invoices/:id"
          element={
            <RequireRole roles={["PATIENT"]}>
              <MessageLink to={() => "/patient/invoices"} />
            </RequireRole>
          }
        />
        <Route
          path="/examinations/:id"
          element={
            <RequireRole roles={["PATIENT"]}>
              <MessageLink to={() => "/patient/card"} />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
