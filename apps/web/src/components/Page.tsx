import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** A page: its title in the tab and as the heading, which takes focus when the page opens (keyboard and screen readers start there). */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t("app")}`;
  }, [title, t]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </>
  );
}
