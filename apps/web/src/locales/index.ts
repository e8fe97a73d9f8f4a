/**
 * The namespaces of translations: `common` (the shell, shared words) ships with the app; every other one is its own
 * file, loaded the first time a page asks for it (an area's texts travel with that area, not in the first page).
 */
export const LANGUAGES = ["en", "ko", "ru", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];
/** One area's texts: the same keys in every language. */
export type Texts = Record<Language, Record<string, unknown>>;

/** Namespace → its file, loaded on demand. An area adds its file here. */
export const LAZY_NAMESPACES: Record<string, () => Promise<{ default: Texts }>> = {
  patient: () => import("./patient"),
  doctor: () => import("./doctor"),
  reception: () => import("./reception"),
  examiner: () => import("./examiner"),
  stakeholder: () => import("./stakeholder"),
  admin: () => import("./admin"),
  settings: () => import("./settings"),
};
