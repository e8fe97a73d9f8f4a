/**
 * Named policies for `@policy(policies: [[...]])`: rules about the caller that are more than a scope.
 * Apollo Router evaluates them in a coprocessor; ours are plain functions in the router. A policy the
 * supergraph names but the router does not know denies (fail closed) and is logged when the supergraph loads.
 */
import type { Policy } from "./rules.js";
import { ROUTER_DEFAULTS } from "../config.js";

export interface PolicyOptions {
  /** `recent_login`: how long after signing in (with a password) privileged actions stay allowed, seconds. */
  recentLoginSeconds: number;
}

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = { recentLoginSeconds: ROUTER_DEFAULTS.recentLoginSeconds };

export function createPolicies(options: Partial<PolicyOptions> = {}): Readonly<Record<string, Policy>> {
  const { recentLoginSeconds } = { ...DEFAULT_POLICY_OPTIONS, ...options };
  return {
    /**
     * Step-up for privileged actions (creating staff users, overbooking, reading the audit log): the
     * session must have started with a password within the window. Refreshing a token keeps the original
     * sign-in time, so a stolen refresh token cannot be stretched into hours of admin access.
     */
    recent_login: (principal, now) => principal.authTime !== undefined && now.getTime() / 1000 - principal.authTime <= recentLoginSeconds,
  };
}
