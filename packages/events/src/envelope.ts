/**
 * CloudEvents 1.0 envelope (JSON format) carried by every event on the bus. `sequence` is the
 * CloudEvents "sequence" extension (the outbox sequence of the producer), `traceparent` the
 * distributed-tracing extension (W3C trace context).
 */
import { randomUUID } from "node:crypto";
import { EVENT_SPECS, isEventType, validateEventData, type EventCatalogue, type EventType } from "./catalogue.js";

export interface EventEnvelope<T = unknown, K extends string = string> {
  specversion: "1.0";
  id: string;
  source: string;
  type: K;
  time: string;
  subject: string;
  datacontenttype: "application/json";
  data: T;
  sequence?: string;
  traceparent?: string;
}

/** An envelope of a catalogue event type, with its typed payload. */
export type CatalogueEnvelope<K extends EventType = EventType> = { [T in K]: EventEnvelope<EventCatalogue[T], T> }[K];

export interface EnvelopeOptions {
  id?: string;
  time?: Date | string;
  /** Defaults to the aggregate id found in the payload (see the catalogue). */
  subject?: string;
  /** Defaults to the catalogue's source of the type. */
  source?: string;
  sequence?: string;
  traceparent?: string;
}

export function createEnvelope<K extends EventType>(type: K, data: EventCatalogue[K], options: EnvelopeOptions = {}): CatalogueEnvelope<K> {
  const spec = EVENT_SPECS[type];
  const time = options.time ?? new Date();
  const envelope: EventEnvelope<EventCatalogue[K], K> = {
    specversion: "1.0",
    id: options.id ?? randomUUID(),
    source: options.source ?? spec.source,
    type,
    time: typeof time === "string" ? time : time.toISOString(),
    subject: options.subject ?? String((data as unknown as Record<string, unknown>)[spec.subject]),
    datacontenttype: "application/json",
    data,
  };
  if (options.sequence !== undefined) envelope.sequence = options.sequence;
  if (options.traceparent !== undefined) envelope.traceparent = options.traceparent;
  return envelope as CatalogueEnvelope<K>;
}

/** Narrows an envelope read from the bus to one catalogue type (its payload was validated on decode). */
export function isEvent<K extends EventType>(envelope: EventEnvelope, ...types: K[]): envelope is CatalogueEnvelope<K> {
  return (types as string[]).includes(envelope.type);
}

export const encodeEnvelope = (envelope: EventEnvelope): string => JSON.stringify(envelope);

export type Decoded = { ok: true; envelope: EventEnvelope } | { ok: false; error: string };

/**
 * Parses and validates an envelope read from a stream. Anything malformed (not JSON, missing or
 * mistyped CloudEvents attributes, a catalogue payload that does not match its description) is poison.
 */
export function decodeEnvelope(raw: string | undefined): Decoded {
  if (raw === undefined) return { ok: false, error: "entry has no envelope" };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, error: "envelope is not valid JSON" };
  }
  const error = envelopeError(value);
  return error ? { ok: false, error } : { ok: true, envelope: value as EventEnvelope };
}

function envelopeError(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "envelope is not an object";
  const e = value as Record<string, unknown>;
  if (e.specversion !== "1.0") return "specversion must be 1.0";
  for (const name of ["id", "source", "type", "subject", "time"]) {
    if (typeof e[name] !== "string" || e[name] === "") return `${name} must be a non-empty string`;
  }
  if (Number.isNaN(Date.parse(e.time as string))) return "time must be an RFC 3339 timestamp";
  if (e.datacontenttype !== "application/json") return "datacontenttype must be application/json";
  if (!("data" in e)) return "data is missing";
  for (const name of ["sequence", "traceparent"]) {
    if (e[name] !== undefined && typeof e[name] !== "string") return `${name} must be a string`;
  }
  const type = e.type as string;
  return isEventType(type) ? validateEventData(type, e.data) : null;
}
