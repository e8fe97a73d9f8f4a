/** Service entry points run graphql-js in production mode whatever NODE_ENV says, and leave NODE_ENV as it was. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const fixture = fileURLToPath(new URL("./fixtures/graphqlMode.ts", import.meta.url));

async function modeOf(args: string[], nodeEnv: string | undefined): Promise<{ mode: string; nodeEnv: string | null }> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", fixture, ...args], { env });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { mode: string; nodeEnv: string | null };
}

it.each([undefined, "development", "test"])("with NODE_ENV=%s, the entry points' first import puts graphql-js in production mode", async (nodeEnv) => {
  expect(await modeOf(["production-import"], nodeEnv)).toEqual({ mode: "production", nodeEnv: nodeEnv ?? null });
  expect(await modeOf([], nodeEnv)).toEqual({ mode: "development", nodeEnv: nodeEnv ?? null });
});
