/** Where the router is. `/config.js` (served beside the app) may set it; otherwise the app's own origin, `/graphql`. */
declare global {
  interface Window {
    CLINIGRAPH_CONFIG?: { graphqlUrl?: string };
  }
}

export function graphqlUrl(): string {
  const configured = typeof window === "undefined" ? undefined : window.CLINIGRAPH_CONFIG?.graphqlUrl;
  return new URL(configured ?? "/graphql", typeof window === "undefined" ? "http://127.0.0.1:4000" : window.location.href).toString();
}

export function graphqlWsUrl(): string {
  return graphqlUrl().replace(/^http/, "ws");
}
