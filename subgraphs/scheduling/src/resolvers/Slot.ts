import type { SchedulingContext } from "../context.js";
import type { Slot as SlotRecord } from "../domain/types.js";

export const Slot = {
  __resolveReference: (ref: { id: string }, ctx: SchedulingContext) => ctx.slots.load(ref.id),
  doctor: (s: SlotRecord) => ({ __typename: "Doctor", id: s.doctorId }),
};
