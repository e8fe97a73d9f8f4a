/** Default ports (ARCHITECTURE §1); every one is overridable by env. */
export const DEFAULT_PORTS = {
  router: 4000,
  accounts: 4001,
  doctors: 4002,
  scheduling: 4003,
  clinical: 4004,
  billing: 4005,
  analytics: 4006,
  notifications: 4007,
} as const;
export type ServiceName = keyof typeof DEFAULT_PORTS;
