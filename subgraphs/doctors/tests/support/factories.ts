/** Typed test data, written straight to the doctors schema (unique ids, catalogue from the seed migration). */
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../src/generated/prisma/client.js";

export interface DoctorFixture {
  name?: string;
  specialtyCode?: string;
  location?: string | null;
  serviceCodes?: string[];
  timezone?: string;
  userId?: string;
}

export async function insertDoctor(prisma: PrismaClient, fixture: DoctorFixture = {}) {
  const specialty = await prisma.specialty.findUniqueOrThrow({ where: { code: fixture.specialtyCode ?? "GP" } });
  const services = await prisma.medicalService.findMany({ where: { code: { in: fixture.serviceCodes ?? [] } } });
  return prisma.doctor.create({
    data: {
      id: randomUUID(),
      userId: fixture.userId ?? randomUUID(),
      name: fixture.name ?? `Dr. Test ${randomUUID().slice(0, 8)}`,
      specialtyId: specialty.id,
      location: fixture.location === undefined ? "Berlin Mitte" : fixture.location,
      timezone: fixture.timezone ?? "Europe/Berlin",
      services: { create: services.map((s) => ({ serviceId: s.id })) },
    },
  });
}

export const serviceId = async (prisma: PrismaClient, code: string) => (await prisma.medicalService.findUniqueOrThrow({ where: { code } })).id;
