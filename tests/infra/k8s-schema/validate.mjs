// Validates Kubernetes manifests against the Kubernetes API's own schemas: every document's kind and apiVersion must be a
// built-in resource, and the document must satisfy that resource's JSON schema (types, required fields, enums, formats
// such as quantities and ports), through the validators the npm package kubernetes-models generates from the Kubernetes
// OpenAPI specification. Unknown fields are refused too: the field names of every object are checked against the model
// classes that @kubernetes/client-node generates from the same specification (what kubeconform's -strict does).
//
//   node validate.mjs FILE...        prints "ok KIND NAME (FILE)" per document, every problem, and exits 1 on any
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as k8s from "@kubernetes/client-node";

const problems = [];
let documents = 0;

for (const file of process.argv.slice(2)) {
  const parsed = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      problems.push(`${file}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const data = doc.toJS();
    if (data === null || data === undefined) {
      continue;
    }
    documents++;
    const where = `${file}: ${data.kind ?? "(no kind)"} ${data.metadata?.name ?? "(no name)"}`;
    const model = await load(data.apiVersion, data.kind);
    if (model === null) {
      problems.push(`${where}: apiVersion ${data.apiVersion} kind ${data.kind} is no built-in Kubernetes resource`);
      continue;
    }
    const found = [];
    try {
      new model(data).validate();
    } catch (error) {
      found.push(...String(error.message).split(", ").map((m) => m.replace(/^data\//, "")));
    }
    found.push(...unknownFields(data, clientType(data.apiVersion, data.kind), ""));
    if (found.length === 0) {
      console.log(`ok ${data.kind} ${data.metadata?.name} (${file})`);
    } else {
      problems.push(...found.map((m) => `${where}: ${m}`));
    }
  }
}

if (documents === 0) {
  problems.push("no Kubernetes document was given");
}
for (const p of problems) {
  console.error(p);
}
console.log(`${documents} document(s), ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);

/** The kubernetes-models class of a built-in resource, or null. */
async function load(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9.\/]+$/.test(apiVersion + kind)) {
    return null;
  }
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind] ?? null;
  } catch {
    return null;
  }
}

/** @kubernetes/client-node's model type name of a resource: V1Deployment, V1PodDisruptionBudget, V1NetworkPolicy... */
function clientType(apiVersion, kind) {
  const version = apiVersion.split("/").pop();
  return version.charAt(0).toUpperCase() + version.slice(1) + kind;
}

/** Fields of `value` that its model type (a client-node type string) does not declare, recursively. */
function unknownFields(value, type, path) {
  const found = [];
  if (value === null || value === undefined || type === undefined) {
    return found;
  }
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => found.push(...unknownFields(item, array[1], `${path}/${i}`)));
    }
    return found;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        found.push(...unknownFields(item, map[1], `${path}/${key}`));
      }
    }
    return found;
  }
  const model = k8s[type];
  if (typeof model !== "function" || !Array.isArray(model.attributeTypeMap) || typeof value !== "object" || Array.isArray(value)) {
    return found;
  }
  const fields = new Map(model.attributeTypeMap.map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!fields.has(key)) {
      found.push(`${path.slice(1) || "(top)"}: unknown field "${key}" (not in ${type})`);
    } else {
      found.push(...unknownFields(item, fields.get(key), `${path}/${key}`));
    }
  }
  return found;
}
