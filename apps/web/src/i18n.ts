/**
 * Translations: English, Korean, Russian and French, one namespace per area of the app (src/locales/<area>.ts, each
 * holding the four languages side by side so a missing key shows in review). The signed-in user's UI language is
 * their notification language (myNotificationPreferences.language); before sign-in, the browser's.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import resourcesToBackend from "i18next-resources-to-backend";
import common from "./locales/common";
import { LAZY_NAMESPACES, LANGUAGES, type Language } from "./locales/index";

export { LANGUAGES, type Language };

export function browserLanguage(): Language {
  const preferred = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of preferred) {
    const base = tag.slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return "en";
}

const resources = Object.fromEntries(LANGUAGES.map((language) => [language, { common: common[language] }]));

// The page's language follows the UI's (screen readers pronounce by it).
i18n.on("languageChanged", (language) => {
  if (typeof document !== "undefined") document.documentElement.lang = language;
});

void i18n
  .use(initReactI18next)
  // Other namespaces come from their own chunk the first time a page needs them (the page suspends meanwhile).
  .use(
    resourcesToBackend(async (language: string, namespace: string) => {
      const load = LAZY_NAMESPACES[namespace];
      if (!load) throw new Error(`no translations named ${namespace}`);
      return (await load()).default[language as Language] ?? {};
    }),
  )
  .init({
    resources,
    partialBundledLanguages: true,
    lng: browserLanguage(),
    fallbackLng: "en",
    defaultNS: "common",
    ns: ["common"],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });

export function setLanguage(language: string) {
  if ((LANGUAGES as readonly string[]).includes(language) && i18n.language !== language) void i18n.changeLanguage(language);
}

export default i18n;
