import { startClinical } from "./index.js";

const running = await startClinical();
const stop = () => void running.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
