/** fast-check arbitraries for hostile webhook input. */
import fc from "fast-check";

type Json = unknown;
export type Path = Array<string | number>;

const SPECIAL_KEYS = [
  "$x",
  "_x",
  "$",
  "_",
  "_id",
  "_creationTime",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  " ",
  "a.b",
  "a/b",
  "\u0000",
  "line\nbreak",
  "ключ",
  "键",
  "😀",
  "\u202e",
];

/** Keys Convex forbids in field names, keys JavaScript treats specially, and keys from nowhere. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SPECIAL_KEYS, "x".repeat(1024)),
  fc.string({ unit: "binary", maxLength: 24 }),
);

/** The same, short enough to nest a few hundred deep. */
const shortHostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SPECIAL_KEYS),
  fc.string({ unit: "binary", maxLength: 8 }),
);

/** Scalars of every JSON type, extremes included. */
export const jsonScalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", "null", "undefined", "0", "NaN", "[object Object]", "user_", "<script>alert(1)</script>"),
);

/** A chain of `depth` nested objects and arrays under hostile keys. */
export const deepValue: fc.Arbitrary<Json> = fc
  .tuple(fc.integer({ min: 1, max: 200 }), shortHostileKey, jsonScalar)
  .map(([depth, key, leaf]) => {
    let value: Json = leaf;
    for (let i = 0; i < depth; i++) value = i % 3 === 2 ? [value] : { [key]: value };
    return value;
  });

/** Clerk caps each kind of metadata at 8 KB. */
const METADATA_CAP = 8 * 1024;

/** Metadata as hostile as Clerk lets anyone write: any keys, any depth, up to Clerk's 8 KB. */
export const hostileMetadata: fc.Arbitrary<Record<string, Json>> = fc
  .tuple(
    fc.object({ key: hostileKey, maxDepth: 4, maxKeys: 6, values: [jsonScalar] }),
    fc.option(deepValue, { nil: undefined }),
    hostileKey,
  )
  .map(([wide, deep, key]) => {
    // JSON.parse makes `__proto__` an own key, as it will be on the server: build the same way.
    const metadata = JSON.parse(JSON.stringify(wide)) as Record<string, Json>;
    if (deep !== undefined)
      Object.defineProperty(metadata, key, { value: deep, enumerable: true, configurable: true, writable: true });
    return metadata;
  })
  .filter((metadata) => new TextEncoder().encode(JSON.stringify(metadata)).length <= METADATA_CAP);

/** A value of the wrong type for whatever field it lands in. */
export const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  jsonScalar,
  fc.constant([]),
  fc.constant({}),
  fc.array(jsonScalar, { maxLength: 4 }),
  hostileMetadata,
);

/** Every path into a JSON value (object keys and array indices), to at most `maxDepth` levels. */
export function pathsOf(value: Json, maxDepth = 5, prefix: Path = []): Path[] {
  if (prefix.length >= maxDepth || typeof value !== "object" || value === null) return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value)
    ? value.map((item, i): [number, Json] => [i, item])
    : Object.entries(value as Record<string, Json>);
  return entries.flatMap(([key, child]) => {
    const path = [...prefix, key];
    return [path, ...pathsOf(child, maxDepth, path)];
  });
}

export type Damage =
  { path: Path; action: "remove" } | { path: Path; action: "null" } | { path: Path; action: "wrong"; value: Json };

/** Removes a field, sets it to null, or gives it a value of the wrong type, at `path` in `root`. */
export function applyDamage(root: Json, damage: Damage): void {
  let parent = root as Record<string | number, Json>;
  for (const key of damage.path.slice(0, -1)) {
    const next = parent[key];
    if (typeof next !== "object" || next === null) return; // an earlier damage removed the way here
    parent = next as Record<string | number, Json>;
  }
  const last = damage.path[damage.path.length - 1];
  if (last === undefined) return;
  if (damage.action === "remove") {
    if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
    else delete parent[last];
  } else {
    Object.defineProperty(parent, last, {
      // A copy, as the server would parse it: the generated value is fast-check's to reuse and shrink.
      value: damage.action === "null" ? null : (JSON.parse(JSON.stringify(damage.value) ?? "null") as Json),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
}

/** One to four damages at paths of `sample` (never its `type`: that would be another event). */
export function damagesTo(sample: Json): fc.Arbitrary<Damage[]> {
  const paths = pathsOf(sample).filter((path) => !(path.length === 1 && path[0] === "type"));
  const damage: fc.Arbitrary<Damage> = fc.oneof(
    fc.record({ path: fc.constantFrom(...paths), action: fc.constant("remove" as const) }),
    fc.record({ path: fc.constantFrom(...paths), action: fc.constant("null" as const) }),
    fc.record({ path: fc.constantFrom(...paths), action: fc.constant("wrong" as const), value: wrongValue }),
  );
  return fc.array(damage, { minLength: 1, maxLength: 4 });
}

/** Header values as a client could send them (visible ASCII, spaces inside), never empty. */
export const headerValue: fc.Arbitrary<string> = fc
  .string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 120,
  })
  .filter((s) => s.trim().length > 0);

/** Text that is not JSON. */
export const notJson: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 400 }),
    fc.constantFrom("", " ", "{", "}", "{]", "[1,]", "{'a':1}", "undefined", "NaN", "user.created", "<xml/>", "\u0000"),
    fc.json().map((text) => `${text}garbage`),
    fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1)) + ","),
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

/** A Svix `whsec_` secret that is not the deployment's. */
export const foreignSecret: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 16, maxLength: 64 })
  .map((bytes) => `whsec_${btoa(String.fromCharCode(...bytes))}`);

/** Content types a confused or hostile client might send (undefined: no header). */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom(
    undefined,
    "",
    "text/plain",
    "text/html; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=----x",
    "application/octet-stream",
    "application/json; charset=latin1",
    "application/xml",
    "image/png",
  ),
  headerValue,
);
