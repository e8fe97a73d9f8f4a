/** Issuing an invoice by hand (BILLING, ADMIN): a draft whose prices were missing when the visit was confirmed. */
import { badInput, forbidden, isUuid, notFound } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { issueLocked, notIssued } from "./issue.js";
import type { Actor, Invoice } from "./types.js";

export async function issueInvoice(deps: Pick<Deps, "unitOfWork" | "settings" | "clock">, actor: Actor, id: string): Promise<Invoice> {
  if (actor.role !== "BILLING" && actor.role !== "ADMIN") throw forbidden("Only billing staff and administrators issue invoices");
  if (!isUuid(id)) throw badInput("id must be an id", "id");
  return deps.unitOfWork.run(async (tx) => {
    const draft = await tx.invoices.lock(id);
    if (!draft) throw notFound("No such invoice");
    const outcome = await issueLocked(tx, deps.settings, draft, deps.clock());
    if (!outcome.issued) throw notIssued(outcome);
    return outcome.invoice;
  });
}
