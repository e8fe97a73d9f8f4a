/** The live connection: its state for an indicator, and a hook that runs when it (re)connects. */
import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import type { ResumableWsLink, LiveState } from "../lib/resumableWsLink";

export const LiveContext = createContext<ResumableWsLink["live"] | null>(null);

const idle = { get: (): LiveState => "idle", subscribe: () => () => undefined };

export function useLiveState(): LiveState {
  const live = useContext(LiveContext) ?? idle;
  return useSyncExternalStore(live.subscribe, live.get, live.get);
}

/**
 * Calls `refresh` every time the socket connects or reconnects after the page opened: a list read over HTTP catches up
 * with what happened before its feed's subscription began (resumed feeds replay the rest with `since`).
 */
export function useOnLiveConnected(refresh: () => void) {
  const state = useLiveState();
  const latest = useRef(refresh);
  latest.current = refresh;
  const previous = useRef<LiveState>(state);
  useEffect(() => {
    if (state === "connected" && previous.current !== "connected") latest.current();
    previous.current = state;
  }, [state]);
}

export function LiveIndicator() {
  const { t } = useTranslation();
  const state = useLiveState();
  if (state === "idle") return null;
  return (
    <span className="live-indicator" role="status" data-live={state}>
      {state === "connected" ? `● ${t("live.connected")}` : t("live.reconnecting")}
    </span>
  );
}
