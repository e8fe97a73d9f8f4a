/**
 * Request ids: an incoming `x-request-id` is kept when it looks safe (it ends up in logs and
 * subgraph headers), otherwise a new UUID is made. Echoed in the response header.
 */
import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";
import { REQUEST_ID_HEADER } from "@clinigraph/platform";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestIdOf = (incoming: string | string[] | undefined): string => {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
};

export const requestIdMiddleware: RequestHandler = (req, res, next) => {
  const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
  res.locals.requestId = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  next();
};

export const requestIdFrom = (res: Response): string => (typeof res.locals.requestId === "string" ? res.locals.requestId : randomUUID());
