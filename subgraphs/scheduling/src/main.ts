import { startScheduling } from "./index.js";

const running = await startScheduling();
const stop = () => void running.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
