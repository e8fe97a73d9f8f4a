import { describe, expect, it } from "@jest/globals";
import type { Identity, Role } from "@clinigraph/platform";
import { canSeePrivateDetails, requireAdmin, requireAdminOrDoctorThemselves, requireSignedIn } from "../src/domain/policy.js";

const doctor = { userId: "11111111-1111-4111-8111-111111111111" };
const who = (role: Role | null, userId: string | null = "22222222-2222-4222-8222-222222222222"): Identity => ({
  userId: role ? userId : null,
  role,
  requestId: "r",
});
const codeOf = (fn: () => void) => {
  try {
    fn();
    return "OK";
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe("permissions", () => {
  it("anonymous callers are asked to sign in", () => {
    expect(codeOf(() => requireSignedIn(who(null)))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => requireAdmin(who(null)))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => requireAdminOrDoctorThemselves(who(null), doctor))).toBe("UNAUTHENTICATED");
  });

  it("only ADMIN passes requireAdmin", () => {
    expect(codeOf(() => requireAdmin(who("ADMIN")))).toBe("OK");
    for (const role of ["PATIENT", "DOCTOR", "RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER"] as const) {
      expect(codeOf(() => requireAdmin(who(role)))).toBe("FORBIDDEN");
    }
  });

  it("the doctor themselves or an ADMIN manage a doctor; other doctors and patients do not", () => {
    expect(codeOf(() => requireAdminOrDoctorThemselves(who("ADMIN"), doctor))).toBe("OK");
    expect(codeOf(() => requireAdminOrDoctorThemselves(who("DOCTOR", doctor.userId), doctor))).toBe("OK");
    expect(codeOf(() => requireAdminOrDoctorThemselves(who("DOCTOR"), doctor))).toBe("FORBIDDEN");
    expect(codeOf(() => requireAdminOrDoctorThemselves(who("PATIENT"), doctor))).toBe("FORBIDDEN");
    expect(codeOf(() => requireAdminOrDoctorThemselves(who("RECEPTIONIST"), doctor))).toBe("FORBIDDEN");
  });

  it("private details are for the doctor and administrators", () => {
    expect(canSeePrivateDetails(who("ADMIN"), doctor)).toBe(true);
    expect(canSeePrivateDetails(who("DOCTOR", doctor.userId), doctor)).toBe(true);
    expect(canSeePrivateDetails(who("DOCTOR"), doctor)).toBe(false);
    expect(canSeePrivateDetails(who(null), doctor)).toBe(false);
  });
});
