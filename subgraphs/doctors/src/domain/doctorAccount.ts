/**
 * How createDoctor gets its accounts user: link an existing DOCTOR user (`userId`), or have accounts
 * create one (`email` + `password`). Exactly one of the two.
 */
import { badInput, isUuid } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { alreadyDoctor } from "./errors.js";
import type { DoctorRepository } from "./ports.js";
import type { Actor } from "./types.js";

export type AccountPlan = { kind: "link"; userId: string } | { kind: "create"; email: string; password: string; phone: string | null };

export interface AccountInput {
  userId?: string | null;
  email?: string | null;
  password?: string | null;
  phone?: string | null;
}

/** Pure: decides link or create from the input, without any side effect. */
export function planAccount(input: AccountInput): AccountPlan {
  const hasCredentials = Boolean(input.email || input.password);
  if (input.userId !== undefined && input.userId !== null) {
    if (hasCredentials) throw badInput("Give either userId or email and password, not both", "input.userId");
    if (!isUuid(input.userId)) throw badInput("userId is not a valid id", "input.userId");
    return { kind: "link", userId: input.userId.toLowerCase() };
  }
  const email = input.email?.trim();
  if (!email) throw badInput("email is required when no userId is given", "input.email");
  if (!input.password) throw badInput("password is required when no userId is given", "input.password");
  return { kind: "create", email, password: input.password, phone: input.phone?.trim() || null };
}

/** Side effects: checks the linked user in accounts, or creates the DOCTOR user there. Returns its id. */
export async function obtainDoctorUser(
  deps: Pick<Deps, "accounts"> & { doctors: Pick<DoctorRepository, "findByUserId"> },
  actor: Actor,
  { plan, name }: { plan: AccountPlan; name: string },
): Promise<string> {
  if (plan.kind === "link") {
    if (await deps.doctors.findByUserId(plan.userId)) throw alreadyDoctor();
    const user = await deps.accounts.findUser(plan.userId, actor);
    if (!user) throw badInput("No user with this id", "input.userId");
    if (user.role !== "DOCTOR") throw badInput("The user must have the DOCTOR role", "input.userId");
    return user.id;
  }
  const user = await deps.accounts.createStaffUser({ email: plan.email, password: plan.password, name, phone: plan.phone, role: "DOCTOR" }, actor);
  return user.id;
}
