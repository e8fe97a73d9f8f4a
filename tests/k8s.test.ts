/**
 * deploy/k8s, without a cluster (scripts/lib/k8s.ts): each overlay renders with kubectl's Kustomize and every object
 * validates against the Kubernetes API's schemas (KEDA's and cert-manager's for their resources); every service of
 * docker-compose.yml runs as a Deployment with both probes and limits (migrations as a Job); every Deployment has a
 * disruption budget and an autoscaler; the network policies admit to a subgraph's port only the router, the
 * subgraphs that read from it (found in the sources), Prometheus, and for billing's payment pages the Ingress.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { DEFAULT_PORTS, REPO_ROOT } from "@clinigraph/platform";
import { subgraphsReadBy } from "./support/serviceCalls.js";
import { K8S_DIR, OVERLAYS, kubectlVersion, parseManifests, render, validate, type K8sObject } from "../scripts/lib/k8s.js";

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string; name: string } } }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  enableServiceLinks?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean };
}
interface Workload extends K8sObject {
  spec: {
    selector?: { matchLabels: Record<string, string> };
    strategy?: { type: string };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
interface Peer {
  podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: unknown;
}
interface NetworkPolicy extends K8sObject {
  spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes: string[]; ingress?: { ports?: { port: number }[]; from?: Peer[] }[] };
}

const compose = parse(readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as { services: Record<string, { build?: unknown }> };
/** docker-compose.yml's own services (built from the Dockerfile), not the third-party ones. */
const services = Object.entries(compose.services)
  .filter(([, service]) => service.build !== undefined)
  .map(([name]) => name);
const subgraphs = readdirSync(path.join(REPO_ROOT, "subgraphs")).filter((name) => name in DEFAULT_PORTS);

/** Who calls whom: each subgraph's configuration names the subgraphs it reads from (`serviceUrl("doctors", …)`). */
const callers = (target: string) => subgraphs.filter((name) => subgraphsReadBy(name).includes(target));

/** The consumer groups a subgraph runs and their streams, from its sources (consumers and the live bridge). */
function consumerGroups(name: string): string[] {
  const dir = path.join(REPO_ROOT, "subgraphs", name, "src");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => /^(events[/\\]consumers|live)[/\\].+\.ts$/.test(file));
  const STREAMS: Record<string, string> = {
    appointments: "clinigraph.scheduling.appointments",
    clinical: "clinigraph.clinical",
    billing: "clinigraph.billing",
    doctors: "clinigraph.doctors",
    audit: "clinigraph.audit",
    accounts: "clinigraph.accounts",
  };
  const groups: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), "utf8");
    const group = /export const \w+_GROUP = "([^"]+)"/.exec(text)?.[1] ?? /group: "([^"]+)"/.exec(text)?.[1];
    if (!group) continue;
    const streams = [...text.matchAll(/STREAMS\.(\w+)/g)].map((m) => STREAMS[m[1]!]!);
    for (const stream of new Set(streams)) groups.push(`${stream} ${group}`);
  }
  return groups.sort();
}

const rendered: Record<string, K8sObject[]> = {};
beforeAll(() => {
  for (const overlay of OVERLAYS) rendered[overlay] = render(path.join(K8S_DIR, "overlays", overlay));
}, 120_000);

const ofKind = <T extends K8sObject>(objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as T[];
const named = <T extends K8sObject>(objects: K8sObject[], kind: string, name: string) => ofKind<T>(objects, kind).find((o) => o.metadata.name === name);
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.entries(selector).every(([key, value]) => labels[key] === value);
const secretTemplate = parseManifests(readFileSync(path.join(K8S_DIR, "secrets.template.yaml"), "utf8"));

describe("deploy/k8s", () => {
  it("renders with a current Kustomize", () => {
    expect(OVERLAYS).toEqual(["dev", "production"]);
    expect(kubectlVersion().kustomize).toMatch(/^v5\./);
  });

  it.each(OVERLAYS)("%s: every object is valid against its schema (core, KEDA and cert-manager)", async (overlay) => {
    const objects = rendered[overlay]!;
    expect(new Set(objects.map((o) => o.kind))).toEqual(
      new Set([
        "Namespace",
        "ConfigMap",
        "Service",
        "Deployment",
        "Job",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "NetworkPolicy",
        "Ingress",
        "ScaledObject",
        "TriggerAuthentication",
      ]),
    );
    expect(await validate(objects)).toEqual([]);
    // The validator refuses what it should (not vacuous).
    const broken = structuredClone(named<Workload>(objects, "Deployment", "router")!);
    (broken.spec as Record<string, unknown>).replicas = "two";
    expect(await validate([broken])).toEqual([{ object: "Deployment/router", error: expect.stringMatching(/replicas must be integer/) }]);
    expect(await validate([{ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "x" } }])).toEqual([
      { object: "Thing/x", error: "no schema for example.com/v1 Thing" },
    ]);
  });

  it("ships the dev ClusterIssuer and the Secret's template as valid objects; the template holds no value", async () => {
    const issuer = parseManifests(readFileSync(path.join(K8S_DIR, "overlays", "dev", "cluster-issuer.yaml"), "utf8"));
    expect(await validate([...issuer, ...secretTemplate])).toEqual([]);
    const values = Object.values((secretTemplate[0] as unknown as { stringData: Record<string, string> }).stringData);
    for (const value of values) expect(value).toMatch(/^<.+>$/);
  });

  describe.each(OVERLAYS)("%s", (overlay) => {
    const objects = () => rendered[overlay]!;
    const deployments = () => ofKind<Workload>(objects(), "Deployment");
    const pods = () => [...deployments(), ...ofKind<Workload>(objects(), "Job")];

    it("runs every service of docker-compose.yml: a Deployment with readiness and liveness probes, migrations as a Job", () => {
      for (const service of services) {
        if (service === "migrate") {
          expect(named(objects(), "Job", "migrate")).toBeDefined();
          continue;
        }
        const deployment = named<Workload>(objects(), "Deployment", service)!;
        expect(deployment).toBeDefined();
        const [container] = deployment.spec.template.spec.containers;
        const node = service !== "web";
        expect(container!.readinessProbe?.httpGet?.path).toBe(node ? "/ready" : "/config.js");
        expect(container!.livenessProbe?.httpGet?.path).toBe(node ? "/health" : "/config.js");
        expect(container!.image).toMatch(new RegExp(`clinigraph/${service}:`));
      }
    });

    it("gives every container requests and limits of CPU and memory", () => {
      for (const workload of pods())
        for (const container of [...workload.spec.template.spec.containers, ...(workload.spec.template.spec.initContainers ?? [])]) {
          expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(["cpu", "memory"]);
          expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(["cpu", "memory"]);
        }
    });

    it("gives every Deployment a disruption budget and an autoscaler (CPU, or KEDA on consumer lag)", () => {
      const budgets = ofKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(objects(), "PodDisruptionBudget");
      const scalers = [...ofKind(objects(), "HorizontalPodAutoscaler"), ...ofKind(objects(), "ScaledObject")] as (K8sObject & {
        spec: { scaleTargetRef: { name: string } };
      })[];
      for (const deployment of deployments()) {
        const labels = deployment.spec.template.metadata.labels;
        expect(budgets.filter((b) => selects(b.spec.selector.matchLabels, labels)).map((b) => b.metadata.name)).toEqual([deployment.metadata.name]);
        expect(scalers.filter((s) => s.spec.scaleTargetRef.name === deployment.metadata.name)).toHaveLength(1);
      }
    });

    it("stops gracefully: endpoints removed (preStop) before SIGTERM, time left to drain, no Service-link variables, not root", () => {
      for (const workload of deployments()) {
        const spec = workload.spec.template.spec;
        expect(spec.enableServiceLinks).toBe(false);
        expect(spec.securityContext?.runAsNonRoot).toBe(true);
        const [, seconds] = spec.containers[0]!.lifecycle!.preStop!.exec!.command;
        expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(Number(seconds) + 15);
      }
      // The router drains for longest among the HTTP services: a request may take REQUEST_TIMEOUT_MS (15 s).
      expect(named<Workload>(objects(), "Deployment", "router")!.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    });

    it("runs each subgraph's consumers in one process of their own and none in its API replicas; KEDA watches each group's lag", () => {
      const scaled = ofKind<
        K8sObject & { spec: { scaleTargetRef: { name: string }; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] } }
      >(objects(), "ScaledObject");
      const envOf = (workload: Workload) => Object.fromEntries((workload.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
      for (const name of subgraphs) {
        const groups = consumerGroups(name);
        const api = named<Workload>(objects(), "Deployment", name)!;
        const events = named<Workload>(objects(), "Deployment", `${name}-events`);
        if (groups.length === 0) {
          expect(events).toBeUndefined();
          continue;
        }
        expect(envOf(api).EVENT_CONSUMERS).toBe("off");
        expect(envOf(events!).EVENT_CONSUMERS).toBe("on");
        // One consumer per group (per-subject order, ADR 8): never two processes, not even during a rollout.
        expect(events!.spec.strategy?.type).toBe("Recreate");
        const object = scaled.find((s) => s.spec.scaleTargetRef.name === `${name}-events`)!;
        expect(object.spec.maxReplicaCount).toBe(1);
        expect(object.spec.triggers.every((t) => t.type === "redis-streams")).toBe(true);
        expect(object.spec.triggers.map((t) => `${t.metadata.stream} ${t.metadata.consumerGroup}`).sort()).toEqual(groups);
      }
    });

    it("lets no subgraph pod start before the release's migrations are in", () => {
      for (const workload of deployments().filter((d) => subgraphs.includes(d.spec.template.metadata.labels["app.kubernetes.io/name"]!))) {
        const name = workload.spec.template.metadata.labels["app.kubernetes.io/name"]!;
        const [wait] = workload.spec.template.spec.initContainers ?? [];
        expect(wait?.image).toMatch(/clinigraph\/migrate:/);
        expect(wait?.args).toEqual(["--wait", name, "--timeout", "600"]);
      }
      expect(named<Workload>(objects(), "Job", "migrate")!.spec.template.spec.containers[0]!.image).toMatch(/clinigraph\/migrate:/);
    });

    it("refers only to keys of the Secret's template, and runs every service from the same release", () => {
      const keys = Object.keys((secretTemplate[0] as unknown as { stringData: Record<string, string> }).stringData);
      const images = new Set<string>();
      for (const workload of pods())
        for (const container of [...workload.spec.template.spec.containers, ...(workload.spec.template.spec.initContainers ?? [])]) {
          images.add(container.image.split(":")[1]!);
          for (const ref of (container.env ?? []).map((e) => e.valueFrom?.secretKeyRef).filter((r) => r !== undefined)) {
            expect(ref.name).toBe("clinigraph-secrets");
            expect(keys).toContain(ref.key);
          }
        }
      expect(images.size).toBe(1);
      expect([...images][0]).not.toBe("latest");
    });

    it("admits to each subgraph's port only the router, the subgraphs that read from it, Prometheus, and for billing the Ingress", () => {
      const policies = ofKind<NetworkPolicy>(objects(), "NetworkPolicy");
      expect(policies.find((p) => p.metadata.name === "default-deny-ingress")?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
      const describePeer = (peer: Peer): string => {
        expect(peer.ipBlock).toBeUndefined();
        const namespace = peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
        if (namespace === "monitoring") {
          expect(peer.podSelector?.matchLabels).toEqual({ "app.kubernetes.io/name": "prometheus" });
          return "prometheus";
        }
        if (namespace) return `namespace ${namespace}`;
        expect(peer.namespaceSelector).toBeUndefined();
        const exact = peer.podSelector?.matchLabels?.["app.kubernetes.io/name"];
        if (exact) return exact;
        const [expression] = peer.podSelector?.matchExpressions ?? [];
        expect(expression?.key).toBe("app.kubernetes.io/name");
        expect(expression?.operator).toBe("In");
        return expression!.values.join(" ");
      };
      for (const name of [...subgraphs, "router"]) {
        const port = DEFAULT_PORTS[name as keyof typeof DEFAULT_PORTS];
        const labels = { "app.kubernetes.io/name": name };
        const admitted = policies
          .filter((p) => selects(p.spec.podSelector.matchLabels ?? {}, labels) && p.metadata.name !== "default-deny-ingress")
          .flatMap((p) => p.spec.ingress ?? [])
          .flatMap((rule) => {
            expect(rule.ports).toEqual([{ port }]);
            expect(rule.from?.length).toBeGreaterThan(0);
            return rule.from!.flatMap((peer) =>
              describePeer(peer)
                .split(" ")
                .filter((part) => part !== "namespace"),
            );
          });
        const expected =
          name === "router" ? ["ingress-nginx", "prometheus"] : ["router", ...callers(name), "prometheus", ...(name === "billing" ? ["ingress-nginx"] : [])];
        expect(admitted.sort()).toEqual(expected.sort());
      }
      // Not vacuous: accounts is read by other subgraphs, analytics by none.
      expect(callers("accounts").length).toBeGreaterThan(0);
      expect(callers("analytics")).toEqual([]);
    });

    it("serves the router and the web app through one Ingress with TLS from cert-manager", () => {
      const [ingress] = ofKind<
        K8sObject & {
          spec: {
            tls: { hosts: string[]; secretName: string }[];
            rules: { host: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
          };
        }
      >(objects(), "Ingress");
      expect(ingress!.metadata.annotations?.["cert-manager.io/cluster-issuer"]).toBe(
        overlay === "dev" ? "clinigraph-dev-selfsigned" : "letsencrypt-production",
      );
      expect(ingress!.metadata.annotations?.["nginx.ingress.kubernetes.io/force-ssl-redirect"]).toBe("true");
      expect(ingress!.spec.tls.flatMap((t) => t.hosts).sort()).toEqual(ingress!.spec.rules.map((r) => r.host).sort());
      const backends = Object.fromEntries(
        ingress!.spec.rules.map((r) => [r.host.split(".")[0], r.http.paths.map((p) => `${p.path} ${p.backend.service.name}`)]),
      );
      expect(backends).toEqual({ api: ["/webhooks/ billing", "/pay/ billing", "/ router"], app: ["/ web"] });
      // The app calls the router where the Ingress serves it, and the router allows the app's origin.
      const config = ofKind<K8sObject & { data: Record<string, string> }>(objects(), "ConfigMap")[0]!.data;
      const api = ingress!.spec.rules.find((r) => r.host.startsWith("api."))!.host;
      const app = ingress!.spec.rules.find((r) => r.host.startsWith("app."))!.host;
      expect(config.CLINIGRAPH_GRAPHQL_URL).toBe(`https://${api}/graphql`);
      expect(config.CORS_ORIGINS).toBe(`https://${app}`);
      expect(config.WEB_APP_URL).toBe(`https://${app}`);
      expect(config.BILLING_PUBLIC_URL).toBe(`https://${api}`);
    });
  });
});
