/** Default ports: the router on the base (CLINIGRAPH_PORT_BASE, 4000), each subgraph on base + its offset; see config.ts. */
export const DEFAULT_PORTS = {
  router: 4000,
  accounts: 4001,
  doctors: 4002,
  scheduling: 4003,
  clinical: 4004,
  billing: 4005,
  analytics: 4006,
  notifications: 4007,
  // new:subgraph ports
} as const;
export type ServiceName = keyof typeof DEFAULT_PORTS;
