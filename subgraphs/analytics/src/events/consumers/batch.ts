/**
 * Stream entries analytics' fact consumers read and write at once: one round trip to Redis and one transaction per
 * block instead of per event (a block that fails is handled again one event at a time).
 */
export const INGEST_BATCH = 500;
