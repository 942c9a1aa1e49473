// Writes src/generated/index.ts from a protoc descriptor set (--include_imports):
// the table of every infrafi Msg (type URL, amino name from the proto's
// (amino.name) option, signer field from (cosmos.msg.v1.signer)), the field
// metadata the generic amino converters and the client-side validation walk,
// and the table of every infrafi REST query (path from (google.api.http)).
// Run by scripts/tsgen.sh; the output is committed and checked by make ts-check.
import { readFileSync, writeFileSync } from "node:fs";
import { fromBinary, getOption, hasOption, ScalarType } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { createFileRegistry } from "@bufbuild/protobuf";

const [setPath, outPath] = process.argv.slice(2);
if (!setPath || !outPath) {
  console.error("usage: gen-index.mjs <descriptors.pb> <out.ts>");
  process.exit(2);
}

const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(setPath)));
const ext = (name) => {
  const e = registry.getExtension(name);
  if (!e) throw new Error(`extension ${name} is not in the descriptor set`);
  return e;
};
const aminoName = ext("amino.name");
const aminoDontOmitempty = ext("amino.dont_omitempty");
const aminoFieldName = ext("amino.field_name");
const aminoEncoding = ext("amino.encoding");
const cosmosScalar = ext("cosmos_proto.scalar");
const msgSigner = ext("cosmos.msg.v1.signer");
const httpRule = ext("google.api.http");

const infrafiFiles = [...registry.files]
  .filter((f) => f.proto.package.startsWith("infrafi."))
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

// The generated module a descriptor's TypeScript type lives in, as an import alias.
const alias = (file) => file.name.replace(/[^A-Za-z0-9]/g, "_");
const usedFiles = new Map();
const typeRef = (desc) => {
  usedFiles.set(alias(desc.file), desc.file);
  // ts-proto names nested messages Parent_Child.
  const local = desc.typeName.slice(desc.file.proto.package.length + 1).replace(/\./g, "_");
  return `${alias(desc.file)}.${local}`;
};

const scalarKinds = {
  [ScalarType.DOUBLE]: "double",
  [ScalarType.FLOAT]: "float",
  [ScalarType.INT64]: "int64",
  [ScalarType.UINT64]: "uint64",
  [ScalarType.INT32]: "int32",
  [ScalarType.FIXED64]: "uint64",
  [ScalarType.FIXED32]: "uint32",
  [ScalarType.BOOL]: "bool",
  [ScalarType.STRING]: "string",
  [ScalarType.BYTES]: "bytes",
  [ScalarType.UINT32]: "uint32",
  [ScalarType.SFIXED32]: "int32",
  [ScalarType.SFIXED64]: "int64",
  [ScalarType.SINT32]: "int32",
  [ScalarType.SINT64]: "int64",
};

// Field metadata of every message reachable from a Msg, keyed by full name.
const messages = new Map();
const describe = (desc) => {
  if (messages.has(desc.typeName)) return;
  messages.set(desc.typeName, null);
  const fields = desc.fields.map((f) => {
    if (f.fieldKind === "map") throw new Error(`${desc.typeName}.${f.name}: map fields are not supported by the amino converters`);
    if (f.oneof) throw new Error(`${desc.typeName}.${f.name}: oneof fields are not supported by the amino converters`);
    const m = { name: f.name, json: f.jsonName, repeated: f.fieldKind === "list" };
    const kind = f.fieldKind === "list" ? f.listKind : f.fieldKind;
    if (kind === "scalar") {
      m.kind = scalarKinds[f.scalar];
    } else if (kind === "enum") {
      m.kind = "enum";
    } else {
      m.kind = "message";
      m.type = f.message.typeName;
      describe(f.message);
    }
    if (hasOption(f, aminoDontOmitempty) && getOption(f, aminoDontOmitempty)) m.dontOmitEmpty = true;
    if (hasOption(f, aminoFieldName)) m.aminoName = getOption(f, aminoFieldName);
    if (hasOption(f, aminoEncoding)) m.encoding = getOption(f, aminoEncoding);
    if (hasOption(f, cosmosScalar)) m.scalar = getOption(f, cosmosScalar);
    return m;
  });
  messages.set(desc.typeName, fields);
};

const msgs = [];
const queries = [];
for (const file of infrafiFiles) {
  const module = file.proto.package.split(".")[1];
  for (const service of file.services) {
    if (service.name === "Msg") {
      for (const method of service.methods) {
        const input = method.input;
        if (!hasOption(input, aminoName)) throw new Error(`${input.typeName} has no (amino.name) option`);
        const signers = hasOption(input, msgSigner) ? getOption(input, msgSigner) : [];
        if (signers.length !== 1) throw new Error(`${input.typeName} must name exactly one (cosmos.msg.v1.signer)`);
        describe(input);
        msgs.push({
          module,
          name: method.name,
          typeUrl: `/${input.typeName}`,
          aminoType: getOption(input, aminoName),
          signer: signers[0],
          type: typeRef(input),
        });
      }
    } else if (service.name === "Query") {
      for (const method of service.methods) {
        if (!hasOption(method, httpRule)) throw new Error(`${service.typeName}.${method.name} has no (google.api.http) option`);
        const rule = getOption(method, httpRule);
        if (rule.pattern.case !== "get") throw new Error(`${service.typeName}.${method.name}: only GET queries are supported`);
        queries.push({
          module,
          name: method.name.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (s) => s.toLowerCase()),
          path: rule.pattern.value,
          request: typeRef(method.input),
          response: typeRef(method.output),
        });
      }
    }
  }
}

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const lines = [];
lines.push("// Code generated by clients/ts/scripts/gen-index.mjs from proto/. DO NOT EDIT.");
lines.push("// Regenerate with `make ts-gen`.");
lines.push("");
lines.push('import type { FieldMeta, MsgEntry, QueryEntry } from "../meta.js";');
for (const [name, file] of [...usedFiles].sort((a, b) => byName(a[0], b[0]))) {
  lines.push(`import * as ${name} from "./${file.name}.js";`);
}
lines.push("");
lines.push("/** Field metadata of every message an infrafi Msg contains, by full protobuf name. */");
lines.push("export const messageFields: Record<string, readonly FieldMeta[]> = {");
for (const name of [...messages.keys()].sort(byName)) {
  lines.push(`  ${JSON.stringify(name)}: ${JSON.stringify(messages.get(name))},`);
}
lines.push("};");
lines.push("");
lines.push("/** Every infrafi Msg: type URL, amino name and the field that names the signer. */");
lines.push("export const msgEntries = [");
for (const m of msgs) {
  lines.push(
    `  { module: ${JSON.stringify(m.module)}, name: ${JSON.stringify(m.name)}, typeUrl: ${JSON.stringify(m.typeUrl)}, aminoType: ${JSON.stringify(m.aminoType)}, signer: ${JSON.stringify(m.signer)}, type: ${m.type} },`,
  );
}
lines.push("] as const satisfies readonly MsgEntry[];");
lines.push("");
lines.push("/** Every infrafi query served over REST by the node's gRPC gateway. */");
lines.push("export const queryEntries = {");
for (const module of [...new Set(queries.map((q) => q.module))]) {
  lines.push(`  ${module}: {`);
  for (const q of queries.filter((x) => x.module === module)) {
    lines.push(`    ${q.name}: { path: ${JSON.stringify(q.path)}, request: ${q.request}, response: ${q.response} },`);
  }
  lines.push("  },");
}
lines.push("} as const satisfies Record<string, Record<string, QueryEntry>>;");
lines.push("");
lines.push("// The generated types of every infrafi proto file, one namespace per file.");
for (const file of infrafiFiles) {
  const ns = file.name.replace(/^infrafi\//, "").replace(/\/v1\//, "/").split(/[/_]/)
    .map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join("");
  lines.push(`export * as ${ns} from "./${file.name}.js";`);
}
lines.push("");
writeFileSync(outPath, lines.join("\n"));
