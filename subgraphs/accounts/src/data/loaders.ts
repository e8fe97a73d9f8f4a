import DataLoader from "dataloader";
import type { UserRecord, UserRepository } from "./users.js";

/** Per-request loader: every User/Patient lookup of one request becomes one query. */
export function createUserLoader(users: UserRepository) {
  return new DataLoader<string, UserRecord | null>(async (ids) => {
    const rows = await users.findByIds(ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
