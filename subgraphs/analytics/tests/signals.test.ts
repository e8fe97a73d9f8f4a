/** kpisToday's change signals: a burst of fact changes is one signal on the live feed, named after its last event. */
import { describe, expect, it } from "@jest/globals";
import { createMemoryLiveFeed } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { createFactSignals } from "../src/events/signals.js";
import { FACTS_CHANGED_TOPIC } from "../src/domain/today.js";

describe("fact signals", () => {
  it("sends one signal per burst, after the burst's first change, named after its last", async () => {
    const live = createMemoryLiveFeed();
    const received = live.subscribe<{ eventId: string }>(FACTS_CHANGED_TOPIC, null);
    const due: (() => void)[] = [];
    const signals = createFactSignals(live, createLogger("signals-test", "silent"), { later: (send) => due.push(send) });
    for (let i = 1; i <= 50; i++) await signals.changed(`e${i}`);
    expect(due).toHaveLength(1); // nothing sent yet: one send scheduled for the whole burst
    due.shift()!();
    expect((await received.next()).value?.message.eventId).toBe("e50");
    await signals.changed("e51");
    expect(due).toHaveLength(1);
    due.shift()!();
    expect((await received.next()).value?.message.eventId).toBe("e51");
    await received.return?.();
    await live.close();
  });
});
