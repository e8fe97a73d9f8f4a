/**
 * OAuth-style scopes carried by access tokens (`scope` claim, space-separated). Accounts issues them from
 * the user's role; the router checks them against `@requiresScopes` in the supergraph before any
 * subgraph is called. Scopes are coarse gates ("is this a doctor?"); which rows a caller may touch stays
 * with each subgraph's policy module.
 */
import type { Role } from "./identity.js";

export const SCOPES_BY_ROLE: Readonly<Record<Role, readonly string[]>> = {
  PATIENT: ["patient"],
  DOCTOR: ["staff", "doctor"],
  RECEPTIONIST: ["staff", "reception"],
  EXAMINER: ["staff", "examiner"],
  BILLING: ["staff", "billing"],
  STAKEHOLDER: ["staff", "stakeholder"],
  ADMIN: ["staff", "admin"],
};

export const scopesFor = (role: Role): readonly string[] => SCOPES_BY_ROLE[role];
