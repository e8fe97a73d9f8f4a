export { createRouter, type Router, type RouterOptions } from "./server.js";
export { loadRouterConfig, subgraphUrlOverrides, type RouterConfig } from "./config.js";
export type { SupergraphSource } from "./supergraphSource.js";
export type { RouterContext } from "./context.js";
export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "./auth.js";
export { subgraphsOf, type SubgraphEndpoint } from "./supergraph.js";
