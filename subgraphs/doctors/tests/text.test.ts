/** Doctor free text: bidirectional overrides and control characters refused per field; names single-line. */
import { describe, expect, it } from "@jest/globals";
import { DomainError } from "@clinigraph/platform";
import { optionalText, requiredText } from "../src/domain/text.js";

const outcome = (fn: () => unknown) => {
  try {
    return fn();
  } catch (err) {
    return err instanceof DomainError ? `${err.code}:${err.field}` : "other";
  }
};

describe("doctor text fields", () => {
  it("refuses bidirectional overrides and isolates in names, bios and locations", () => {
    expect(outcome(() => requiredText("Dr. Ann\u202ELee", "input.name", 200))).toBe("BAD_USER_INPUT:input.name");
    expect(outcome(() => optionalText("Cardiology \u2066x\u2069", "input.bio", 4000))).toBe("BAD_USER_INPUT:input.bio");
    expect(outcome(() => optionalText("Room\u202D 4", "input.location", 200))).toBe("BAD_USER_INPUT:input.location");
  });

  it("refuses terminal control characters", () => {
    expect(outcome(() => requiredText("Dr. \u001b[31mRed", "input.name", 200))).toBe("BAD_USER_INPUT:input.name");
    expect(outcome(() => optionalText("bio\u0007", "input.bio", 4000))).toBe("BAD_USER_INPUT:input.bio");
    expect(outcome(() => optionalText("away\u009b", "reason", 500))).toBe("BAD_USER_INPUT:reason");
  });

  it("names and locations are one line; bios and reasons may hold line breaks", () => {
    expect(outcome(() => requiredText("Dr. Ann\nLee", "input.name", 200))).toBe("BAD_USER_INPUT:input.name");
    expect(outcome(() => optionalText("Berlin\r\nMitte", "input.location", 200))).toBe("BAD_USER_INPUT:input.location");
    expect(optionalText("Trained in Lyon.\n\nSpeaks French.", "input.bio", 4000)).toBe("Trained in Lyon.\n\nSpeaks French.");
    expect(optionalText("conference\n(all week)", "reason", 500)).toBe("conference\n(all week)");
  });

  it("keeps legitimate text: Korean, Russian, French accents, emoji", () => {
    for (const name of ["김민준", "Анна Петрова", "Hélène Côté-Lefèvre", "Dr. Sunny 🌞"]) expect(requiredText(` ${name} `, "input.name", 200)).toBe(name);
    expect(optionalText("Médecine générale — 진료 — терапия 🙂", "input.bio", 4000)).toBe("Médecine générale — 진료 — терапия 🙂");
  });
});
