import { defaultLogLevel } from "./config.js";
import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { traceLogFields } from "./tracing.js";

export type Logger = PinoLogger;

/** Set only by tests through `captureLogs`; production loggers always write to stdout at their own level. */
let capture: { destination: DestinationStream; level: string } | undefined;

/**
 * Tests only: until the returned function is called, every logger `createLogger` makes writes its JSON
 * lines to `write` at `level` (default "trace", whatever level its caller asked for), so a test can read
 * everything every service of the process logs. Loggers created before the call are not affected.
 */
export function captureLogs(write: (line: string) => void, level = "trace"): () => void {
  const mine = { destination: { write }, level };
  capture = mine;
  return () => {
    if (capture === mine) capture = undefined;
  };
}

/**
 * JSON logs (pino). Fields that may carry secrets or patient data are redacted wherever they appear;
 * the rule remains: never log patient data in the first place. A line written inside a traced span carries its
 * `trace_id` and `span_id`, so a log pipeline can join lines to traces.
 */
export function createLogger(name: string, level?: string): Logger {
  level ??= defaultLogLevel();
  const options = {
    name,
    level: capture?.level ?? level,
    mixin: traceLogFields,
    redact: {
      paths: [
        "password",
        "*.password",
        "*.*.password",
        "email",
        "*.email",
        "phone",
        "*.phone",
        "nationalId",
        "*.nationalId",
        "authorization",
        "*.authorization",
        "headers.authorization",
        "req.headers.authorization",
        "refreshToken",
        "*.refreshToken",
        "accessToken",
        "*.accessToken",
        "variables",
        "*.variables",
      ],
      censor: "[redacted]",
    },
  };
  return capture ? pino(options, capture.destination) : pino(options);
}
