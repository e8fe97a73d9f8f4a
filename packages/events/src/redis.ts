/**
 * Redis Streams event bus (node-redis v5). One shared connection for appends, acks and inspection;
 * one dedicated connection per consumer for its blocking XREADGROUP (destroyed to interrupt it: entries
 * Redis delivered meanwhile stay in the consumer's pending list and are recovered on restart).
 */
import { createClient } from "redis";
import { createLogger, type Logger } from "@clinigraph/platform";
import type { EventBus } from "./bus.js";
import { compareIds, type GroupReader, type GroupState, type StreamEntry, type StreamLog } from "./log.js";
import { createStreamBus } from "./stream-bus.js";

export type RedisClient = ReturnType<typeof createClient>;

type RawMessage = { id: string; message: Record<string, string> | null } | null;
type StreamsReply = { name: string; messages: RawMessage[] }[] | null;

export async function createRedisEventBus(options: { url: string; logger?: Logger }): Promise<EventBus> {
  const logger = options.logger ?? createLogger("events");
  const client = createClient({ url: options.url });
  client.on("error", (err: unknown) => logger.error({ err }, "redis connection error"));
  await client.connect();
  return createStreamBus(new RedisStreamLog(client, logger), logger);
}

const toEntries = (messages: readonly RawMessage[]): StreamEntry[] =>
  messages.flatMap((m) => (m?.message ? [{ id: String(m.id), fields: { ...m.message } }] : []));

export class RedisStreamLog implements StreamLog {
  constructor(
    private readonly client: RedisClient,
    private readonly logger: Logger,
  ) {}

  async append(stream: string, entries: readonly Record<string, string>[]) {
    const multi = this.client.multi();
    for (const fields of entries) multi.xAdd(stream, "*", fields);
    await multi.exec();
  }

  async range(stream: string) {
    return toEntries((await this.client.xRange(stream, "-", "+")) as RawMessage[]);
  }

  async remove(stream: string, ids: readonly string[]) {
    if (ids.length > 0) await this.client.xDel(stream, [...ids]);
  }

  async lastId(stream: string) {
    const [last] = (await this.client.xRevRange(stream, "+", "-", { COUNT: 1 })) as RawMessage[];
    return last ? String(last.id) : "0-0";
  }

  async length(stream: string) {
    return Number(await this.client.xLen(stream));
  }

  async groupState(stream: string, group: string): Promise<GroupState | null> {
    const groups = await this.client.xInfoGroups(stream).catch((err: Error) => {
      if (/no such key/i.test(err.message)) return [];
      throw err;
    });
    type GroupInfo = { name: string; pending: number; "last-delivered-id": string; lag?: number | null };
    const found = (groups as GroupInfo[]).find((g) => String(g.name) === group);
    if (!found) return null;
    const lastDeliveredId = String(found["last-delivered-id"]);
    // XINFO's lag (Redis 7+) is null when entries were deleted or trimmed in between: then only "caught up" is known.
    let lag = found.lag === undefined || found.lag === null ? null : Number(found.lag);
    if (lag === null && compareIds(lastDeliveredId, await this.lastId(stream)) >= 0) lag = 0;
    return { lastDeliveredId, pending: Number(found.pending), lag };
  }

  async trim(stream: string, before: Date): Promise<number> {
    const groups = await this.client.xInfoGroups(stream).catch((err: Error) => {
      if (/no such key/i.test(err.message)) return null;
      throw err;
    });
    if (groups === null) return 0;
    // Entry ids start with the time Redis appended them (ms): entries below `${ms}-0` are older than `before`.
    let keepFrom = `${Math.max(0, before.getTime())}-0`;
    for (const group of groups as unknown as { name: string; pending: number; "last-delivered-id": string }[]) {
      let needed = String(group["last-delivered-id"]); // everything after it is still to be delivered
      if (Number(group.pending) > 0) {
        const { firstId } = await this.client.xPending(stream, String(group.name)); // delivered, not acknowledged
        if (firstId !== null && compareIds(String(firstId), needed) < 0) needed = String(firstId);
      }
      if (compareIds(needed, keepFrom) < 0) keepFrom = needed;
    }
    // Exact (`=`), not `~`: a round trims what it may, however few entries that is; a round runs every few minutes.
    return Number(await this.client.xTrim(stream, "MINID", keepFrom, { strategyModifier: "=" }));
  }

  async openGroup(stream: string, group: string, consumer: string): Promise<GroupReader> {
    await this.client.xGroupCreate(stream, group, "0", { MKSTREAM: true }).catch((err: Error) => {
      if (!err.message.startsWith("BUSYGROUP")) throw err;
    });
    const blocking = this.client.duplicate();
    blocking.on("error", (err: unknown) => this.logger.error({ err, stream, group }, "redis consumer connection error"));
    await blocking.connect();
    return new RedisGroupReader(this.client, blocking, stream, group, consumer);
  }

  async close() {
    await this.client.close();
  }
}

class RedisGroupReader implements GroupReader {
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly blocking: RedisClient,
    private readonly stream: string,
    private readonly group: string,
    private readonly consumer: string,
  ) {}

  private entriesOf(reply: unknown): StreamEntry[] {
    return toEntries((reply as StreamsReply)?.[0]?.messages ?? []);
  }

  async readPending(count: number, after: string) {
    const reply = await this.client.xReadGroup(this.group, this.consumer, { key: this.stream, id: after }, { COUNT: count });
    const messages = (reply as StreamsReply)?.[0]?.messages ?? [];
    const deleted = messages.filter((m) => m && !m.message).map((m) => String(m!.id));
    if (deleted.length > 0) await this.client.xAck(this.stream, this.group, deleted); // trimmed meanwhile: nothing to handle
    return this.entriesOf(reply);
  }

  async readNew(count: number, blockMs: number) {
    if (this.closed) return [];
    try {
      const reply = await this.blocking.xReadGroup(this.group, this.consumer, { key: this.stream, id: ">" }, { COUNT: count, BLOCK: blockMs });
      return this.entriesOf(reply);
    } catch (err) {
      if (this.closed) return [];
      throw err;
    }
  }

  async claimIdle(minIdleMs: number, count: number) {
    const reply = await this.client.xAutoClaim(this.stream, this.group, this.consumer, minIdleMs, "0-0", { COUNT: count });
    return toEntries(reply.messages as RawMessage[]);
  }

  async ack(ids: string | readonly string[]) {
    if (typeof ids === "string") await this.client.xAck(this.stream, this.group, ids);
    else if (ids.length > 0) await this.client.xAck(this.stream, this.group, [...ids]);
  }

  async deadLetter(id: string, dlq: string, fields: Record<string, string>) {
    await this.client.multi().xAdd(dlq, "*", fields).xAck(this.stream, this.group, id).exec();
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    if (this.blocking.isOpen) this.blocking.destroy();
  }
}
