import { createMemoryLiveFeed } from "../src/live/index.js";
import { liveFeedContract } from "./live.contract.js";

liveFeedContract("in process", async () => createMemoryLiveFeed());
