import type { ReactNode } from "react";

/** What just succeeded, in a live region that is always there (so a screen reader announces the text when it appears). */
export function SuccessNotice({ children }: { children?: ReactNode }) {
  return (
    <div role="status" aria-live="polite">
      {children ? <p className="alert success">{children}</p> : null}
    </div>
  );
}
