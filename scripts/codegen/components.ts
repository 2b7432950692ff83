/**
 * Which components the app mounts, read from `convex/convex.config.ts` as the Convex CLI reads it:
 * each `app.use(definition, { name? })` whose definition is a default import, resolved through the
 * `@convex-dev/component-source` export condition (what `--live-component-sources` adds) to the
 * component's own `convex.config.ts`. No deployment, no bundling: TypeScript's parser and resolver.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/** The export condition under which a component package points at its TypeScript source. */
export const SOURCE_CONDITION = "@convex-dev/component-source";

export type MountedComponent = {
  /** The name the app's API knows it by: `components.<name>` (app.use's `name`, else defineComponent's). */
  name: string;
  /** How convex.config.ts imports it, without `/convex.config…` ("convex-clerk-sync"), as the CLI records it. */
  importSpecifier: string;
  /** The component's directory (its convex.config.ts, schema and modules). */
  dir: string;
};

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: [SOURCE_CONDITION],
  allowImportingTsExtensions: true,
  noEmit: true,
};

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** A string literal's text, or undefined for anything else. */
function literal(node: ts.Node | undefined): string | undefined {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

/** The first `defineComponent("<name>")` of a component definition file. */
export function definedName(definitionFile: string): string {
  let name: string | undefined;
  const visit = (node: ts.Node): void => {
    if (name !== undefined) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "defineComponent")
      name = literal(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(parse(definitionFile));
  if (name === undefined) throw new Error(`${definitionFile}: no defineComponent("<name>") with a literal name`);
  return name;
}

/** The components `convexDir/convex.config.ts` mounts, in `app.use` order ([] without the file). */
export function mountedComponents(convexDir: string): MountedComponent[] {
  const configFile = join(convexDir, "convex.config.ts");
  if (!existsSync(configFile)) return [];
  const source = parse(configFile);
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    const specifier = ts.isImportDeclaration(statement) ? literal(statement.moduleSpecifier) : undefined;
    if (clause?.name && specifier !== undefined && !clause.isTypeOnly) imports.set(clause.name.text, specifier);
  }
  const mounted: MountedComponent[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "use" &&
      node.arguments[0] !== undefined &&
      ts.isIdentifier(node.arguments[0])
    ) {
      const specifier = imports.get(node.arguments[0].text);
      if (specifier === undefined)
        throw new Error(`${configFile}: app.use(${node.arguments[0].text}) is not a default import of a component`);
      const resolved = ts.resolveModuleName(specifier, configFile, COMPILER_OPTIONS, ts.sys).resolvedModule;
      if (resolved === undefined)
        throw new Error(
          `${configFile}: cannot resolve "${specifier}" with the "${SOURCE_CONDITION}" condition (npm install?)`,
        );
      const options = node.arguments[1];
      let name: string | undefined;
      if (options !== undefined && ts.isObjectLiteralExpression(options)) {
        for (const property of options.properties) {
          if (ts.isPropertyAssignment(property) && property.name.getText(source) === "name") {
            name = literal(property.initializer);
            if (name === undefined) throw new Error(`${configFile}: app.use's name must be a string literal`);
          }
        }
      }
      mounted.push({
        name: name ?? definedName(resolved.resolvedFileName),
        importSpecifier: specifier.replace(/\/convex\.config.*$/, ""),
        dir: dirname(resolved.resolvedFileName),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return mounted;
}
