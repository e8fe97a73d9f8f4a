/**
 * In-process event bus: the embedded default of `pnpm start` without Redis. Same semantics as the Redis
 * bus (consumer groups, pending entries, redelivery, dead letters), but one process only and nothing
 * survives a restart of that process.
 */
import type { Logger } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import { compareIds, type GroupReader, type GroupState, type StreamEntry, type StreamLog } from "./log.js";
import { createStreamBus } from "./stream-bus.js";

interface Group {
  lastDeliveredId: string;
  pending: Map<string, { consumer: string; deliveredAt: number }>;
}

interface Stream {
  /** `appendedAt`: when the entry was appended (ms), as the time part of a Redis id says. */
  entries: (StreamEntry & { appendedAt: number })[];
  seq: number;
  groups: Map<string, Group>;
  waiters: Set<() => void>;
}

export function createMemoryEventBus(options: { logger?: Logger } = {}): EventBus {
  return createStreamBus(new MemoryStreamLog(), options.logger);
}

export class MemoryStreamLog implements StreamLog {
  private readonly streams = new Map<string, Stream>();

  private stream(name: string): Stream {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = { entries: [], seq: 0, groups: new Map(), waiters: new Set() };
      this.streams.set(name, stream);
    }
    return stream;
  }

  private appendNow(name: string, entries: readonly Record<string, string>[]) {
    const stream = this.stream(name);
    const appendedAt = Date.now();
    for (const fields of entries) stream.entries.push({ id: `0-${++stream.seq}`, fields: { ...fields }, appendedAt });
    for (const wake of stream.waiters) wake();
  }

  async append(name: string, entries: readonly Record<string, string>[]) {
    this.appendNow(name, entries);
  }

  async range(name: string) {
    return (this.streams.get(name)?.entries ?? []).map((entry) => ({ id: entry.id, fields: { ...entry.fields } }));
  }

  async remove(name: string, ids: readonly string[]) {
    const stream = this.streams.get(name);
    if (stream) stream.entries = stream.entries.filter((entry) => !ids.includes(entry.id));
  }

  async lastId(name: string) {
    return this.streams.get(name)?.entries.at(-1)?.id ?? "0-0";
  }

  async length(name: string) {
    return this.streams.get(name)?.entries.length ?? 0;
  }

  async groupState(name: string, group: string): Promise<GroupState | null> {
    const stream = this.streams.get(name);
    const state = stream?.groups.get(group);
    if (!stream || !state) return null;
    const lag = stream.entries.filter((entry) => compareIds(entry.id, state.lastDeliveredId) > 0).length;
    return { lastDeliveredId: state.lastDeliveredId, pending: state.pending.size, lag };
  }

  async trim(name: string, before: Date) {
    const stream = this.streams.get(name);
    if (!stream) return 0;
    const needed = (id: string) =>
      [...stream.groups.values()].some(
        (group) => compareIds(id, group.lastDeliveredId) >= 0 || [...group.pending.keys()].some((pending) => compareIds(id, pending) >= 0),
      );
    const count = stream.entries.length;
    stream.entries = stream.entries.filter((entry) => entry.appendedAt >= before.getTime() || needed(entry.id));
    return count - stream.entries.length;
  }

  async openGroup(name: string, groupName: string, consumer: string): Promise<GroupReader> {
    const stream = this.stream(name);
    let group = stream.groups.get(groupName);
    if (!group) {
      group = { lastDeliveredId: "0-0", pending: new Map() };
      stream.groups.set(groupName, group);
    }
    return new MemoryGroupReader(stream, group, consumer, (dlq, fields) => this.appendNow(dlq, [fields]));
  }

  async close() {
    for (const stream of this.streams.values()) for (const wake of stream.waiters) wake();
  }
}

class MemoryGroupReader implements GroupReader {
  private closed = false;
  private wake?: () => void;

  constructor(
    private readonly stream: Stream,
    private readonly group: Group,
    private readonly consumer: string,
    private readonly appendDeadLetter: (dlq: string, fields: Record<string, string>) => void,
  ) {}

  private deliver(entries: StreamEntry[]): StreamEntry[] {
    for (const entry of entries) this.group.pending.set(entry.id, { consumer: this.consumer, deliveredAt: Date.now() });
    return entries.map((entry) => ({ id: entry.id, fields: { ...entry.fields } }));
  }

  private entriesWhere(test: (entry: StreamEntry) => boolean, count: number) {
    return this.stream.entries.filter(test).slice(0, count);
  }

  async readPending(count: number, after: string) {
    const mine = (entry: StreamEntry) => this.group.pending.get(entry.id)?.consumer === this.consumer && compareIds(entry.id, after) > 0;
    return this.deliver(this.entriesWhere(mine, count));
  }

  async readNew(count: number, blockMs: number) {
    if (this.closed) return [];
    const fresh = (entry: StreamEntry) => compareIds(entry.id, this.group.lastDeliveredId) > 0;
    let entries = this.entriesWhere(fresh, count);
    if (entries.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, blockMs);
        const stream = this.stream;
        function done() {
          clearTimeout(timer);
          stream.waiters.delete(done);
          resolve();
        }
        this.wake = done;
        stream.waiters.add(done);
      });
      this.wake = undefined;
      if (this.closed) return [];
      entries = this.entriesWhere(fresh, count);
    }
    if (entries.length > 0) this.group.lastDeliveredId = entries.at(-1)!.id;
    return this.deliver(entries);
  }

  async claimIdle(minIdleMs: number, count: number) {
    const now = Date.now();
    const idle = (entry: StreamEntry) => {
      const pending = this.group.pending.get(entry.id);
      return pending !== undefined && pending.consumer !== this.consumer && now - pending.deliveredAt >= minIdleMs;
    };
    return this.deliver(this.entriesWhere(idle, count));
  }

  async ack(ids: string | readonly string[]) {
    for (const id of typeof ids === "string" ? [ids] : ids) this.group.pending.delete(id);
  }

  async deadLetter(id: string, dlq: string, fields: Record<string, string>) {
    this.appendDeadLetter(dlq, fields);
    this.group.pending.delete(id);
  }

  async close() {
    this.closed = true;
    this.wake?.();
  }
}
