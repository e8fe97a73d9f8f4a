/**
 * The few stream-log primitives both bus implementations provide (modelled on Redis Streams:
 * append-only streams, consumer groups with a last-delivered id and a pending-entries list).
 * Entry ids look like Redis ids ("<ms>-<seq>") and compare with `compareIds`.
 */

export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

/** One consumer's view of one group (a dedicated connection for Redis, so reads may block). */
export interface GroupReader {
  /** This consumer's delivered-but-unacknowledged entries with id > `after`, oldest first. */
  readPending(count: number, after: string): Promise<StreamEntry[]>;
  /** Entries never delivered to the group, waiting up to `blockMs` for some; [] when closed meanwhile. */
  readNew(count: number, blockMs: number): Promise<StreamEntry[]>;
  /** Takes over entries pending at other consumers for at least `minIdleMs`. */
  claimIdle(minIdleMs: number, count: number): Promise<StreamEntry[]>;
  /** Acknowledges one entry, or several at once (one round trip). */
  ack(ids: string | readonly string[]): Promise<void>;
  /** Appends `fields` to the dead-letter stream and acknowledges `id`, atomically. */
  deadLetter(id: string, deadLetterStream: string, fields: Record<string, string>): Promise<void>;
  /** Interrupts a blocked read and releases the connection. */
  close(): Promise<void>;
}

export interface GroupState {
  lastDeliveredId: string;
  pending: number;
  /** Entries of the stream not yet delivered to the group; null when the log cannot tell (Redis after deletions). */
  lag: number | null;
}

export interface StreamLog {
  /** Appends entries atomically, in order. */
  append(stream: string, entries: readonly Record<string, string>[]): Promise<void>;
  range(stream: string): Promise<StreamEntry[]>;
  remove(stream: string, ids: readonly string[]): Promise<void>;
  lastId(stream: string): Promise<string>;
  /** Entries in the stream (0 when it does not exist). */
  length(stream: string): Promise<number>;
  groupState(stream: string, group: string): Promise<GroupState | null>;
  /**
   * Removes the entries appended before `before` that no consumer group still needs: never one a group has not been
   * delivered yet (after its last-delivered id) nor one delivered and not acknowledged (its oldest pending entry and
   * everything after it stay). Returns how many it removed. A stream without groups is trimmed by age alone.
   */
  trim(stream: string, before: Date): Promise<number>;
  /** Creates the group at the start of the stream if it does not exist, and opens a reader. */
  openGroup(stream: string, group: string, consumer: string): Promise<GroupReader>;
  close(): Promise<void>;
}

export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map(BigInt);
  const [bm = 0n, bs = 0n] = b.split("-").map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}
