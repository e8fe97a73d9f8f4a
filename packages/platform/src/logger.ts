import { pino, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/**
 * JSON logs (pino). Fields that may carry secrets or patient data are redacted wherever they appear;
 * the rule remains: never log patient data in the first place.
 */
export function createLogger(name: string, level?: string): Logger {
  level ??= process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");
  return pino({
    name,
    level,
    redact: {
      paths: [
        "password",
        "*.password",
        "*.*.password",
        "email",
        "*.email",
        "phone",
        "*.phone",
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
  });
}
