/** How the examiners' worklist changed between two reads (for a polite announcement), without React. */

export interface WorklistChange {
  /** Examinations that appeared (ordered meanwhile). */
  added: string[];
  /** Examinations that left the list for another reason than this examiner's own action (someone else took them). */
  removed: string[];
}

/** `handled`: ids this examiner performed or cancelled themself (their leaving is announced by the action). */
export function worklistChange(previous: readonly string[], next: readonly string[], handled: ReadonlySet<string> = new Set()): WorklistChange {
  const before = new Set(previous);
  const after = new Set(next);
  return {
    added: next.filter((id) => !before.has(id)),
    removed: previous.filter((id) => !after.has(id) && !handled.has(id)),
  };
}
