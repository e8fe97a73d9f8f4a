/** Scheduling's copy of each doctor (doctor_profiles), kept by the schedule sync (domain/syncDoctor.ts). */
import type { DoctorProfileRepository } from "../domain/ports.js";
import type { Tx } from "./prisma.js";

export function createDoctorProfileRepository(db: Tx): DoctorProfileRepository {
  return {
    async bookingProfile(doctorId) {
      const profile = await db.doctorProfile.findUnique({ where: { doctorId } });
      return profile && { doctorId, timezone: profile.timezone, autoApprove: profile.autoApprove, serviceIds: profile.serviceIds };
    },
    async doctorIdOfUser(userId) {
      const profile = await db.doctorProfile.findFirst({ where: { userId }, select: { doctorId: true } });
      return profile?.doctorId ?? null;
    },
    async offering(serviceId) {
      const rows = await db.doctorProfile.findMany({ where: { serviceIds: { has: serviceId } }, select: { doctorId: true } });
      return rows.map((p) => p.doctorId);
    },
    async save({ doctorId, rules, timeOff, ...rest }) {
      const profile = { ...rest, rules: rules as object[], timeOff: timeOff as object[] };
      const previous = await db.doctorProfile.findUnique({ where: { doctorId }, select: { specialtyCode: true, location: true } });
      await db.doctorProfile.upsert({ where: { doctorId }, create: { doctorId, ...profile }, update: profile });
      return previous;
    },
  };
}
