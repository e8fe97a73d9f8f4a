/**
 * Where the gateway gets its supergraph: a static SDL (tests) or a file that is watched and
 * hot-reloaded. The directory is watched rather than the file, so editors and `pnpm compose` that
 * replace the file (write + rename) are still seen. A supergraph that fails to load is logged and the
 * previous one keeps serving. `onLoad` sees the supergraph as composed (with its authorization rules);
 * the gateway gets it through `supergraphForGateway`.
 */
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { SupergraphSdlHook } from "@apollo/gateway";
import type { Logger } from "@clinigraph/platform";
import { supergraphForGateway } from "./authz/rules.js";

export type SupergraphSource = { supergraphSdl: string } | { supergraphPath: string };

export interface SupergraphTracker {
  /** The SDL currently served (empty until the gateway has loaded). */
  current(): string;
}

export function supergraphHook(source: SupergraphSource, logger: Logger, onLoad: (sdl: string) => void, debounceMs = 100): SupergraphSdlHook {
  return async ({ update }) => {
    if ("supergraphSdl" in source) {
      onLoad(source.supergraphSdl);
      return { supergraphSdl: supergraphForGateway(source.supergraphSdl) };
    }
    const file = path.resolve(source.supergraphPath);
    let current = await readFile(file, "utf8");
    onLoad(current);

    let timer: NodeJS.Timeout | undefined;
    const reload = async () => {
      let next: string;
      try {
        next = await readFile(file, "utf8");
      } catch (err) {
        logger.warn({ err, file }, "supergraph file unreadable; keeping the current supergraph");
        return;
      }
      if (next === current || next.trim() === "") return;
      try {
        // onLoad first: it may refuse the supergraph (e.g. unreadable authorization rules) before the gateway serves it.
        onLoad(next);
        try {
          update(supergraphForGateway(next));
        } catch (err) {
          onLoad(current);
          throw err;
        }
        current = next;
        logger.info({ file }, "supergraph reloaded");
      } catch (err) {
        logger.error({ err, file }, "supergraph rejected; keeping the current supergraph");
      }
    };
    const watcher: FSWatcher = watch(path.dirname(file), (_event, filename) => {
      if (filename !== null && filename !== path.basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), debounceMs);
    });
    watcher.on("error", (err) => logger.error({ err, file }, "supergraph watcher failed"));

    return {
      supergraphSdl: supergraphForGateway(current),
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
