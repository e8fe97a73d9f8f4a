/** `tsx apps/web/build.ts`: builds the web app and GraphiQL unless they are current (see server.ts). */
import { buildWebIfStale } from "./server.js";

const built = await buildWebIfStale((line) => console.log(line));
if (!built) console.log("the web app's build is current");
