import type http from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on host:port (0 picks a free port) and resolves with the actual port; rejects on EADDRINUSE etc. */
export async function listenHttp(httpServer: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  return (httpServer.address() as AddressInfo).port;
}
