/** Time off: a UTC range during which the doctor takes no appointments (scheduling blocks those slots). */
import { badInput } from "@clinigraph/platform";
import { optionalText, TEXT_LIMITS } from "./text.js";

export const MAX_TIME_OFF_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TimeOffInput {
  from: Date;
  to: Date;
  reason?: string | null;
}

export interface ValidTimeOff {
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
}

export function validateTimeOff(input: TimeOffInput, now: Date): ValidTimeOff {
  const { from, to } = input;
  if (Number.isNaN(from.getTime())) throw badInput("Invalid start of time off", "from");
  if (Number.isNaN(to.getTime())) throw badInput("Invalid end of time off", "to");
  if (to.getTime() <= from.getTime()) throw badInput("Time off must end after it starts", "to");
  if (to.getTime() <= now.getTime()) throw badInput("Time off must end in the future", "to");
  if (to.getTime() - from.getTime() > MAX_TIME_OFF_DAYS * DAY_MS) throw badInput(`Time off lasts at most ${MAX_TIME_OFF_DAYS} days`, "to");
  return { startsAt: from, endsAt: to, reason: optionalText(input.reason, "reason", TEXT_LIMITS.reason) };
}
