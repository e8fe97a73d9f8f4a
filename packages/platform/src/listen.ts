import type http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Connections the kernel may queue before the process accepts them. Node's default (511) overflowed when a
 * thousand clients connected at once while the event loop was busy: the kernel then dropped their handshakes and
 * some of them ended in ECONNRESET. The kernel caps it at net.core.somaxconn (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096;

/** Listens on host:port (0 picks a free port) and resolves with the actual port; rejects on EADDRINUSE etc. */
export async function listenHttp(httpServer: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  return (httpServer.address() as AddressInfo).port;
}
