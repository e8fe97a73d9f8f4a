// Replaced by the server that serves the app (pnpm start writes the router's address here; the nginx image templates it).
window.CLINIGRAPH_CONFIG = window.CLINIGRAPH_CONFIG || {};
