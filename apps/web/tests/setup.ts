/**
 * The web project's test setup: jsdom lacks TextEncoder (react-router needs it), and every namespace of translations is
 * loaded before a test renders (the app loads them on demand, which would suspend the first render).
 */
import { TextDecoder, TextEncoder } from "node:util";

Object.assign(globalThis, { TextEncoder, TextDecoder });
const { default: i18n } = await import("../src/i18n");
const { LAZY_NAMESPACES } = await import("../src/locales/index");
await i18n.loadNamespaces(Object.keys(LAZY_NAMESPACES));
