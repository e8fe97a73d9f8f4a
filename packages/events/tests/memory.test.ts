import { MemoryStreamLog } from "../src/memory.js";
import { createStreamBus } from "../src/stream-bus.js";
import { busContract } from "./bus.contract.js";

let log = new MemoryStreamLog();

busContract("in-process", {
  // Buses opened in one test share the log, as consumers of one process share the in-process bus.
  open: async () => createStreamBus(log),
  cleanup: async () => {
    log = new MemoryStreamLog();
  },
  groupState: (stream, group) => log.groupState(stream, group),
});
