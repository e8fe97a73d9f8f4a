/**
 * What a page says about one query besides its data: loading (while the first answer is awaited), the error with a
 * retry, and, once the answer is here, that it holds nothing (`empty`, muted) or that the thing asked for does not
 * exist (`notFound`, an alert).
 */
import type { ReactNode } from "react";
import { ErrorMessage, Loading } from "./ErrorMessage";

export interface QueryResultLike {
  loading: boolean;
  data?: unknown;
  error?: unknown;
  refetch(): Promise<unknown>;
}

export function QueryState({
  result,
  loading = result.loading && !result.data,
  isEmpty = false,
  empty,
  notFound,
  children,
}: {
  result: QueryResultLike;
  /** Show the loading notice (by default only until the first answer). */
  loading?: boolean;
  /** The answer holds nothing to show. */
  isEmpty?: boolean;
  /** Said (muted) when the answer is here and `isEmpty`. */
  empty?: ReactNode;
  /** Said as an alert when the answer is here and `isEmpty`. */
  notFound?: ReactNode;
  /** More notices, under the error (and above the empty notice). */
  children?: ReactNode;
}) {
  const nothing = Boolean(result.data) && isEmpty;
  return (
    <>
      {loading ? <Loading /> : null}
      <ErrorMessage error={result.error} onRetry={() => void result.refetch()} />
      {children}
      {nothing && empty !== undefined ? <p className="muted">{empty}</p> : null}
      {nothing && notFound !== undefined ? <p role="alert">{notFound}</p> : null}
    </>
  );
}
