import type { DoctorsContext } from "../context.js";
import { listDoctors, type DoctorFilterInput } from "../domain/listDoctors.js";
import type { ServiceKind } from "../domain/types.js";

export const Query = {
  doctors: (_: unknown, args: { filter?: DoctorFilterInput | null; first?: number | null; after?: string | null }, ctx: DoctorsContext) =>
    listDoctors(args, ctx.deps),
  doctor: (_: unknown, args: { id: string }, ctx: DoctorsContext) => ctx.loaders.doctorById.load(args.id),
  specialties: (_: unknown, _args: unknown, ctx: DoctorsContext) => ctx.deps.catalogue.listSpecialties(),
  medicalServices: (_: unknown, args: { kind?: ServiceKind | null }, ctx: DoctorsContext) => ctx.deps.catalogue.listServices(args.kind ?? undefined),
};
