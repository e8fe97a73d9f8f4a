/** kpisToday's pacing: today's figures at once, then one recomputation per burst of fact changes. */
import { describe, expect, it } from "@jest/globals";
import { Channel } from "@clinigraph/events";
import { emptyCounts } from "../src/domain/kpis.js";
import { kpisToday } from "../src/domain/today.js";

function fakeDeps() {
  const asked: string[] = [];
  return {
    asked,
    deps: {
      facts: {
        periodCounts: async (from: string) => {
          asked.push(from);
          return [{ ...emptyCounts(from), patients: 9, booked: asked.length }];
        },
      } as never,
      settings: { timezone: "Europe/Berlin", currency: "EUR", minCell: 5 },
      clock: () => new Date("2027-03-22T23:30:00Z"), // already the 23rd in Berlin
    },
  };
}

const stakeholder = { userId: "00000000-0000-4000-8000-000000000001", role: "STAKEHOLDER" as const };

describe("kpisToday", () => {
  it("sends today's figures first, then folds a burst of changes into one recomputation", async () => {
    const { deps, asked } = fakeDeps();
    const changes = new Channel<unknown>();
    const feed = kpisToday(deps, stakeholder, changes, 10);
    expect((await feed.next()).value).toMatchObject({ period: "2027-03-23", appointmentsBooked: 1 });
    for (let i = 0; i < 50; i++) changes.push({ eventId: `e${i}` });
    expect((await feed.next()).value).toMatchObject({ appointmentsBooked: 2 });
    expect(asked).toEqual(["2027-03-23", "2027-03-23"]);
    changes.push({ eventId: "later" });
    expect((await feed.next()).value).toMatchObject({ appointmentsBooked: 3 });
    await feed.return(undefined);
  });

  it("ends when the change feed ends, and refuses anyone but stakeholders and administrators", async () => {
    const { deps } = fakeDeps();
    const changes = new Channel<unknown>();
    const feed = kpisToday(deps, stakeholder, changes, 10);
    await feed.next();
    changes.end();
    expect((await feed.next()).done).toBe(true);
    await expect(kpisToday(deps, { ...stakeholder, role: "PATIENT" }, new Channel<unknown>()).next()).rejects.toMatchObject({
      extensions: { code: "FORBIDDEN" },
    });
  });
});
