import type { Compilable, CompiledQuery } from "kysely";
import { compileScope, runCompiled, type DB } from "../connection";

/**
 * Kysely builds and compiles a query anew on every call. For the small queries behind a page (a
 * department's header, one report, a filtered chart) that cost as much as SQLite running them, so
 * each query's SQL is compiled once and reused.
 *
 * A query's SQL depends on the shape of its arguments — which are given, how many values each list
 * holds — and not on the values themselves, which are bound parameters. `prepared` compiles a shape
 * once with a placeholder in place of every value and, on each call, binds that call's values in
 * the placeholders' order.
 *
 * The rule for a builder: it may branch on whether an argument is present and on a list's length,
 * never on a value (what it sees is a placeholder). Anything derived from a value — a clamped
 * limit, a threshold in hundredths — is computed by the caller and passed in as an argument.
 */
export function prepared<Args extends object, Row>(build: (db: DB, args: Args) => Compilable<Row>): (db: DB, args: Args) => Promise<Row[]> {
  // per connection, shared with its transactions: compiled SQL follows the dialect and plugins of the db it is run on
  const compiledFor = new WeakMap<object, Map<string, CompiledQuery<Row>>>();
  return async (db, args) => {
    const scope = compileScope(db);
    let byShape = compiledFor.get(scope);
    if (!byShape) compiledFor.set(scope, (byShape = new Map()));
    const shape = shapeOf(args);
    let compiled = byShape.get(shape);
    if (!compiled) {
      compiled = build(db, withPlaceholders(args, []) as Args).compile();
      // shapes are few (filters combine five lists); the bound only guards against a caller varying list lengths without end
      if (byShape.size >= MAX_SHAPES) byShape.clear();
      byShape.set(shape, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p instanceof Placeholder ? p.valueIn(args) : p));
    return runCompiled<Row>(db, { sql: compiled.sql, parameters });
  };
}

const MAX_SHAPES = 256;

/** Where a bound value sits in the arguments object. */
class Placeholder {
  constructor(private readonly path: readonly (string | number)[]) {}

  valueIn(args: object): unknown {
    let v: unknown = args;
    for (const key of this.path) v = (v as Record<string | number, unknown>)[key];
    return v;
  }
}

/** `value` with every leaf other than null and undefined replaced by its Placeholder. */
function withPlaceholders(value: unknown, path: (string | number)[]): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v, i) => withPlaceholders(v, [...path, i]));
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, [...path, k])]));
  }
  return new Placeholder(path);
}

/** The structure of `value` without its leaf values: `{filter:{years:[v,v],},}`. */
function shapeOf(value: unknown): string {
  if (value === undefined) return "u";
  if (value === null) return "n";
  if (Array.isArray(value)) {
    let s = "[";
    for (const v of value) s += shapeOf(v) + ",";
    return s + "]";
  }
  if (typeof value === "object") {
    let s = "{";
    for (const k in value) s += `${k}:${shapeOf((value as Record<string, unknown>)[k])},`;
    return s + "}";
  }
  return "v";
}
