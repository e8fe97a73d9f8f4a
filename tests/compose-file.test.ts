/**
 * docker-compose.yml cannot run on the development machines (no Docker engine), so this keeps it honest:
 * every subgraph that has an SDL has a service with a health check, and so do postgres, redis and the router;
 * each subgraph is told where the subgraphs it reads from are;
 * the services that send e-mail reach an SMTP server that the file runs (unless SMTP_URL says otherwise); the web
 * service is the Dockerfile's nginx image of the app's build, on an origin the router allows, and that image's nginx
 * configuration and start-up script (apps/web/nginx/) do what the service relies on; the `observability` profile's
 * Prometheus, Grafana and Jaeger start only with the profile, listen on the host's loopback only, and are given the
 * files of deploy/observability/ that name every service.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "@clinigraph/platform";
import { subgraphsReadBy } from "./support/serviceCalls.js";

interface Service {
  image?: string;
  profiles?: string[];
  volumes?: string[];
  secrets?: string[];
  build?: string | { context?: string; target?: string; args?: Record<string, string> };
  ports?: string[];
  healthcheck?: { test?: unknown };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
  secrets?: Record<string, { environment?: string; file?: string }>;
  volumes?: Record<string, unknown>;
};
/**
 * A value as compose reads it with none of the variables set: `${NAME:-default}` and `${NAME-default}` give the
 * default, `${NAME}` nothing; `${NAME:?message}` (required) gives undefined.
 */
function withVariablesUnset(value: string | undefined): string | undefined {
  if (value === undefined || /\$\{[A-Z0-9_]+:?\?/.test(value)) return undefined;
  return value.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_all, fallback: string | undefined) => fallback ?? "");
}
const subgraphs = readdirSync(path.join(REPO_ROOT, "subgraphs")).filter((name) => existsSync(path.join(REPO_ROOT, "subgraphs", name, "src", "schema.graphql")));

describe("docker-compose.yml", () => {
  it("has postgres, redis and the router, each with a health check", () => {
    for (const name of ["postgres", "redis", "router"]) expect(compose.services[name]?.healthcheck?.test).toBeDefined();
  });

  it.each(subgraphs)("runs the %s subgraph's image with a health check, and the router knows its URL", (name) => {
    const service = compose.services[name];
    expect(service?.healthcheck?.test).toBeDefined();
    expect(service?.build).toEqual({ context: ".", target: "subgraph", args: { SUBGRAPH: name } });
    // The image's own command (the Dockerfile's CMD), which Docker stops with SIGTERM.
    expect(service?.command).toBeUndefined();
    expect(compose.services.router?.environment?.[`${name.toUpperCase()}_URL`]).toMatch(new RegExp(`^http://${name}:\\d+/graphql$`));
    expect(compose.services.router?.depends_on?.[name]?.condition).toBe("service_healthy");
  });

  it.each(subgraphs)("tells the %s subgraph where each subgraph its configuration reads from is", (name) => {
    // Unset, the URL would be 127.0.0.1, which inside a container is the container itself.
    for (const target of subgraphsReadBy(name)) {
      expect([target, compose.services[name]?.environment?.[`${target.toUpperCase()}_URL`]]).toEqual([
        target,
        expect.stringMatching(new RegExp(`^http://${target}:\\d+/graphql$`)),
      ]);
    }
  });

  it("names every subgraph the supergraph is composed from", () => {
    const supergraph = readFileSync(path.join(REPO_ROOT, "schema", "supergraph.graphql"), "utf8");
    const graphs = [...supergraph.matchAll(/join__graph\(name: "([^"]+)"/g)].map((m) => m[1]!);
    // Not vacuous: if the pattern stopped matching the supergraph, the loop below would check nothing.
    expect(graphs.sort()).toEqual([...subgraphs].sort());
    for (const graph of graphs) expect(compose.services[graph]).toBeDefined();
  });

  it("runs a mail catcher (MailDev: SMTP 1025, web 1080)", () => {
    const maildev = compose.services.maildev;
    expect(maildev?.image).toBe("maildev/maildev:2.2.1");
    expect(maildev?.environment).toMatchObject({ MAILDEV_SMTP_PORT: "1025", MAILDEV_WEB_PORT: "1080" });
  });

  it.each(["notifications", "accounts"])("gives %s an SMTP_URL on a service of this file that it depends on, and MAIL_FROM", (name) => {
    const environment = compose.services[name]?.environment ?? {};
    const smtpUrl = withVariablesUnset(environment.SMTP_URL);
    expect(smtpUrl).toMatch(/^smtps?:\/\//);
    const { hostname, port } = new URL(smtpUrl!);
    const target = compose.services[hostname];
    expect(target).toBeDefined();
    // The port the URL names is the one the catcher listens on.
    if (target?.image?.startsWith("maildev/")) expect(port).toBe(target.environment?.MAILDEV_SMTP_PORT);
    expect(compose.services[name]?.depends_on?.[hostname]).toBeDefined();
    expect(withVariablesUnset(environment.MAIL_FROM)).toMatch(/<[^@\s]+@[^>\s]+>$/);
  });

  it("gives notifications the web app's URL for the links in its messages", () => {
    expect(withVariablesUnset(compose.services.notifications?.environment?.WEB_APP_URL)).toBe("http://127.0.0.1:3000");
  });
});

/** The Dockerfile's stages in order: `FROM <image> AS <name>` and the instructions under it. */
const stages = readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8")
  .split(/^(?=FROM )/m)
  .filter((part) => part.startsWith("FROM "))
  .map((part) => {
    const [, from, name] = /^FROM (\S+)(?: AS (\S+))?/.exec(part)!;
    return { from: from!, name, instructions: part.split("\n").filter((line) => /^[A-Z]+ /.test(line)) };
  });
type Stage = (typeof stages)[number];
const stageNamed = (name: string) => stages.find((stage) => stage.name === name);
/** A stage and those it is built on, itself first. */
function lineage(stage: Stage): Stage[] {
  const parent = stageNamed(stage.from);
  return parent ? [stage, ...lineage(parent)] : [stage];
}
/** The image a stage starts from, following stages built on other stages. */
function baseImage(stage: Stage): string {
  return lineage(stage).at(-1)!.from;
}
/** The last value of an instruction (USER, CMD, WORKDIR…) in effect for a stage, its parents' included. */
function lastOf(stage: Stage, instruction: string): string | undefined {
  for (const { instructions } of lineage(stage)) {
    const line = instructions.findLast((text) => text.startsWith(`${instruction} `));
    if (line) return line.slice(instruction.length + 1);
  }
  return undefined;
}
const webStage = stages.find((stage) => stage.name === "web");
const nginxDir = path.join(REPO_ROOT, "apps", "web", "nginx");
const template = readFileSync(path.join(nginxDir, "default.conf.template"), "utf8");
const configScript = path.join(nginxDir, "clinigraph-config.envsh");
const web = compose.services.web;

/** Sources clinigraph-config.envsh as nginx's entrypoint does; the config.js it wrote and what it exported. */
function runConfigScript(env: Record<string, string>): { configJs: string; connectSrc: string } {
  const html = mkdtempSync(path.join(tmpdir(), "clinigraph-web-"));
  try {
    const connectSrc = execFileSync("sh", ["-c", '. "$0" >/dev/null && printf %s "$CLINIGRAPH_CONNECT_SRC"', configScript], {
      env: { PATH: process.env.PATH, ...env, CLINIGRAPH_HTML_DIR: html },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { configJs: readFileSync(path.join(html, "config.js"), "utf8"), connectSrc };
  } finally {
    rmSync(html, { recursive: true, force: true });
  }
}

/** The Node images: compose's build target → the workspace package whose files the image holds. */
const NODE_IMAGES = { router: "@clinigraph/router", migrate: "@clinigraph/platform", subgraph: "@clinigraph/$SUBGRAPH" } as const;
const builtServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe("the Dockerfile's images", () => {
  it("builds every service of docker-compose.yml from a target of its own", () => {
    expect(builtServices.map(([name]) => name).sort()).toEqual(["migrate", "router", "web", ...subgraphs].sort());
    for (const [, service] of builtServices) {
      expect(typeof service.build).toBe("object");
      const { context, target } = service.build as { context: string; target: string };
      expect(context).toBe(".");
      expect(stageNamed(target)).toBeDefined();
    }
    expect(compose.services.router?.build).toEqual({ context: ".", target: "router" });
    expect(compose.services.migrate?.build).toEqual({ context: ".", target: "migrate" });
  });

  it.each(Object.keys(NODE_IMAGES))("runs the %s image on node:24-bookworm-slim, not built on the builder (no dev tools)", (target) => {
    const stage = stageNamed(target)!;
    expect(baseImage(stage)).toBe("node:24-bookworm-slim");
    expect(lineage(stage).map((s) => s.name)).not.toContain("builder");
    expect(lastOf(stage, "ENV")).toBe("NODE_ENV=production");
    // Its only files: those `pnpm image:files` gathered (the package, the workspace packages it imports, their
    // production dependencies) in a stage of the builder's.
    const copies = lineage(stage).flatMap((s) => s.instructions.filter((line) => /^(COPY|ADD) /.test(line)));
    expect(copies).toHaveLength(1);
    const [, from] = /^COPY --from=(\S+) \/out \/app$/.exec(copies[0]!)!;
    const filesStage = stageNamed(from!)!;
    expect(filesStage.from).toBe("builder");
    const gather = filesStage.instructions.find((line) => line.includes("pnpm image:files"))!;
    const [, gathered] = /^RUN pnpm image:files "?([^"\s]+)"? \/out(?: --with \S+)*$/.exec(gather)!;
    expect(gathered).toBe(NODE_IMAGES[target as keyof typeof NODE_IMAGES]);
    for (const [, extra] of gather.matchAll(/--with (\S+)/g)) expect(existsSync(path.join(REPO_ROOT, extra!))).toBe(true);
  });

  it("builds what the images gather: every Node package compiled (pnpm build:services), image:files a script of the repository", () => {
    const builder = stageNamed("builder")!;
    expect(baseImage(builder)).toBe("node:24-bookworm-slim");
    expect(builder.instructions).toContain("RUN pnpm install --frozen-lockfile && pnpm generate && pnpm build:services");
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["build:services"]).toBe("tsx scripts/build-services.ts");
    expect(scripts["image:files"]).toBe("tsx scripts/image-files.ts");
  });

  it.each(["router", "migrate", "subgraph", "web"])("runs the %s image as a user other than root", (target) => {
    const user = lastOf(stageNamed(target)!, "USER");
    expect(user).toBeDefined();
    expect(["root", "0", "0:0"]).not.toContain(user);
  });

  /** The file a Node image starts, for a subgraph when built with SUBGRAPH=`subgraph`; relative to the repository. */
  function entryOf(target: string, subgraph?: string): string {
    const stage = stageNamed(target)!;
    const cmd = JSON.parse(lastOf(stage, "CMD")!) as string[];
    expect(cmd.slice(0, 2)).toEqual(["node", "--conditions=clinigraph-dist"]);
    const workdir = lastOf(stage, "WORKDIR")!.replace("${SUBGRAPH}", subgraph ?? "");
    return path.posix.relative("/app", path.posix.join(workdir, cmd[2]!));
  }

  it("starts each service from the compiled twin of a source the repository has, which pnpm build:services builds", async () => {
    const { serviceBuildTargets } = await import("../scripts/build-services.js");
    const built = serviceBuildTargets().map(({ packageDir }) => path.relative(REPO_ROOT, packageDir));
    const entries = [entryOf("router"), entryOf("migrate"), ...subgraphs.map((name) => entryOf("subgraph", name))];
    expect(entries.slice(0, 2)).toEqual(["router/dist/main.js", "packages/platform/dist/cli/migrate.js"]);
    for (const entry of entries) {
      const [, dir, file] = /^(.+)\/dist\/(.+)\.js$/.exec(entry)!;
      expect(existsSync(path.join(REPO_ROOT, dir!, "src", `${file}.ts`))).toBe(true);
      expect(built).toContain(dir);
    }
    expect(entries.slice(2)).toEqual(subgraphs.map((name) => `subgraphs/${name}/dist/main.js`));
  });
});

describe("docker-compose.yml's web app (Dockerfile, apps/web/nginx)", () => {
  it("builds the web service from the Dockerfile's nginx stage, nginx's unprivileged image", () => {
    expect(web?.build).toEqual({ context: ".", target: "web" });
    expect(webStage?.from).toMatch(/^nginxinc\/nginx-unprivileged:[\d.]+-alpine$/);
  });

  it("puts the app's build, the nginx template and the start-up script where nginx's image uses them", () => {
    const copies = webStage!.instructions.filter((line) => line.startsWith("COPY "));
    const build = copies.find((line) => line.includes("--from="))!;
    const buildStage = stages.find((stage) => stage.name === /--from=(\S+)/.exec(build)![1])!;
    expect(build).toMatch(/ \/app\/apps\/web\/dist \/usr\/share\/nginx\/html$/);
    expect(buildStage.instructions.join("\n")).toMatch(/vite build/);
    // .dockerignore leaves out the generated sources `pnpm generate` writes, but not the app's committed typed operations.
    expect(readFileSync(path.join(REPO_ROOT, ".dockerignore"), "utf8")).toMatch(/^!apps\/web\/src\/generated$/m);

    const copied = new Map(
      copies
        .filter((line) => line !== build)
        .map((line) => line.split(" ").slice(-2) as [string, string])
        .map(([from, to]) => [to, from]),
    );
    expect(copied.get("/etc/nginx/templates/default.conf.template")).toBe("apps/web/nginx/default.conf.template");
    const [scriptTarget, scriptSource] = [...copied].find(([to]) => to.startsWith("/docker-entrypoint.d/"))!;
    expect(scriptSource).toBe("apps/web/nginx/clinigraph-config.envsh");
    // Sourced (so its export reaches the template step, 20-envsubst-on-templates.sh) only when executable, and before it.
    expect(path.basename(scriptTarget)).toMatch(/^(0\d|1\d)-.*\.envsh$/);
    expect(copies.find((line) => line.endsWith(` ${scriptTarget}`))).toContain("--chmod=755");
    for (const source of copied.values()) expect(existsSync(path.join(REPO_ROOT, source))).toBe(true);
  });

  it("publishes the app on port 3000, tells it the router's published address, and the router allows its origin", () => {
    const listen = /^\s*listen (\d+);/m.exec(template)![1];
    expect(web?.ports).toEqual([`3000:${listen}`]);
    const graphqlUrl = new URL(withVariablesUnset(web?.environment?.CLINIGRAPH_GRAPHQL_URL)!);
    expect(graphqlUrl.href).toBe("http://127.0.0.1:4000/graphql");
    expect(compose.services.router?.ports).toContain(`${graphqlUrl.port}:${compose.services.router?.environment?.ROUTER_PORT}`);
    expect(web?.depends_on?.router).toBeDefined();
    expect(web?.healthcheck?.test).toBeDefined();

    const origins = withVariablesUnset(compose.services.router?.environment?.CORS_ORIGINS)!.split(",");
    expect(origins).toEqual(expect.arrayContaining(["http://127.0.0.1:3000", "http://localhost:3000"]));
    // E-mails link into the app where this file serves it.
    expect(origins).toContain(new URL(withVariablesUnset(compose.services.notifications?.environment?.WEB_APP_URL)!).origin);
  });

  it("serves the single-page app: every route gets index.html, hashed assets are cached for good, index.html and config.js are not", () => {
    expect(template).toMatch(/location \/ \{\s*try_files \$uri \/index\.html;/);
    expect(template).toMatch(/location \/assets\/ \{\s*try_files \$uri =404;/);
    expect(template).toMatch(/~\^\/assets\/\s+"public, max-age=31536000, immutable";\s*default\s+"no-cache";/);
    expect(template).toMatch(/^\s*gzip on;/m);
    expect(template).toMatch(/gzip_types [^;]*application\/javascript[^;]*;/);
  });

  it("sends the security headers with every response (set in the server block: a location's add_header would drop them)", () => {
    for (const block of template.matchAll(/location [^{]+\{([^}]*)\}/g)) expect(block[1]).not.toContain("add_header");
    expect(template).toMatch(/add_header X-Content-Type-Options nosniff always;/);
    expect(template).toMatch(/add_header Referrer-Policy no-referrer always;/);
    const csp = /add_header Content-Security-Policy "([^"]+)" always;/.exec(template)![1]!;
    const directives = new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));
    expect(directives.get("script-src")).toBe("'self'");
    expect(directives.get("frame-ancestors")).toBe("'none'");
    expect(directives.get("connect-src")).toBe("'self' ${CLINIGRAPH_CONNECT_SRC}");
  });

  it("writes /config.js at start from the variable the web service sets, and lets the page reach that router (HTTP and WebSocket)", () => {
    expect(Object.keys(web?.environment ?? {})).toEqual(["CLINIGRAPH_GRAPHQL_URL"]);
    const composed = withVariablesUnset(web?.environment?.CLINIGRAPH_GRAPHQL_URL)!;
    expect(runConfigScript({ CLINIGRAPH_GRAPHQL_URL: composed })).toEqual({
      configJs: `window.CLINIGRAPH_CONFIG = {"graphqlUrl":"${composed}"};\n`,
      connectSrc: "http://127.0.0.1:4000 ws://127.0.0.1:4000",
    });
    expect(runConfigScript({ CLINIGRAPH_GRAPHQL_URL: "https://api.clinic.example/graphql" })).toEqual({
      configJs: 'window.CLINIGRAPH_CONFIG = {"graphqlUrl":"https://api.clinic.example/graphql"};\n',
      connectSrc: "https://api.clinic.example wss://api.clinic.example",
    });
    // Every variable the template names is one the script exports (the rest would reach nginx as ${...}).
    const placeholders = [...template.replace(/^\s*#.*$/gm, "").matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]);
    expect(placeholders).toEqual(["CLINIGRAPH_CONNECT_SRC"]);
  });

  it("refuses a router address that would not be a plain URL in config.js and the header", () => {
    for (const url of ['http://127.0.0.1:4000/graphql"', "http://127.0.0.1:4000/graphql; script-src *", "ftp://127.0.0.1/graphql", "/graphql"])
      expect(() => runConfigScript({ CLINIGRAPH_GRAPHQL_URL: url })).toThrow(/CLINIGRAPH_GRAPHQL_URL must be an http\(s\) URL/);
  });
});

describe("docker-compose.yml's observability profile (deploy/observability)", () => {
  const OBSERVABILITY = ["prometheus", "grafana", "jaeger"];
  const observability = path.join(REPO_ROOT, "deploy", "observability");
  const readYaml = <T>(file: string) => parse(readFileSync(file, "utf8")) as T;
  /** `host:container[:mode]` of a service's bind mounts (./… on the host), by container path. */
  const mounts = (service: Service | undefined) =>
    new Map(
      (service?.volumes ?? [])
        .filter((volume) => volume.startsWith("./"))
        .map((volume) => volume.split(":") as [string, string, string?])
        .map(([host, container]) => [container, path.join(REPO_ROOT, host)]),
    );

  it("runs Prometheus, Grafana and Jaeger only with --profile observability, and nothing else in that profile", () => {
    for (const name of OBSERVABILITY) expect(compose.services[name]?.profiles).toEqual(["observability"]);
    const profiled = Object.entries(compose.services).filter(([, service]) => service.profiles !== undefined);
    expect(profiled.map(([name]) => name).sort()).toEqual([...OBSERVABILITY].sort());
    // The stack itself never waits for them.
    for (const [name, service] of Object.entries(compose.services))
      if (!OBSERVABILITY.includes(name)) for (const dependency of Object.keys(service.depends_on ?? {})) expect(OBSERVABILITY).not.toContain(dependency);
  });

  it("publishes their ports on the host's loopback only (UIs without TLS, Prometheus without a login)", () => {
    for (const name of OBSERVABILITY) {
      const ports = compose.services[name]?.ports ?? [];
      expect(ports.length).toBeGreaterThan(0);
      for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
    expect(compose.services.jaeger?.ports).toContain("127.0.0.1:16686:16686");
    expect(compose.services.prometheus?.ports).toEqual(["127.0.0.1:9090:9090"]);
  });

  it("gives Prometheus its configuration, which scrapes the router with METRICS_TOKEN and every subgraph on its port", () => {
    const prometheus = compose.services.prometheus!;
    const configDir = mounts(prometheus).get("/etc/prometheus")!;
    expect(configDir).toBe(path.join(observability, "prometheus"));
    expect(prometheus.volumes).toContain("./deploy/observability/prometheus:/etc/prometheus:ro");
    const config = readYaml<{
      rule_files: string[];
      scrape_configs: {
        job_name: string;
        honor_labels?: boolean;
        authorization?: { type: string; credentials_file: string };
        static_configs: { targets: string[]; labels?: Record<string, string> }[];
      }[];
    }>(path.join(configDir, "prometheus.yml"));
    expect(config.rule_files).toEqual(["/etc/prometheus/rules/*.yml"]);
    expect(readdirSync(path.join(configDir, "rules")).filter((f) => f.endsWith(".yml")).length).toBeGreaterThan(0);

    const targets = new Map(
      config.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets.map((t) => [t, { job, labels: c.labels }] as const))),
    );
    const router = compose.services.router!;
    const routerTarget = targets.get(`router:${router.environment?.ROUTER_PORT}`);
    expect(routerTarget?.labels).toEqual({ service: "router" });
    // The router answers /metrics on 0.0.0.0 only with its bearer token: the same METRICS_TOKEN, as a secret file.
    const [secret] = prometheus.secrets ?? [];
    expect(compose.secrets?.[secret!]).toEqual({ environment: "METRICS_TOKEN" });
    expect(router.environment?.METRICS_TOKEN).toBe("${METRICS_TOKEN:-}");
    expect(routerTarget?.job.authorization).toEqual({ type: "Bearer", credentials_file: `/run/secrets/${secret}` });

    for (const name of subgraphs) {
      const port = compose.services[name]?.environment?.[`${name.toUpperCase()}_PORT`];
      const target = targets.get(`${name}:${port}`);
      expect(target?.labels).toEqual({ service: name });
      expect(target?.job.honor_labels).toBe(true); // the series' own service label wins (they are equal)
      expect(target?.job.authorization).toBeUndefined();
    }
    expect(targets.size).toBe(subgraphs.length + 1);
  });

  it("provisions Grafana with that Prometheus and mounts every dashboard where the provider reads them", () => {
    const grafana = compose.services.grafana!;
    const mounted = mounts(grafana);
    const provisioning = mounted.get("/etc/grafana/provisioning")!;
    const dashboards = mounted.get("/etc/grafana/dashboards")!;
    expect(provisioning).toBe(path.join(observability, "grafana", "provisioning"));
    expect(dashboards).toBe(path.join(observability, "grafana", "dashboards"));
    expect(readdirSync(dashboards).sort()).toEqual(["event-flow.json", "router.json", "subgraphs.json"]);

    const datasources = readYaml<{ datasources: { uid: string; type: string; url: string }[] }>(path.join(provisioning, "datasources", "prometheus.yml"));
    const prometheusPort = compose.services.prometheus!.ports![0]!.split(":").at(-1);
    expect(datasources.datasources).toEqual([expect.objectContaining({ type: "prometheus", url: `http://prometheus:${prometheusPort}` })]);
    const providers = readYaml<{ providers: { options: { path: string } }[] }>(path.join(provisioning, "dashboards", "clinigraph.yml"));
    expect(providers.providers.map((p) => p.options.path)).toEqual(["/etc/grafana/dashboards"]);
    // Every panel and variable of every dashboard reads the provisioned data source.
    for (const file of readdirSync(dashboards)) {
      const text = readFileSync(path.join(dashboards, file), "utf8");
      const uids = new Set([...text.matchAll(/"uid": "([^"]+)",\s*"type": "prometheus"|"type": "prometheus",\s*"uid": "([^"]+)"/g)].map((m) => m[1] ?? m[2]));
      expect([...uids]).toEqual([datasources.datasources[0]!.uid]);
    }
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toMatch(/^\/etc\/grafana\/dashboards\/[a-z-]+\.json$/);
    expect(existsSync(path.join(dashboards, path.basename(grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!)))).toBe(true);
  });

  it("sends traces nowhere by default, to Jaeger's OTLP/HTTP receiver when OTEL_EXPORTER_OTLP_ENDPOINT names it", () => {
    for (const name of [...subgraphs, "router", "migrate"])
      expect(compose.services[name]?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe("${OTEL_EXPORTER_OTLP_ENDPOINT:-}");
    expect(withVariablesUnset(compose.services.router?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT)).toBe("");
    expect((compose.services.jaeger?.command ?? []).join(" ")).toContain("receivers.otlp.protocols.http.endpoint=0.0.0.0:4318");
    expect(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")).toContain(
      "OTEL_EXPORTER_OTLP_ENDPOINT=http://jaeger:4318 docker compose --profile observability up",
    );
  });
});
