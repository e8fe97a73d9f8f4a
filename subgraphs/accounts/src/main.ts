import { startAccounts } from "./index.js";

const running = await startAccounts();
const stop = () => void running.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
