/**
 * "unit-tz" project (setupFilesAfterEnv): runs each test file under the process time zone Pacific/Kiritimati (UTC+14),
 * to prove the code under test does not depend on the host's zone.
 *
 * Setting `process.env.TZ` in a setup file is not enough: Jest hands each test file a *copy* of `process.env`, and Node
 * only re-reads TZ when the real `process.env.TZ` is assigned. So set it on the worker's real process (reached through
 * `vm.runInThisContext`, which evaluates in the worker's main context, outside the test sandbox), and restore it after
 * the file, because workers are shared with the other projects.
 */
import { afterAll } from "@jest/globals";
import vm from "node:vm";

const ZONE = "Pacific/Kiritimati";
const realProcess = vm.runInThisContext("process") as NodeJS.Process;
const previous = realProcess.env.TZ;

realProcess.env.TZ = ZONE;
process.env.TZ = ZONE; // the sandbox's copy, so tests can see which project they run in

afterAll(() => {
  if (previous === undefined) delete realProcess.env.TZ;
  else realProcess.env.TZ = previous;
});
