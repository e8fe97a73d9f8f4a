/**
 * The examiners' worklist consumer (group `clinical-worklist`): reads clinical's own examination events
 * from the clinical stream into the exam_worklist read model (domain/examWorklist.ts). It runs apart from
 * the ordering path: while it is stopped (the examiners' functions are down), orders are still accepted —
 * their events wait in the stream, and the consumer group resumes where it stopped when it starts again.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { applyExaminationEvent } from "../../domain/examWorklist.js";

export const WORKLIST_GROUP = "clinical-worklist";

export function startWorklistConsumer(options: ConsumerOptions<Deps>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    consumer: options.consumer ?? "clinical-worklist-1",
    group: WORKLIST_GROUP,
    streams: [STREAMS.clinical],
    types: ["ExaminationOrdered", "ExaminationPerformed", "ExaminationCancelled", "ExaminationReviewed"],
    handler: async (event) => {
      const applied = await applyExaminationEvent(deps, WORKLIST_GROUP, event);
      if (!applied) logger.debug({ eventId: event.id }, "worklist: event already applied");
    },
  });
}

/** The worklist consumer with an off switch (tests and operators stop and restart it). */
export interface WorklistSwitch {
  readonly running: boolean;
  start(): void;
  stop(): Promise<void>;
  /** Resolves when the running consumer has handled everything in the stream (at once when stopped). */
  idle(timeoutMs?: number): Promise<void>;
}

export function worklistSwitch(start: () => Consumer, startNow: boolean): WorklistSwitch {
  let consumer: Consumer | null = startNow ? start() : null;
  return {
    get running() {
      return consumer !== null;
    },
    start() {
      consumer ??= start();
    },
    async stop() {
      const running = consumer;
      consumer = null;
      await running?.stop();
    },
    idle: (timeoutMs) => consumer?.idle(timeoutMs) ?? Promise.resolve(),
  };
}
