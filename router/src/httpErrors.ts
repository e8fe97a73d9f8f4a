/**
 * Last express error handler: a body that is not JSON, too large, etc. gets a GraphQL-shaped JSON
 * error with the right 4xx status — never express's HTML page with a stack trace.
 */
import type { ErrorRequestHandler } from "express";
import { ERROR_CODES, type Logger } from "@clinigraph/platform";

export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = httpStatusOf(err);
    if (status >= 500) logger.error({ err }, "unhandled HTTP error");
    const message = status === 413 ? "Request body too large" : status < 500 ? "Malformed request body" : "Unexpected error";
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? ERROR_CODES.BAD_REQUEST : ERROR_CODES.INTERNAL } }] });
  };
}

function httpStatusOf(err: unknown): number {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 600 ? status : 500;
}
