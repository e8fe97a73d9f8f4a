/** Each role's navigation (labels are keys of the common namespace's `nav`). */
import type { Role } from "./session";

export interface NavItem {
  to: string;
  label: string;
}

export const NAV: Record<Role, NavItem[]> = {
  PATIENT: [
    { to: "/patient", label: "findDoctor" },
    { to: "/patient/appointments", label: "appointments" },
    { to: "/patient/card", label: "card" },
    { to: "/patient/invoices", label: "invoices" },
    { to: "/settings/notifications", label: "notifications" },
  ],
  DOCTOR: [
    { to: "/doctor", label: "requests" },
    { to: "/doctor/calendar", label: "calendar" },
    { to: "/doctor/encounters", label: "encounters" },
    { to: "/settings/notifications", label: "notifications" },
  ],
  RECEPTIONIST: [
    { to: "/reception", label: "arrivals" },
    { to: "/reception/board", label: "board" },
    { to: "/reception/walk-in", label: "walkIn" },
    { to: "/reception/book", label: "book" },
    { to: "/settings/notifications", label: "notifications" },
  ],
  EXAMINER: [
    { to: "/examiner", label: "worklist" },
    { to: "/settings/notifications", label: "notifications" },
  ],
  BILLING: [
    { to: "/billing", label: "invoices" },
    { to: "/billing/prices", label: "prices" },
    { to: "/settings/notifications", label: "notifications" },
  ],
  STAKEHOLDER: [
    { to: "/stakeholder", label: "dashboard" },
    { to: "/stakeholder/board", label: "board" },
    { to: "/settings/notifications", label: "notifications" },
  ],
  ADMIN: [
    { to: "/admin", label: "users" },
    { to: "/admin/doctors", label: "doctors" },
    { to: "/billing/prices", label: "prices" },
    { to: "/admin/audit", label: "audit" },
    { to: "/stakeholder", label: "dashboard" },
    { to: "/reception/board", label: "board" },
  ],
};
